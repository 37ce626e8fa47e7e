"""Search that forgives: labels, alternative names (acronyms), schema.org names and occupation codes, with
typo tolerance and stop words; ranked, one hit per entity, each with its kind (profession, credential, ...).

`SearchIndex.build(graph)` reads the graph once (it is immutable) into an inverted index: every label's words
point to the labels that hold them, the vocabulary is sorted (prefixes by bisection) and every word's
one-letter deletions point back to it (typos found SymSpell-style, without scanning). A query then touches
only the words it could match, so its cost follows the number of hits, not the size of the graph.

Matching, for each query word that is not a stop word ("salary", "how", "the" ... unless every word is one):
the same word or its plural/singular, else a word it begins (``medic`` → ``medical``), else a word it is a
typo of (``codr`` → ``coder``: one edit, two from eight letters), else a word it is inside of (``coder`` in
``decoder``). A label matches when every query word does. Ranks, best first: the whole label (or code) equals
the query; the label starts with it; every word matched (whole words before word beginnings); matched with a
typo; matched inside a word; and, only when nothing matches every word, labels matching some of them (most
first). Ties go to people's likeliest target (professions and occupations first, ontology terms last,
figures never: statistics are reached from their occupation's page), then the shorter label.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.pipeline import cache
from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, SCHEMA

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

INDEX_FORMAT = 1  # bump when the index's structure or normalization changes (cached indexes are then rebuilt)
# The label properties searched, in order of preference when one entity matches through several.
FIELDS: tuple[tuple[URIRef, str], ...] = (
    (SKOS.prefLabel, "prefLabel"),
    (RDFS.label, "label"),
    (SCHEMA.name, "name"),
    (SKOS.altLabel, "altLabel"),
    (SCHEMA.codeValue, "code"),
)
CODE_FIELD = len(FIELDS) - 1
# An entity is found by the codes it links to (a profession by its SOC code) as well as by its own.
CODE_LINKS = (CKG.occupationCode, SCHEMA.occupationalCategory)
# one node per figure: found from the page of what it is about
NOT_INDEXED = (CKG.Statistic, CKG.OccupationEstimate, CKG.EstimateNote)
# The kind of a hit in plain words: the first class (asserted or inferred) it belongs to.
KINDS: tuple[tuple[URIRef, str], ...] = (
    (CKG.Profession, "profession"),
    (CKG.OccupationGroup, "occupation group"),
    (SCHEMA.Occupation, "occupation"),
    (CKG.OccupationCode, "occupation code"),
    (CKG.OccupationCodeSet, "classification"),
    (CKG.Credential, "credential"),
    (CKG.LicensingRequirement, "licensing rule"),
    (CKG.RenewalRequirement, "renewal rule"),
    (CKG.EducationProgram, "education program"),
    (CKG.Organization, "organization"),
    (SCHEMA.Organization, "organization"),
    (CKG.CodingSystem, "coding system"),
    (CKG.StatisticalVariable, "measure"),
    (CKG.Source, "source"),
    (CKG.Skill, "skill"),
    (CKG.Specialization, "specialization"),
    (CKG.WorkSetting, "work setting"),
    (CKG.Duty, "duty"),
)
FIRST_KINDS = frozenset({"profession", "occupation", "occupation group"})
TERM_TYPES = frozenset(
    {OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
)
STOP_WORDS = frozenset(
    "a an and are as at be become becoming by can do does for from how i in is it job jobs career careers "
    "me my near of on or salary salaries pay paid wage wages income earn earnings the to what where which "
    "who with".split()
)
# Ranks, best first (lower is better).
EXACT, PREFIX, WORD, FUZZY, CONTAINS, PARTIAL = range(6)
MATCH_NAMES = {
    EXACT: "exact",
    PREFIX: "prefix",
    WORD: "word",
    FUZZY: "typo",
    CONTAINS: "contains",
    PARTIAL: "some words",
}
# How one query word meets one label word, best first.
_SAME, _BEGINS, _TYPO, _INSIDE = range(4)
_GRADE_RANK = {_SAME: WORD, _BEGINS: WORD, _TYPO: FUZZY, _INSIDE: CONTAINS}
_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    """Lower case, accents dropped, runs of white space as one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _stem(word: str) -> str:
    """Plural and singular alike: ``assistants`` → ``assistant``, ``classes`` → ``class``."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, display label, kind, the text that matched and how."""

    iri: str
    label: str
    matched: str
    field: str
    match: str  # exact | prefix | word | typo | contains | some words
    types: tuple[str, ...]  # labels of its asserted rdf:types
    kind: str = "thing"  # profession | occupation | credential | organization | ...

    def as_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "matched": self.matched,
            "field": self.field,
            "match": self.match,
            "types": list(self.types),
        }


@dataclass(frozen=True)
class _Entry:
    text: str  # normalized
    words: tuple[str, ...]
    original: str
    field_rank: int
    iri: URIRef


class SearchIndex:
    """The searchable names of one graph, indexed once."""

    def __init__(self, graph: Graph, entries: list[_Entry], types_graph: Graph | None = None) -> None:
        self._graph = graph
        self._types = types_graph if types_graph is not None else graph
        self._entries = entries
        self._kinds: dict[URIRef, str] = {}
        self._priority: dict[URIRef, int] = {}  # professions and occupations 0, ontology terms 2, others 1
        for iri in {e.iri for e in entries}:
            types = set(graph.objects(iri, RDF.type))
            self._kinds[iri] = kind = _kind(graph, types)
            self._priority[iri] = 0 if kind in FIRST_KINDS else 2 if types & TERM_TYPES else 1
        self._labels: dict[URIRef, str] = {}
        self._by_text: dict[str, list[int]] = {}
        self._postings: dict[str, list[int]] = {}
        for number, entry in enumerate(entries):
            self._by_text.setdefault(entry.text, []).append(number)
            for word in set(entry.words):
                self._postings.setdefault(word, []).append(number)
        self._texts = sorted((entry.text, number) for number, entry in enumerate(entries))
        # Ties between equally good matches: professions and occupations first, ontology terms last, then the
        # shorter label, the preferred label, alphabetical order.
        self._by_order = sorted(
            range(len(entries)),
            key=lambda n: (
                self._priority[entries[n].iri],
                len(entries[n].text),
                entries[n].field_rank,
                entries[n].text,
                str(entries[n].iri),
            ),
        )
        self._order = [0] * len(entries)
        for place, number in enumerate(self._by_order):
            self._order[number] = place
        self._vocab = sorted(self._postings)
        self._stems: dict[str, list[str]] = {}
        self._deletes: dict[str, set[str]] = {}
        for word in self._vocab:
            self._stems.setdefault(_stem(word), []).append(word)
            for variant in _deletions(word):
                self._deletes.setdefault(variant, set()).add(word)

    @classmethod
    def for_kg(cls, kg: KnowledgeGraph, cache_dir: Path) -> SearchIndex:
        """`build` over *kg*'s union (types from its asserted data), kept in the build cache under the graph's
        version and the size of each of its graphs (a served KG may add named graphs to a build): with the
        OEWS release, collecting the names takes seconds, loading them back milliseconds."""
        sizes = hashlib.sha256(repr(sorted(dict(kg.triple_counts).items())).encode()).hexdigest()[:16]
        return cls._cached(kg.union, kg.data, cache_dir, f"{kg.version}-{sizes}-{INDEX_FORMAT}")

    @classmethod
    def _cached(cls, graph: Graph, types_graph: Graph | None, cache_dir: Path, key: str) -> SearchIndex:
        parts = cache.load(cache_dir, key, kind="search")
        if parts is not None and isinstance(parts.get("index"), cls):
            index = parts["index"]
            index._graph, index._types = graph, types_graph if types_graph is not None else graph
            return index
        index = cls.build(graph, types_graph)
        cache.store(cache_dir, key, {"index": index}, kind="search")
        return index

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the graphs (re-attached by `cached`) and the labels memo."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_graph", "_types", "_labels")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _labels={})

    @classmethod
    def build(cls, graph: Graph, types_graph: Graph | None = None) -> SearchIndex:
        """Index the names in *graph*; hits list their types as found in *types_graph* (e.g. asserted)."""
        skipped = {s for c in NOT_INDEXED for s in graph.subjects(RDF.type, c)}
        entries: list[_Entry] = []
        seen: set[tuple[URIRef, str, int]] = set()

        def add(subject: Any, value: Any, rank: int) -> None:
            if not isinstance(subject, URIRef) or not isinstance(value, Literal) or subject in skipped:
                return
            if value.language not in (None, "", "en") and not value.language.startswith("en-"):
                return
            text = str(value).strip()
            folded = normalize(text)
            if folded and (subject, folded, rank) not in seen:
                seen.add((subject, folded, rank))
                entries.append(_Entry(folded, tuple(_WORD.findall(folded)), text, rank, subject))

        for rank, (prop, _name) in enumerate(FIELDS):
            for subject, value in graph.subject_objects(prop):
                add(subject, value, rank)
        for link in CODE_LINKS:
            for subject, code in graph.subject_objects(link):
                for value in graph.objects(code, SCHEMA.codeValue):
                    add(subject, value, CODE_FIELD)
        return cls(graph, entries, types_graph)

    def search(self, q: str, limit: int = 50) -> tuple[Hit, ...]:
        """Entities whose names match *q*, best first, one hit per entity (see the module's docstring)."""
        query = normalize(q)
        if not query or limit <= 0:
            return ()
        tokens = tuple(dict.fromkeys(_WORD.findall(query)))
        significant = tuple(t for t in tokens if t not in STOP_WORDS) or tokens
        ranked: dict[int, tuple[int, int, int]] = {}  # entry -> (rank, missing words, weaker matches)
        for number in self._by_text.get(query, ()):
            ranked[number] = (EXACT, 0, 0)
        start = bisect.bisect_left(self._texts, (query, -1))
        for text, number in self._texts[start:]:
            if not text.startswith(query):
                break
            ranked.setdefault(number, (PREFIX, 0, 0))
        grades = [self._grades(token) for token in significant]
        for number, found in self._every_word(grades).items():
            weaker = sum(1 for grade in found if grade == _BEGINS)
            ranked.setdefault(number, (_GRADE_RANK[max(found)], 0, weaker))
        if not ranked and len(significant) > 1:  # nothing has every word: what has most of them
            per_word = [self._matching(g) for g in grades]
            counts = Counter(number for found in per_word for number in found)
            for number, count in counts.items():
                worst = max(found[number] for found in per_word if number in found)
                ranked[number] = (PARTIAL, len(significant) - count, worst)
        return self._hits(ranked, limit)

    def _every_word(self, grades: list[dict[str, int]]) -> dict[int, list[int]]:
        """Entries that match every query word -> how well each word matched. Starts from the word with the
        fewest labels, then checks only the labels still in the running."""
        if any(not g for g in grades):
            return {}
        order = sorted(grades, key=lambda g: sum(len(self._postings[w]) for w in g))
        running = {number: [grade] for number, grade in self._matching(order[0]).items()}
        for g in order[1:]:
            narrowed = {}
            for number, found in running.items():
                best = min((g[w] for w in self._entries[number].words if w in g), default=None)
                if best is not None:
                    found.append(best)
                    narrowed[number] = found
            running = narrowed
        return running

    def _grades(self, token: str) -> dict[str, int]:
        """The vocabulary words *token* may stand for, each with how well it fits."""
        found: dict[str, int] = {}
        if token in self._postings:
            found[token] = _SAME
        for word in self._stems.get(_stem(token), ()):
            found.setdefault(word, _SAME)
        start = bisect.bisect_left(self._vocab, token)
        for word in self._vocab[start:]:
            if not word.startswith(token):
                break
            found.setdefault(word, _BEGINS)
        if not found and len(token) >= 3:
            allowed = 1 if len(token) < 8 else 2
            for variant in (token, *_deletions(token)):
                candidates = set(self._deletes.get(variant, ()))  # a letter missing, wrong or swapped
                if variant != token and variant in self._postings:
                    candidates.add(variant)  # a letter too many
                for word in candidates:
                    if _distance(token, word, allowed) <= allowed:
                        found[word] = _TYPO
        if len(token) >= 3:
            for word in self._vocab:
                if token in word:
                    found.setdefault(word, _INSIDE)
        return found

    def _hits(self, ranked: dict[int, tuple[int, int, int]], limit: int) -> tuple[Hit, ...]:
        """The best *limit* entities: entries sorted by one integer each (rank, missing words, weaker matches,
        then the entry's place in the order fixed at build time), the first entry of each entity kept."""
        size = len(self._entries)
        keys = sorted(
            ((rank * 16 + min(missing, 15)) * 16 + min(weaker, 15)) * size + self._order[number]
            for number, (rank, missing, weaker) in ranked.items()
        )
        hits: list[Hit] = []
        seen: set[URIRef] = set()
        for key in keys:
            entry = self._entries[self._by_order[key % size]]
            if entry.iri not in seen:
                seen.add(entry.iri)
                hits.append(self._hit(entry.iri, key // size // 256, entry))
                if len(hits) == limit:
                    break
        return tuple(hits)

    def _hit(self, iri: URIRef, rank: int, entry: _Entry) -> Hit:
        types = sorted(
            {label(self._graph, t) for t in self._types.objects(iri, RDF.type) if isinstance(t, URIRef)}
        )
        shown = self._labels.get(iri)
        if shown is None:
            shown = self._labels.setdefault(iri, label(self._graph, iri))
        return Hit(
            iri=str(iri),
            label=shown,
            matched=entry.original,
            field=FIELDS[entry.field_rank][1],
            match=MATCH_NAMES[rank],
            types=tuple(types),
            kind=self._kinds[iri],
        )

    def _matching(self, grades: dict[str, int]) -> dict[int, int]:
        """Entry -> the best grade of its words among *grades*."""
        out: dict[int, int] = {}
        for word, grade in grades.items():
            for number in self._postings[word]:
                if grade < out.get(number, 99):
                    out[number] = grade
        return out


def _deletions(word: str) -> Iterable[str]:
    """*word* with one letter left out, each way (SymSpell's deletion neighbourhood)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))} if len(word) >= 3 else ()


def _distance(a: str, b: str, cap: int) -> int:
    """The edit distance of *a* and *b*, a swap of neighbours costing 1 (optimal string alignment); cap+1 once
    it must exceed *cap*."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > cap:
            return cap + 1
        previous2, previous = previous, current
    return previous[-1]


def _kind(graph: Graph, types: set[Any]) -> str:
    for cls, kind in KINDS:
        if cls in types:
            return kind
    named = sorted(label(graph, t) for t in types if isinstance(t, URIRef))
    return named[0].lower() if named else "thing"


def search(kg: KnowledgeGraph, q: str, limit: int = 50) -> tuple[Hit, ...]:
    """One-off search over ``kg.union`` (the web app keeps a `SearchIndex` instead of rebuilding it)."""
    return SearchIndex.build(kg.union, kg.data).search(q, limit)
