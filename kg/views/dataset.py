"""The dataset description served at /void.ttl: VoID (triple counts, dumps, the SPARQL endpoint) and DCAT as
DCAT-AP 3 profiles it (a dcat:Dataset with licence, issue and modification dates, citation, one
dcat:Distribution per download with media type, byte size and SHA-256 checksum of the exact bytes served, and
every ckg:Source as a dct:source)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, SKOS, VOID

from kg.rdf.labels import label
from kg.rdf.namespaces import BASE, CKG, ID, ONTOLOGY_IRI, SCHEMA, bind_prefixes
from kg.views.release import DATASET, cite_as, dataset_version, release

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "http://www.iana.org/assignments/media-types/"
PUBLISHER = URIRef(BASE + "contributors")
SHA256 = SPDX.checksumAlgorithm_sha256


@dataclass(frozen=True)
class Download:
    """One file the server offers: its file name, unversioned and versioned paths, media type, title, and
    the byte size and SHA-256 (hex) of its bytes."""

    name: str  # e.g. careers-kg.ttl
    path: str  # /export.ttl
    versioned_path: str  # /export/0.1.0+1a2b3c4d5e6f.ttl
    media_type: str
    title: str
    size: int
    sha256: str
    void_dump: bool = False  # also a void:dataDump (the asserted data in an RDF format)


def dataset_graph(
    kg: KnowledgeGraph, root: str, downloads: Iterable[Download], counts: Mapping[str, int]
) -> Graph:
    """VoID + DCAT for *kg* served at *root* (``https://host``), with one distribution per download."""
    g = bind_prefixes(Graph())
    g.bind("foaf", FOAF)
    g.bind("spdx", SPDX)
    d = DATASET
    _describe_dataset(g, kg, root)
    g.add((d, VOID.triples, Literal(counts.get("data", len(kg.data)), datatype=XSD.integer)))
    for name, count in counts.items():
        part = URIRef(f"{BASE}dataset/{name}")
        g.add((d, VOID.subset, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, DCTERMS.title, Literal(f"{name} triples", lang="en")))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    for download in downloads:
        _distribution(g, root, download)
    for source in sorted(set(kg.union.subjects(RDF.type, CKG.Source))):
        _source(g, kg.union, source)
    return g


def _describe_dataset(g: Graph, kg: KnowledgeGraph, root: str) -> None:
    r, d = release(), DATASET
    version = dataset_version(kg)
    for cls in (VOID.Dataset, DCAT.Dataset):
        g.add((d, RDF.type, cls))
    g.add((d, DCTERMS.title, Literal("Careers KG", lang="en")))
    g.add((d, DCTERMS.alternative, Literal(r.title, lang="en")))
    g.add((d, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    _license(g, d, URIRef(r.license_url))
    g.add((d, DCTERMS.bibliographicCitation, Literal(cite_as(kg), lang="en")))
    g.add((d, OWL.versionInfo, Literal(version)))
    g.add((d, URIRef(str(DCAT) + "version"), Literal(version)))  # DCAT 3 (not in rdflib's DCAT)
    for p in (DCTERMS.issued, DCTERMS.modified):
        g.add((d, p, Literal(r.date, datatype=XSD.date)))
    g.add((d, DCTERMS.publisher, PUBLISHER))
    g.add((PUBLISHER, RDF.type, FOAF.Agent))
    g.add((PUBLISHER, FOAF.name, Literal(", ".join(r.authors), lang="en")))
    home = URIRef(root + "/")
    g.add((d, FOAF.homepage, home))
    g.add((d, DCAT.landingPage, home))
    g.add((home, RDF.type, FOAF.Document))
    g.add((d, VOID.sparqlEndpoint, URIRef(root + "/sparql")))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    g.add((d, VOID.vocabulary, URIRef(str(CKG))))
    g.add((d, VOID.vocabulary, URIRef(str(SCHEMA))))
    g.add((d, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    g.add((URIRef(ONTOLOGY_IRI), RDF.type, DCTERMS.Standard))


DESCRIPTION = (
    "An open knowledge graph of healthcare careers: professions, credentials, education, "
    "pay and growth statistics, each fact citing its source."
)


def _license(g: Graph, subject: URIRef, license_iri: URIRef) -> None:
    g.add((subject, DCTERMS.license, license_iri))
    g.add((license_iri, RDF.type, DCTERMS.LicenseDocument))


def _distribution(g: Graph, root: str, download: Download) -> None:
    """A dcat:Distribution whose checksum and byte size are those of *download*'s bytes."""
    dist = URIRef(f"{BASE}dataset/{download.name}")
    url = URIRef(root + download.versioned_path)
    g.add((DATASET, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(download.title, lang="en")))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.accessURL, url))
    media = URIRef(IANA + download.media_type)
    g.add((dist, DCAT.mediaType, media))
    g.add((media, RDF.type, DCTERMS.MediaType))
    g.add((dist, DCAT.byteSize, Literal(download.size, datatype=XSD.nonNegativeInteger)))
    checksum = URIRef(f"{dist}#sha256")
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SHA256))
    g.add((SHA256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(download.sha256, datatype=XSD.hexBinary)))
    _license(g, dist, URIRef(release().license_url))
    if download.void_dump:
        g.add((DATASET, VOID.dataDump, URIRef(root + download.path)))


def _source(g: Graph, data: Graph, source: URIRef) -> None:
    """A source as DCAT-AP wants a dct:source: a dcat:Dataset with title, description and publisher, and
    the licence or rights the data states for it."""
    g.add((DATASET, DCTERMS.source, source))
    g.add((source, RDF.type, DCAT.Dataset))
    g.add((source, DCTERMS.title, data.value(source, DCTERMS.title) or Literal(label(data, source))))
    description = data.value(source, DCTERMS.description) or data.value(source, SKOS.prefLabel)
    if description is not None:
        g.add((source, DCTERMS.description, description))
    for p in (DCTERMS.issued, DCTERMS.rights):
        for o in data.objects(source, p):
            g.add((source, p, o))
    for lic in data.objects(source, DCTERMS.license):
        _license(g, source, lic)
    for publisher in data.objects(source, DCTERMS.publisher):
        g.add((source, DCTERMS.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(label(data, publisher), lang="en")))
    url = data.value(source, SCHEMA.url)
    if url is not None:
        g.add((source, SCHEMA.url, url))
        g.add((source, DCAT.landingPage, url))
        g.add((url, RDF.type, FOAF.Document))
