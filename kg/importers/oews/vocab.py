"""The terms the OEWS importer writes, as N-Triples terms (namespace IRIs from `kg.rdf.namespaces`)."""

from __future__ import annotations

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.importers.oews.writer import iri
from kg.rdf.namespaces import CKG as _CKG
from kg.rdf.namespaces import ID as _ID
from kg.rdf.namespaces import QB as _QB
from kg.rdf.namespaces import SCHEMA as _SCHEMA
from kg.rdf.namespaces import SDMX_DIMENSION

CKG, ID, QB, SCHEMA = str(_CKG), str(_ID), str(_QB), str(_SCHEMA)


def ckg(local: str) -> str:
    """An ontology term, e.g. ``ckg("medianAnnualWage")``."""
    return iri(CKG + local)


def node(slug: str) -> str:
    """An entity, e.g. ``node("us-ca")``."""
    return iri(ID + slug)


def qb(local: str) -> str:
    return iri(QB + local)


def dct(local: str) -> str:
    return iri(str(DCTERMS) + local)


def schema(local: str) -> str:
    return iri(SCHEMA + local)


TYPE = iri(str(RDF.type))
PREF_LABEL, ALT_LABEL = iri(str(SKOS.prefLabel)), iri(str(SKOS.altLabel))
NOTATION, BROADER = iri(str(SKOS.notation)), iri(str(SKOS.broader))
IN_SCHEME, TOP_CONCEPT_OF = iri(str(SKOS.inScheme)), iri(str(SKOS.topConceptOf))
DEFINITION, SCOPE_NOTE = iri(str(SKOS.definition)), iri(str(SKOS.scopeNote))
CONCEPT_SCHEME = iri(str(SKOS.ConceptScheme))
COMMENT = iri(str(RDFS.comment))
WAS_DERIVED_FROM = iri(str(PROV.wasDerivedFrom))
REF_AREA = iri(str(SDMX_DIMENSION) + "refArea")
SOURCE = ckg("source")
