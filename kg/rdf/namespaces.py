"""The project namespace and the prefixes used everywhere (one place for the base IRI)."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

BASE = "https://w3id.org/careers-kg/"
CKG = Namespace(BASE + "ontology#")  # ontology terms (classes, properties)
ID = Namespace(BASE + "id/")  # entities: …/id/<slug>, resolved by /id/<slug> on the server
GRAPH = Namespace(BASE + "graph/")  # named graphs: asserted data, ontology, inferred
SCHEMA = Namespace("http://schema.org/")
QB = Namespace("http://purl.org/linked-data/cube#")  # the W3C RDF Data Cube vocabulary
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")

ONTOLOGY_IRI = BASE + "ontology"
GRAPH_DATA = GRAPH["data"]
GRAPH_ONTOLOGY = GRAPH["ontology"]
GRAPH_INFERRED = GRAPH["inferred"]

PREFIXES: dict[str, Namespace] = {
    "ckg": CKG,
    "id": ID,
    "schema": SCHEMA,
    "skos": SKOS,
    "prov": PROV,
    "dct": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "void": VOID,
    "dcat": DCAT,
}


def bind_prefixes(g: Graph) -> Graph:
    """Bind the project prefixes on *g* (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


_PAIRS = tuple((prefix, str(ns)) for prefix, ns in PREFIXES.items())


def curie(iri: object) -> str:
    """``id:medical-coder`` for an IRI under a project prefix, else the IRI itself (the one CURIE helper)."""
    text = str(iri)
    for prefix, ns in _PAIRS:
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, for ad-hoc queries."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
