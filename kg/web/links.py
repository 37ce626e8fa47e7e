"""Where an IRI links to on a page: entities to /id/<slug>, ontology terms to /ontology#<name>, other http(s)
IRIs to themselves, anything else (urn:, javascript:, mailto:, file:, blank nodes) to nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from markupsafe import Markup, escape

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


ANY_URI = "http://www.w3.org/2001/XMLSchema#anyURI"
_INFERRED = (
    ' <span class="badge inferred" title="inferred by OWL-RL reasoning, not asserted in the data">'
    "inferred</span>"
)


def term_html(t: object) -> Markup:
    """A shown term (`kg.views.describe.Term`, or a mapping with its fields) as HTML: a link where it has a
    target, its label otherwise, a language tag other than English, an "inferred" badge. The ``term`` macro
    of the templates is this filter: a page shows a hundred terms, and a Jinja macro call costs ten times
    more than this function."""
    get = t.get if isinstance(t, Mapping) else lambda name: getattr(t, name, None)
    kind, label = get("kind"), escape(get("label"))
    if kind == "bnode":
        out = f'<span class="muted">{label}</span>'
    else:
        target = href(get("value")) if kind == "iri" or get("datatype") == ANY_URI else None
        out = f'<a href="{escape(target)}">{label}</a>' if target else str(label)
        lang = get("lang")
        if kind != "iri" and lang and lang != "en":
            out += f' <span class="muted">@{escape(lang)}</span>'
    return Markup(out + (_INFERRED if get("inferred") else ""))
