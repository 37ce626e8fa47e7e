"""The SPARQL 1.1 Service Description of /sparql (https://www.w3.org/TR/sparql11-service-description/): what
``GET /sparql`` without a query answers to a client that asks for RDF.

It says where the endpoint is, that it speaks SPARQL 1.1 Query (read-only), every result format it serves (as
the W3C format IRIs), and its default dataset: a default graph that is the union of all the named graphs
(``sd:UnionDefaultGraph``) and one ``sd:NamedGraph`` per graph held, each with its triple count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Response, request
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID

from kg.rdf import formats
from kg.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMAT = Namespace("http://www.w3.org/ns/formats/")
# Our format name -> the W3C format IRI (http://www.w3.org/ns/formats/).
FORMAT_IRIS = {
    "json": FORMAT.SPARQL_Results_JSON,
    "xml": FORMAT.SPARQL_Results_XML,
    "csv": FORMAT.SPARQL_Results_CSV,
    "tsv": FORMAT.SPARQL_Results_TSV,
    "turtle": FORMAT.Turtle,
    "jsonld": FORMAT["JSON-LD"],
    "ntriples": FORMAT["N-Triples"],
    "rdfxml": FORMAT.RDF_XML,
}
DESCRIPTION_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")  # the service description itself


def service_description(kg: KnowledgeGraph, endpoint: str, result_formats: tuple[str, ...]) -> Graph:
    """The sd:Service at *endpoint* over *kg*, serving *result_formats*."""
    g = bind_prefixes(Graph())
    g.bind("sd", SD)
    g.bind("format", FORMAT)
    service, dataset, default = (URIRef(f"{endpoint}#{part}") for part in ("service", "dataset", "default"))
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in result_formats:
        g.add((service, SD.resultFormat, FORMAT_IRIS[fmt]))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    counts = dict(kg.triple_counts)
    g.add((default, VOID.triples, Literal(counts["union"], datatype=XSD.integer)))
    for index, (name, count) in enumerate(sorted(_named_graphs(counts).items()), start=1):
        named, description = URIRef(f"{endpoint}#named-{index}"), URIRef(f"{endpoint}#graph-{index}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, description))
        g.add((description, RDF.type, SD.Graph))
        g.add((description, VOID.triples, Literal(count, datatype=XSD.integer)))
    return g


def _named_graphs(counts: dict[str, int]) -> dict[str, int]:
    """Graph IRI -> triple count of every named graph held (the build's counts name the three own graphs
    by role and the extra ones by IRI)."""
    roles = {"data": GRAPH_DATA, "ontology": GRAPH_ONTOLOGY, "inferred": GRAPH_INFERRED}
    return {str(roles.get(key, key)): n for key, n in counts.items() if key != "union" and n}


def description_response(kg: KnowledgeGraph, result_formats: tuple[str, ...]) -> Response | None:
    """The service description in the RDF format the request's Accept header prefers (Turtle when it names
    none or ``*/*``); None when it accepts no RDF format (the caller answers as before)."""
    fmt = formats.negotiate(request.headers.get("Accept"), DESCRIPTION_FORMATS)
    if request.method != "GET" or fmt is None:
        return None
    endpoint = request.base_url.rstrip("/")
    body = formats.serialize_graph(service_description(kg, endpoint, result_formats), fmt)
    return Response(body, content_type=formats.BY_NAME[fmt].content_type)
