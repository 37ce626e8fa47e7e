"""Compiling SHACL-SPARQL constraints: a query runs once over the whole graph, its rows split by ``$this``,
when that gives exactly the rows pyshacl gets by running it once per focus node."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rdflib import OWL, RDF, RDFS, SH, XSD, Graph, Literal
from rdflib.term import Node, Variable

from kg.pipeline.shacl.constraints import _Query
from kg.pipeline.shacl.model import Unsupported, _one

# pyshacl's own tests of the query text (pyshacl.helper.sparql_query_helper), which decide what it binds and
# what it refuses to run
_BIND_THIS = re.compile(r"([\s{}()])[\$\?]this", flags=re.M)
_OTHER_PREBOUND = (
    re.compile(r"([\s{}()])[\$\?]PATH", flags=re.M),
    re.compile(r"([\s{}()])[\$\?]shapesGraph", flags=re.M),
    re.compile(r"([\s{}()])[\$\?]currentShape", flags=re.M),
)
_REFUSED = (
    re.compile(r"^(?:[^#]*|M)(?!#)#?[^\?\$\#]M?INUS[\s\{]", flags=re.M | re.I),
    re.compile(r"^(?!\s*#).*?(?<![\w\-\:])VALUES\b(?:\s*(?:\(|[\?\$]\w+|\{|\w|\s))", flags=re.M | re.I),
    re.compile(r"^(?:[^#]*|S)(?!#)#?[^\?\$\#]S?ERVICE[\s\<]", flags=re.M | re.I),
    re.compile(
        r"SELECT[\s\(\)\$\?\a-z]*\{[^\}]*SELECT\s+((?:(?:[\?\$]\w+\s+)|(?:\*\s+))+)", flags=re.M | re.I
    ),
)
_AS_VARIABLE = re.compile(r"[^\w]+AS[\s]+[\$\?](\w+)", flags=re.M | re.I)
_DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
_CONSTRAINT_PREDICATES = frozenset({RDF.type, SH.select, SH.message, SH.prefixes, SH.deactivated})
_THIS = Variable("this")


def _compile_query(g: Graph, constraint: Node) -> _Query | None:
    """The prepared query of one sh:sparql constraint (None when it is deactivated)."""
    if any(p not in _CONSTRAINT_PREDICATES for p in g.predicates(constraint, None)):
        raise Unsupported("a SPARQL constraint with properties other than sh:select, sh:message, sh:prefixes")
    select = _one(g, constraint, SH.select)
    messages = frozenset(g.objects(constraint, SH.message))
    deactivated = _one(g, constraint, SH.deactivated)
    if not (isinstance(select, Literal) and isinstance(select.value, str)):
        raise Unsupported("a SPARQL constraint without one sh:select string")
    if not all(isinstance(m, Literal) and isinstance(m.value, str) for m in messages):
        raise Unsupported("a SPARQL constraint whose sh:message is not a string")
    if deactivated is not None and not (
        isinstance(deactivated, Literal) and isinstance(deactivated.value, bool)
    ):
        raise Unsupported("a SPARQL constraint with a malformed sh:deactivated")
    if deactivated is not None and deactivated.value:
        return None
    _check_text(select.value)
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _prefixes(g, constraint).items())
    text = f"{prefixes}\n{select.value}"
    _check_algebra(_parse(text).algebra)
    return _Query(constraint, text, messages)


def _check_text(text: str) -> None:
    if not _BIND_THIS.search(text):
        raise Unsupported("a SPARQL constraint that does not use $this")
    if any(r.search(text) for r in (*_OTHER_PREBOUND, *_REFUSED)):
        raise Unsupported(
            "a SPARQL query with $PATH, $shapesGraph, $currentShape, MINUS, VALUES, SERVICE or a subquery"
        )
    found = _AS_VARIABLE.search(text)
    if found and found.group(1) in ("this", "shapesGraph", "currentShape"):
        raise Unsupported("a SPARQL constraint that rebinds $this")


def _prefixes(g: Graph, constraint: Node) -> dict[str, str]:
    """The prefixes pyshacl declares for a constraint's query: rdf, rdfs, owl and its sh:prefixes."""
    prefixes = dict(_DEFAULT_PREFIXES)
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    graph_declares = set(g.objects(g.identifier, SH.declare))
    everywhere = graph_declares | {d for o in ontologies for d in g.objects(o, SH.declare)}
    declared: dict[str, str] = {}
    for source in g.objects(constraint, SH.prefixes):
        own = set(g.objects(source, SH.declare))
        for declaration in (own | graph_declares) if own and source in ontologies else (everywhere | own):
            prefix, namespace = _declaration(g, declaration)
            if declared.setdefault(prefix, namespace) != namespace:
                raise Unsupported(f"two namespaces for the SPARQL prefix {prefix}:")
    return prefixes | declared


def _declaration(g: Graph, declaration: Node) -> tuple[str, str]:
    prefix, namespace = _one(g, declaration, SH.prefix), _one(g, declaration, SH.namespace)
    if (
        isinstance(declaration, Literal)
        or not isinstance(prefix, Literal)
        or not isinstance(prefix.value, str)
    ):
        raise Unsupported("a malformed sh:declare")
    if not isinstance(namespace, Literal) or not (
        namespace.datatype == XSD.anyURI or isinstance(namespace.value, str)
    ):
        raise Unsupported("a malformed sh:declare")
    return str(prefix.value), str(namespace.value)


def _parse(text: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text)
    except Exception:  # rdflib raises parser and prefix errors of several kinds
        raise Unsupported("a SPARQL query that does not parse") from None


_PASS_THROUGH = ("Project", "Distinct", "Reduced", "OrderBy", "Filter", "Extend")
_REFUSED_ALGEBRA = frozenset(
    {"Slice", "Graph", "ServiceGraphPattern", "ToMultiSet", "values", "Minus", "Union", "LeftJoin",
     "SubSelect", "InlineData", "GraphGraphPattern", "MinusGraphPattern", "OptionalGraphPattern",
     "GroupOrUnionGraphPattern"}
)  # fmt: skip


def _check_algebra(algebra: Any) -> None:
    """The query gives, run once with ``$this`` free, exactly the rows pyshacl gets per focus node: it selects
    ``$this``, binds it in a plain triple pattern, and groups by it if it aggregates."""
    if algebra.name != "SelectQuery" or algebra.get("datasetClause") or _THIS not in algebra.PV:
        raise Unsupported("a SPARQL constraint that does not select $this")
    if Variable("failure") in algebra.PV or _REFUSED_ALGEBRA & set(_names(algebra)):
        raise Unsupported("a SPARQL constraint with ?failure, LIMIT, OPTIONAL, UNION, GRAPH or a sub-query")
    chain = [algebra.p]
    while chain[-1].name in _PASS_THROUGH:
        chain.append(chain[-1].p)
    inner, samples = chain[-1], set()
    if inner.name == "AggregateJoin":
        samples = {a.res for a in inner.A if a.name == "Aggregate_Sample" and a.vars == _THIS}
        group = inner.p
        if group.name != "Group" or not group.expr or _THIS not in group.expr:
            raise Unsupported("a SPARQL constraint that aggregates without grouping by $this")
        inner = group.p
    if any(n.name == "Extend" and n.var == _THIS and n.expr not in samples for n in chain[:-1]):
        raise Unsupported("a SPARQL constraint that rebinds $this")
    if not _binds_this(inner):
        raise Unsupported("a SPARQL constraint whose $this is not bound by a triple pattern")


def _binds_this(node: Any) -> bool:
    """*node* binds ``$this`` in a triple pattern, and evaluates its filters only once it is bound."""
    if node.name in ("Filter", "Extend"):
        return (node.name == "Filter" or node.var != _THIS) and _binds_this(node.p)
    return _plain(node) and _THIS in _pattern_terms(node)


def _plain(node: Any) -> bool:
    return node.name == "BGP" or (node.name == "Join" and _plain(node.p1) and _plain(node.p2))


def _pattern_terms(node: Any) -> set[Any]:
    if node.name == "BGP":
        return {t for triple in node.triples for t in triple}
    return _pattern_terms(node.p1) | _pattern_terms(node.p2)


def _names(node: Any) -> Iterator[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _names(value)
