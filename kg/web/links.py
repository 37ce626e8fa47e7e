"""Where an IRI links to on a page: entities to /id/<slug>, ontology terms to /ontology#<name>, other http(s)
IRIs to themselves, anything else (urn:, javascript:, mailto:, file:, blank nodes) to nothing."""

from __future__ import annotations

import re
from urllib.parse import quote

from kg.rdf.namespaces import CKG, ID, ONTOLOGY_IRI

_SCHEME = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
_ID, _CKG = str(ID), str(CKG)


def slug_of(iri: str) -> str | None:
    """The slug of an entity IRI (``…/id/medical-coder`` → ``medical-coder``), else None."""
    if iri.startswith(_ID):
        rest = iri[len(_ID) :]
        if rest and "/" not in rest and "#" not in rest and "?" not in rest:
            return rest
    return None


def href(iri: object) -> str | None:
    """The link target for *iri*, or None when it must be shown as text."""
    text = str(iri) if iri is not None else ""
    slug = slug_of(text)
    if slug is not None:
        return "/id/" + quote(slug, safe="")
    if text.startswith(_CKG):
        return "/ontology#" + quote(text[len(_CKG) :], safe="")
    if text == ONTOLOGY_IRI:
        return "/ontology"
    if _SCHEME.match(text):
        return text
    return None
