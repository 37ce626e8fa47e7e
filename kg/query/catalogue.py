"""Stored queries: ``queries/*.rq`` files with a YAML header on ``#+ `` lines, parsed strictly and
prepared once.

```sparql
#+ title: Median pay of a profession
#+ description: Median hourly and annual pay of one profession, with the source of each figure.
#+ tags: [pay]
#+ params:
#+   profession: {type: iri, class: ckg:Profession, required: true, example: medical-assistant,
#+                description: The profession}
PREFIX ckg: <https://w3id.org/careers-kg/ontology#>
SELECT ?variable ?value WHERE { ?stat ckg:about ?profession ; ckg:variable ?variable ; ckg:value ?value }
```

The file stem is the query's name. Parameter names are SPARQL variables; `bind` turns raw strings into typed
RDF terms that `kg.query.execute.execute` binds (``initBindings``) — values are never pasted into the query
text.
An ``iri`` parameter with a ``class`` takes only members of that class: `check_values` refuses others (with
the closest members named) once the graph is at hand, and forms offer the members as a picker.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from rdflib import URIRef, Variable
from rdflib.term import Node

from kg.errors import QueryError, QueryLoadError, UnknownQueryError
from kg.pipeline import cache
from kg.pipeline.load import display_name
from kg.query import params as conv
from kg.query import preparedcache
from kg.query.execute import Prepared, QueryResult, execute, prepare

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

HEADER_KEYS = ("description", "params", "tags", "title")
PARAM_KEYS = ("class", "default", "description", "example", "required", "type")
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RESERVED = frozenset({"pretty"})  # URL arguments of /queries/<name> that are not parameters


ParamError = conv.ParamError


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # iri | string | integer | decimal | boolean | date
    required: bool = False
    default: str | None = None
    example: str | None = None
    description: str = ""
    cls: str | None = None  # header key `class`: the class an iri parameter's values belong to (an IRI)


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str  # the whole file, header included (line numbers in errors match the file)
    prepared: Prepared
    kind: str  # SELECT | ASK | CONSTRUCT | DESCRIBE

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class Catalogue(Mapping[str, StoredQuery]):
    """The stored queries by name, loaded and prepared once; `find` explains a wrong name."""

    def __init__(self, queries: Mapping[str, StoredQuery]) -> None:
        self._queries = dict(sorted(queries.items()))

    def __getitem__(self, name: str) -> StoredQuery:
        return self._queries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)

    def find(self, name: str) -> StoredQuery:
        """The query called *name*, or `UnknownQueryError` with up to three close names."""
        if name in self._queries:
            return self._queries[name]
        raise UnknownQueryError(name, _close(name, self._queries))


def load_catalogue(directory: Path, root: Path | None = None, cache_dir: Path | None = None) -> Catalogue:
    """Every ``*.rq`` file in *directory*, parsed and prepared; the first bad file raises `QueryLoadError`.
    With *cache_dir*, the prepared queries are kept there keyed by the files' bytes and the library versions
    (`kg.query.preparedcache`): an unchanged catalogue loads without parsing."""
    paths = sorted(Path(directory).glob("*.rq"))
    key = _catalogue_key(paths) if cache_dir is not None else None
    if key is not None:
        with preparedcache.deep_recursion():
            cached = cache.load(cache_dir, key, kind="queries")
        if cached is not None:
            return Catalogue(cached["queries"])
    catalogue = Catalogue({q.name: q for q in (load_query(p, root) for p in paths)})
    if key is not None:
        cache.store(cache_dir, key, {"queries": dict(catalogue)}, kind="queries", dumps=preparedcache.dumps)
    return catalogue


def _catalogue_key(paths: list[Path]) -> str | None:
    """A hash of every file's name and bytes and of the library versions; None if a file cannot be read
    (the uncached load then names it)."""
    digest = hashlib.sha256("\0".join((cache.FORMAT, *cache.library_versions())).encode())
    for path in paths:
        try:
            content = path.read_bytes()
        except OSError:
            return None
        digest.update(b"\0%s\0%d\0" % (path.name.encode(), len(content)) + content)
    return digest.hexdigest()[:32]


def find_query(directory: Path, name: str, root: Path | None = None) -> StoredQuery:
    """The one stored query called *name*, parsing only its file (the command line runs one query: preparing
    the whole catalogue would cost more than the query). `UnknownQueryError` with close names otherwise."""
    path = Path(directory) / f"{name}.rq"
    if NAME.fullmatch(name) and path.is_file():
        return load_query(path, root)
    raise UnknownQueryError(name, _close(name, [p.stem for p in Path(directory).glob("*.rq")]))


def _close(name: str, names: Iterable[str]) -> tuple[str, ...]:
    return tuple(difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.5))


def load_query(path: Path, root: Path | None = None) -> StoredQuery:
    """One stored query from *path*; `QueryLoadError` (naming the file) for any problem."""
    where = display_name(path, root)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryLoadError(
            f"{where}: cannot read the file: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    return parse_query(text, Path(path).stem, where)


def parse_query(text: str, name: str, where: str | None = None) -> StoredQuery:
    """A stored query from its file *text*; *where* names the file in error messages."""
    where = where or f"{name}.rq"

    def fail(message: str) -> QueryLoadError:
        return QueryLoadError(f"{where}: {message}")

    if not NAME.fullmatch(name):
        raise fail("the file name must be lower-case letters, digits and hyphens (it is the query's URL)")
    header = _header(text, fail)
    unknown = sorted(set(header) - set(HEADER_KEYS))
    if unknown:
        raise fail(f"unknown header key {unknown[0]!r} (allowed: {', '.join(HEADER_KEYS)})")
    title = header.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("the header needs a 'title' (one line of text)")
    description = header.get("description", "")
    if not isinstance(description, str):
        raise fail("'description' must be text")
    tags = header.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise fail("'tags' must be a list of words, e.g. [pay, growth]")
    params = _params(header.get("params") or {}, fail)
    try:
        prepared = prepare(text)
    except QueryError as exc:
        raise fail(exc.message) from None
    used = _variables(prepared.query.algebra)
    for param in params:
        if param.name not in used:
            raise fail(f"parameter {param.name!r} is declared but the query never uses ?{param.name}")
    return StoredQuery(
        name, title.strip(), description.strip(), tuple(tags), params, text, prepared, prepared.kind
    )


def _header(text: str, fail: Any) -> dict[str, Any]:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip():
            break
    if not lines:
        raise fail("no '#+ ' header: the file must start with '#+ title: …' lines")
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        at = f" (header line {mark.line + 1})" if mark is not None else ""
        raise fail(f"the '#+ ' header is not valid YAML: {problem}{at}") from None
    if not isinstance(header, dict):
        raise fail("the '#+ ' header must be a mapping of keys (title, description, tags, params)")
    return header


def _params(raw: Any, fail: Any) -> tuple[Param, ...]:
    if not isinstance(raw, dict):
        raise fail("'params' must map each parameter name to its settings")
    out = []
    for name, spec in raw.items():
        if not isinstance(name, str) or not VAR_NAME.fullmatch(name):
            raise fail(f"parameter name {name!r} is not a SPARQL variable name")
        if name in RESERVED:
            raise fail(f"parameter name {name!r} is reserved (?{name}=1 asks for indented JSON results)")
        if not isinstance(spec, dict):
            raise fail(f"parameter {name!r} must be a mapping such as {{type: iri, required: true}}")
        unknown = sorted(set(spec) - set(PARAM_KEYS))
        if unknown:
            raise fail(
                f"parameter {name!r} has unknown key {unknown[0]!r} (allowed: {', '.join(PARAM_KEYS)})"
            )
        ptype = spec.get("type")
        if ptype not in conv.TYPES:
            raise fail(f"parameter {name!r} has type {ptype!r}; use one of: {', '.join(conv.TYPES)}")
        required = spec.get("required", False)
        if not isinstance(required, bool):
            raise fail(f"parameter {name!r}: 'required' must be true or false")
        default, example = _text(spec.get("default")), _text(spec.get("example"))
        if required and default is not None:
            raise fail(f"parameter {name!r} is required, so it cannot have a default")
        for key, value in (("default", default), ("example", example)):
            if value is not None:
                try:
                    conv.convert(ptype, value, name)
                except ParamError as exc:
                    raise fail(f"{key} of {exc.message}") from None
        description = spec.get("description", "")
        if not isinstance(description, str):
            raise fail(f"parameter {name!r}: 'description' must be text")
        cls = _class(name, ptype, spec.get("class"), fail)
        out.append(Param(name, ptype, required, default, example, description.strip(), cls))
    return tuple(out)


def _class(name: str, ptype: str, value: Any, fail: Any) -> str | None:
    if value is None:
        return None
    if ptype != "iri":
        raise fail(f"parameter {name!r}: 'class' is only for parameters of type iri")
    iri = conv.class_iri(value) if isinstance(value, str) else None
    if iri is None:
        raise fail(f"parameter {name!r}: 'class' must be a CURIE such as ckg:Profession or a full IRI")
    return str(iri)


def _text(value: Any) -> str | None:
    """A YAML scalar as the string a user would type (YAML reads `true`, `3`, `2020-01-02` as typed
    values)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _variables(node: Any) -> set[str]:
    """Names of every variable in a translated query's algebra."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Variable):
            found.add(str(item))
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
    return found


def bind(stored: StoredQuery, raw: Mapping[str, str]) -> dict[str, Node]:
    """Typed RDF terms for the raw string values *raw* (defaults filled in); `ParamError` for an unknown,
    missing or ill-typed parameter."""
    for name in raw:
        if stored.param(name) is None:
            takes = ", ".join(p.name for p in stored.params) or "no parameters"
            raise ParamError(name, f"unknown parameter {name!r} (query {stored.name!r} takes: {takes})")
    bound: dict[str, Node] = {}
    for param in stored.params:
        value = raw.get(param.name)
        if value is None or value == "":
            if param.required:
                raise ParamError(param.name, f"parameter {param.name!r} ({param.type}) is required")
            value = param.default
        if value is not None:
            bound[param.name] = conv.convert(param.type, value, param.name)
    return bound


def check_values(
    kg: KnowledgeGraph,
    stored: StoredQuery,
    bindings: Mapping[str, Node],
    raw: Mapping[str, str] | None = None,
) -> None:
    """`ParamError` for a bound iri value that is not a member of its parameter's class (in ``kg.union``),
    suggesting the closest members. *raw* holds the values as typed, for the message."""
    for param in stored.params:
        term = bindings.get(param.name)
        if param.cls is None or term is None:
            continue
        typed = (raw or {}).get(param.name) or param.default or str(term)
        conv.check_member(kg.union, param.name, term, URIRef(param.cls), typed)


def run(
    kg: KnowledgeGraph,
    stored: StoredQuery,
    raw: Mapping[str, str],
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Bind *raw* parameters, check them against the graph and execute the prepared query under the guards
    of `kg.query.execute` (a stored query: on a small memory store, its Oxigraph mirror's child)."""
    bindings = bind(stored, raw)
    check_values(kg, stored, bindings, raw)
    return execute(kg, stored.prepared, bindings=bindings, timeout=timeout, max_rows=max_rows, stored=True)
