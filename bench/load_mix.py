"""The request mixes of bench/load.py: one per data set (``--data``).

- ``seed`` (issue 5): the seed's profession pages and their twins, compare, search, its stored queries, ad-hoc
  SPARQL and /healthz.
- ``default`` (issue 12): the default data (the seed plus BLS OEWS May 2025, national and state, on the
  Oxigraph store): the same, plus occupation pages, state pages, occupation compares (one occupation in two
  places, two occupations in one state) and the OEWS stored queries.

Each item is (route kind, target, headers). Half of the stored queries carry a unique Accept header, so they
miss the response cache and really run; ad-hoc SPARQL carries a unique comment (all run); pages may be
answered from the response cache, as in production.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import quote

Item = tuple[str, str, dict[str, str]]

PROFESSIONS = (
    "certified-medical-assistant",
    "medical-coder",
    "medical-biller",
    "cancer-registrar",
    "licensed-clinician",
)
WORDS = ("coder", "medical", "cma", "assistant", "bls", "registrar", "billing", "aapc", "health", "cert")
# SOC 2018: medical assistants, medical records specialists, registered nurses, software developers, general
# and operations managers, heavy and tractor-trailer truck drivers; each compared with the next one
OCCUPATIONS = ("31-9092", "29-2072", "29-1141", "15-1252", "11-1021", "53-3032")
STATES = ("us-ca", "us-tx", "us-ny", "us-al")
SPARQL_JSON = {"Accept": "application/sparql-results+json"}
HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
ADHOC = (
    "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?p ?label WHERE {{ ?p a ckg:Profession ; skos:prefLabel ?label }} ORDER BY ?label # {tag}",
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?s a ?type }} # {tag}",
    "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\n"
    "SELECT ?stat ?value WHERE {{ ?stat ckg:about <https://w3id.org/careers-kg/id/{p}> ; ckg:value ?value }}"
    " # {tag}",
    "ASK {{ <https://w3id.org/careers-kg/id/{p}> ?p ?o }} # {tag}",
)
KINDS = ("page", "occupation", "state", "compare", "stored", "oews-stored", "sparql", "healthz")


def uncached(n: int) -> dict[str, str]:
    """Accept for JSON that no earlier request sent: the response cache is keyed on the Accept header, so the
    request reaches the app (an extra media range nobody serves, ranked last, changes nothing else)."""
    return {"Accept": f"application/json, application/x-nocache-{n};q=0.1"}


def pages(p: str, q: str, word: str) -> list[Item]:
    return [
        ("page", f"/id/{p}", HTML),
        ("page", f"/id/{p}.ttl", {"Accept": "text/turtle"}),
        ("page", f"/id/{p}.json", JSON),
        ("page", f"/compare?a={p}&b={q}", HTML),
        ("page", f"/compare.json?a={p}&b={q}", JSON),
        ("page", f"/search?q={word}", HTML),
    ]


def stored(p: str, q: str, word: str) -> list[Item]:
    return [
        ("stored", f"/queries/profession-statistics.json?profession={p}", JSON),
        ("stored", f"/queries/profession-profile.json?profession={p}", JSON),
        ("stored", f"/queries/compare-statistics.json?a={p}&b={q}", JSON),
        ("stored", f"/queries/search-label.json?text={word}", JSON),
        ("stored", "/queries/professions.json", JSON),
        ("stored", f"/queries/work-settings.json?profession={p}", JSON),
    ]


def oews_pages(i: int, state: str) -> list[Item]:
    """Occupation *i*'s pages, *state*'s, and the two kinds of occupation compare."""
    occ, other = OCCUPATIONS[i], OCCUPATIONS[(i + 1) % len(OCCUPATIONS)]
    return [
        ("occupation", f"/id/soc2018-{occ}", HTML),
        ("occupation", f"/id/soc2018-{occ}.json", JSON),
        ("state", f"/id/{state}", HTML),
        ("state", f"/id/{state}.json?rank=median_annual", JSON),
        ("compare", f"/compare?a=soc2018-{occ}&area=us&b_area={state}", HTML),
        ("compare", f"/compare.json?a=soc2018-{occ}&b=soc2018-{other}&area={state}", JSON),
    ]


def oews_stored(i: int, state: str) -> list[Item]:
    """Every OEWS stored query (queries/oews-*.rq and then-and-now.rq)."""
    occ = f"soc2018-{OCCUPATIONS[i]}"
    return [
        ("oews-stored", f"/queries/oews-highest-paid-in-state.json?state={state}", JSON),
        ("oews-stored", f"/queries/oews-occupation-wages-by-state.json?occupation={occ}", JSON),
        ("oews-stored", f"/queries/oews-state-concentration.json?state={state}", JSON),
        ("oews-stored", f"/queries/oews-healthcare-median-wages.json?area={state}", JSON),
        ("oews-stored", "/queries/then-and-now.json?subject=medical-assistant", JSON),
    ]


@dataclass(frozen=True)
class Mix:
    """What the clients ask for: (share of requests, the candidates of one request) per group; a group of
    stored queries sends half of its requests with a unique Accept header."""

    name: str
    oews: bool  # with the default data's pages and queries

    def groups(self, rng: random.Random) -> list[tuple[float, list[Item], bool]]:
        """(share, candidates, half uncached) of each group for one request."""
        p, q = rng.sample(PROFESSIONS, 2)
        word = rng.choice(WORDS)
        if not self.oews:
            return [(0.30, pages(p, q, word), False), (0.35, stored(p, q, word), True)]
        i, state = rng.randrange(len(OCCUPATIONS)), rng.choice(STATES)
        return [
            (0.10, pages(p, q, word), False),
            (0.25, oews_pages(i, state), False),
            (0.15, stored(p, q, word), True),
            (0.20, oews_stored(i, state), True),
        ]

    def pick(self, rng: random.Random, tag: str) -> Item:
        """(kind, target, headers) of one request: the groups' shares, then 30 % (seed) or 25 % (default)
        ad-hoc SPARQL (unique: all run), and 5 % /healthz."""
        roll, at = rng.random(), 0.0
        for share, items, half_uncached in self.groups(rng):
            at += share
            if roll < at:
                kind, target, headers = rng.choice(items)
                if half_uncached and rng.random() < 0.5:
                    headers = uncached(rng.randrange(1 << 40))
                return kind, target, headers
        if roll < 0.95:
            text = rng.choice(ADHOC).format(tag=tag, p=rng.choice(PROFESSIONS))
            return ("sparql", "/sparql?query=" + quote(text, safe=""), SPARQL_JSON)
        return ("healthz", "/healthz", JSON)

    def cacheable(self) -> list[Item]:
        """Every page and stored-query request of the mix that the response cache may keep (for the
        warm-up)."""
        items = [
            item
            for p in PROFESSIONS
            for q in PROFESSIONS
            if p != q
            for word in WORDS
            for item in pages(p, q, word) + stored(p, q, word)
        ]
        if self.oews:
            items += [
                item
                for i in range(len(OCCUPATIONS))
                for state in STATES
                for item in oews_pages(i, state) + oews_stored(i, state)
            ]
        seen: dict[tuple[str, str], Item] = {}
        for item in items:
            seen.setdefault((item[1], item[2]["Accept"]), item)
        return list(seen.values())


MIXES = {"seed": Mix("seed", oews=False), "default": Mix("default", oews=True)}
