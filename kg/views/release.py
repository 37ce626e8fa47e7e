"""The release: how the dataset is cited, licensed and versioned, read from the one place that records it
(``CITATION.cff`` at the repository root), and the export of a build with that citation inside.

The dataset version is ``<release version>+<hash of the build's inputs>`` (``0.1.0+1a2b3c4d5e6f``): the same
inputs always give the same version, and any change to the data, ontology or shapes gives a new one. Exports
are byte-identical for the same inputs (see `kg.rdf.formats.serialize_graph`), so a checksum names exactly
what
was cited.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rdflib import OWL, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg.config import package_root
from kg.errors import KGError
from kg.rdf.namespaces import BASE

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

CITATION_FILE = package_root() / "CITATION.cff"
DATASET = URIRef(BASE + "dataset")
# SPDX identifier -> (licence URL, short name); the data licence named in CITATION.cff must be one of these.
LICENSES = {"CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0")}


class ReleaseError(KGError):
    """CITATION.cff is missing or lacks what a citation needs."""


@dataclass(frozen=True)
class Release:
    title: str
    authors: tuple[str, ...]
    version: str  # the release version (CITATION.cff `version`, the same as pyproject's)
    date: str  # ISO date the release was published (CITATION.cff `date-released`)
    license_id: str
    url: str

    @property
    def license_url(self) -> str:
        return LICENSES[self.license_id][0]

    @property
    def license_name(self) -> str:
        return LICENSES[self.license_id][1]


@functools.cache
def release(path: Path = CITATION_FILE) -> Release:
    """The release recorded in CITATION.cff (read once)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReleaseError(f"cannot read {path.name}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        authors = tuple(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in doc["authors"])
        out = Release(
            title=str(doc["title"]),
            authors=authors,
            version=str(doc["version"]),
            date=str(doc["date-released"]),
            license_id=str(doc["license"]),
            url=str(doc["url"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        needs = "a title, authors, version, date-released, license and url"
        raise ReleaseError(f"{path.name} needs {needs} ({exc})") from None
    if out.license_id not in LICENSES:
        raise ReleaseError(f"{path.name}: unknown licence {out.license_id!r} (known: {', '.join(LICENSES)})")
    return out


def dataset_version(kg: KnowledgeGraph) -> str:
    """``<release version>+<hash of the inputs>``: what a citation names."""
    return f"{release().version}+{kg.version}"


def cite_as(kg: KnowledgeGraph) -> str:
    """The "cite as" sentence: authors, year, title, version, URL and licence."""
    r = release()
    return (
        f"{', '.join(r.authors)} ({r.date[:4]}). {r.title}, version {dataset_version(kg)} [data set], "
        f"released {r.date}. {r.url}. Licence: {r.license_name} ({r.license_url})."
    )


def citation_triples(kg: KnowledgeGraph) -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    """What every export says about itself: the dataset, its licence, version and citation."""
    r = release()
    return [
        (DATASET, DCTERMS.title, Literal(r.title, lang="en")),
        (DATASET, DCTERMS.license, URIRef(r.license_url)),
        (DATASET, DCTERMS.bibliographicCitation, Literal(cite_as(kg), lang="en")),
        (DATASET, DCTERMS.issued, Literal(r.date, datatype=XSD.date)),
        (DATASET, OWL.versionInfo, Literal(dataset_version(kg))),
    ]


def comment(kg: KnowledgeGraph) -> str:
    """The one-line citation put at the top of Turtle, N-Triples, CSV and TSV downloads."""
    return f"Careers KG {dataset_version(kg)}. Cite as: {cite_as(kg)}"
