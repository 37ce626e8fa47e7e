"""Areas of the OEWS release as entities: the nation, the states and territories (FIPS code and USPS
postal abbreviation), metropolitan areas (CBSA code and the states they lie in) and nonmetropolitan areas.

`POSTAL` maps each state FIPS code to its USPS abbreviation. Both are public-domain U.S. government facts:
the codes of FIPS PUB 5-2 "Codes for the Identification of the States, the District of Columbia and the
Outlying Areas of the United States" (now ANSI INCITS 38), and the abbreviations of USPS Publication 28,
Appendix B "Two-Letter State and Possession Abbreviations".
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.importers.oews.sources import Area, OewsError
from kg.importers.oews.vocab import ALT_LABEL, PREF_LABEL, SOURCE, TYPE, ckg, node
from kg.importers.oews.writer import literal, triple

POSTAL: dict[str, str] = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE",
    "11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA",
    "20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM",
    "36": "NY", "37": "NC", "38": "ND", "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI",
    "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY", "66": "GU", "72": "PR", "78": "VI",
}  # fmt: skip
FIPS_BY_POSTAL = {postal: fips for fips, postal in POSTAL.items()}
NATION_CODE = "0000000"


def area_slug(code: str, area: Area) -> str:
    """The entity slug of an area: ``us``, ``us-ca`` (ISO 3166-2 style), ``cbsa-31080`` or
    ``oews-area-0100001`` (a nonmetropolitan area)."""
    if area.areatype == "N":
        return "us"
    if area.areatype == "S":
        return f"us-{_postal(area.state_code, code).lower()}"
    if code.startswith("00"):
        return f"cbsa-{code[2:]}"
    return f"oews-area-{code}"


def area_triples(code: str, area: Area, source: str) -> Iterator[str]:
    """The triples of one area entity (names as BLS writes them; *source* is the release's term)."""
    s = node(area_slug(code, area))
    kind, name = _kind(code, area), area.name
    if area.areatype == "N":
        name = "United States"
    yield triple(s, TYPE, ckg(kind))
    yield triple(s, PREF_LABEL, literal(name, lang="en"))
    yield triple(s, ckg("oewsAreaCode"), literal(code))
    yield triple(s, SOURCE, source)
    if area.areatype == "N":
        yield triple(s, ALT_LABEL, literal(area.name, lang="en"))
    elif area.areatype == "S":
        yield triple(s, ckg("fipsCode"), literal(area.state_code))
        yield triple(s, ckg("postalAbbreviation"), literal(_postal(area.state_code, code)))
        yield triple(s, ckg("partOf"), node("us"))
    else:
        if kind == "MetropolitanArea":
            yield triple(s, ckg("cbsaCode"), literal(code[2:]))
        for fips in states_of(code, area):
            yield triple(s, ckg("inState"), node(f"us-{POSTAL[fips].lower()}"))


def states_of(code: str, area: Area) -> list[str]:
    """FIPS codes of the states a metropolitan or nonmetropolitan area lies in: for a metro area those its
    name ends with (``…, MA-NH``), else its own state."""
    if not code.startswith("00") or ", " not in area.name:
        _postal(area.state_code, code)
        return [area.state_code]
    fips = []
    for postal in area.name.rsplit(", ", 1)[1].split("-"):
        if postal not in FIPS_BY_POSTAL:
            raise OewsError(f"area {code} ({area.name}): {postal!r} is not a state's postal abbreviation")
        fips.append(FIPS_BY_POSTAL[postal])
    return sorted(set(fips))


def _kind(code: str, area: Area) -> str:
    if area.areatype == "N":
        return "Nation"
    if area.areatype == "S":
        return "State"
    return "MetropolitanArea" if code.startswith("00") else "NonmetropolitanArea"


def _postal(fips: str, code: str) -> str:
    if fips not in POSTAL:
        raise OewsError(f"area {code}: state code {fips!r} is not a FIPS code of a state or territory")
    return POSTAL[fips]
