"""schema.org markup for SOC occupation pages: an `Occupation` whose `estimatedSalary` is the national wage
distribution of the release (`MonetaryAmountDistribution`: 10th, 25th, 50th, 75th and 90th percentile, USD,
per year and per hour), with `occupationLocation` (the United States), `occupationalCategory` (the SOC 2018
code in its code set) and `sameAs` only where the data cites a page of this very occupation.

The salary's date: Google's estimated-salary markup reads it from ``mainEntityOfPage.lastReviewed``; the
page gives the release's publication date there, and each distribution names its release as a
`schema:Dataset` with ``datePublished`` and ``temporalCoverage`` (the reference month), as the profession
markup (`kg.web.jsonld`) does. A percentile BLS did not publish (top-coded, not released) is left out, never
filled in."""

from __future__ import annotations

from typing import Any

from kg.rdf.namespaces import ID
from kg.views.occupation import OccupationPage
from kg.views.oews import Figure

SOC_2018 = str(ID["soc-2018"])
SOC_2018_NAME = "Standard Occupational Classification 2018"
# (pay period, schema.org duration, the keys of the 10th, 25th, 50th, 75th and 90th percentile)
DISTRIBUTIONS = (
    ("Annual wage", "P1Y", ("annual_p10", "annual_p25", "median_annual", "annual_p75", "annual_p90")),
    ("Hourly wage", "PT1H", ("hourly_p10", "hourly_p25", "median_hourly", "hourly_p75", "hourly_p90")),
)
PERCENTILES = ("percentile10", "percentile25", "median", "percentile75", "percentile90")


def occupation(page: OccupationPage, nation_iri: str, page_url: str) -> dict[str, Any]:
    """The schema.org JSON-LD document of the occupation *page* (national figures)."""
    occ, release = page.occupation, page.release
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "@id": f"{occ.iri}#occupation",  # the occupation, apart from its code (the concept's IRI)
        "name": occ.title,
        "occupationalCategory": {
            "@type": "CategoryCode",
            "@id": occ.iri,
            "codeValue": occ.code,
            "name": occ.title,
            "inCodeSet": {"@type": "CategoryCodeSet", "@id": SOC_2018, "name": SOC_2018_NAME},
        },
        "occupationLocation": [{"@type": "Country", "@id": nation_iri, "name": "United States"}],
    }
    if occ.scope:
        doc["description"] = occ.scope
    dataset: dict[str, Any] = {"@type": "Dataset", "@id": release.iri, "name": release.title,
                               "temporalCoverage": release.ref_period}  # fmt: skip
    if release.url:
        dataset["url"] = release.url
    if release.published:
        dataset["datePublished"] = release.published
        doc["mainEntityOfPage"] = {"@type": "WebPage", "@id": page_url, "lastReviewed": release.published}
    salaries = [s for s in (_distribution(page, d, dataset) for d in DISTRIBUTIONS) if s]
    if salaries:
        doc["estimatedSalary"] = salaries
    if page.same_as:
        doc["sameAs"] = list(page.same_as)
    return doc


def _distribution(
    page: OccupationPage, spec: tuple[str, str, tuple[str, ...]], dataset: dict[str, Any]
) -> dict[str, Any] | None:
    name, duration, keys = spec
    figures: list[Figure] = [page.national[k] for k in keys]
    values = {p: _number(f.value) for p, f in zip(PERCENTILES, figures, strict=True) if f.value is not None}
    if not values:
        return None
    out: dict[str, Any] = {
        "@type": "MonetaryAmountDistribution",
        "name": f"{name}, United States, {page.release.period_label}",
        "currency": "USD",
        "duration": duration,
        **values,
        "description": f"{page.release.cite}; all industries",
        "subjectOf": dataset,
    }
    pairs = zip(PERCENTILES, figures, strict=True)
    left_out = [f"{p}: {f.note or f.text}" for p, f in pairs if p not in values]
    if left_out:
        out["description"] += "; not given: " + "; ".join(left_out)
    return out


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value
