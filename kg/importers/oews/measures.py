"""The 17 OEWS datatypes as Data Cube measure properties, with their units, currencies and variables, and the
facts of each release the importer knows (what the flat files do not say: the publication date)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    datatype: str  # OEWS datatype code, 01…17
    prop: str  # local name of the ckg: measure property
    slug: str  # for entity slugs
    unit: str  # slug of the unit entity
    variable: str  # slug of the statistical variable (the seed's where it has one)
    money: bool = False
    integer: bool = False

    @property
    def hourly(self) -> bool:
        return self.unit == "unit-usd-per-hour"


MEASURES: tuple[Measure, ...] = (
    Measure("01", "employment", "employment", "unit-persons", "var-employment", integer=True),
    Measure("02", "employmentRse", "employment-rse", "unit-percent", "var-employment-rse"),
    Measure("03", "meanHourlyWage", "mean-hourly-wage", "unit-usd-per-hour", "var-mean-hourly-wage", True),
    Measure("04", "meanAnnualWage", "mean-annual-wage", "unit-usd-per-year", "var-mean-annual-wage", True),
    Measure("05", "wageRse", "wage-rse", "unit-percent", "var-wage-rse"),
    Measure("06", "hourlyWageP10", "hourly-wage-p10", "unit-usd-per-hour", "var-hourly-wage-p10", True),
    Measure("07", "hourlyWageP25", "hourly-wage-p25", "unit-usd-per-hour", "var-hourly-wage-p25", True),
    Measure("08", "medianHourlyWage", "median-hourly-wage", "unit-usd-per-hour", "var-median-hourly-wage",
            True),
    Measure("09", "hourlyWageP75", "hourly-wage-p75", "unit-usd-per-hour", "var-hourly-wage-p75", True),
    Measure("10", "hourlyWageP90", "hourly-wage-p90", "unit-usd-per-hour", "var-hourly-wage-p90", True),
    Measure("11", "annualWageP10", "annual-wage-p10", "unit-usd-per-year", "var-annual-wage-p10", True),
    Measure("12", "annualWageP25", "annual-wage-p25", "unit-usd-per-year", "var-annual-wage-p25", True),
    Measure("13", "medianAnnualWage", "median-annual-wage", "unit-usd-per-year", "var-median-annual-wage",
            True),
    Measure("14", "annualWageP75", "annual-wage-p75", "unit-usd-per-year", "var-annual-wage-p75", True),
    Measure("15", "annualWageP90", "annual-wage-p90", "unit-usd-per-year", "var-annual-wage-p90", True),
    Measure("16", "employmentPer1000Jobs", "employment-per-1000-jobs", "unit-per-1000-jobs",
            "var-employment-per-1000-jobs"),
    Measure("17", "locationQuotient", "location-quotient", "unit-ratio", "var-location-quotient"),
)  # fmt: skip
BY_DATATYPE = {m.datatype: m for m in MEASURES}
SUBNATIONAL_ONLY = ("16", "17")  # BLS publishes these only for states and metropolitan areas
TOP_CODED = "5"  # the footnote of a wage at or above the top of the survey's wage range
NOT_RELEASED = "8"

# Units and variables the seed (data/careers.ttl) does not define: slug → (label, description).
NEW_UNITS: dict[str, tuple[str, str]] = {
    "unit-per-1000-jobs": (
        "jobs per 1,000 jobs",
        "A count of an occupation's jobs for every 1,000 jobs of all occupations in the same area.",
    ),
    "unit-ratio": ("ratio", "A ratio of two quantities of the same unit; 1 means they are equal."),
}
NEW_VARIABLES: dict[str, tuple[str, str]] = {
    "var-employment-rse": (
        "Relative standard error of employment",
        "The relative standard error of an employment estimate, in percent: the smaller, the more precise.",
    ),
    "var-wage-rse": (
        "Relative standard error of the mean wage",
        "The relative standard error of a mean wage estimate, in percent: the smaller, the more precise.",
    ),
    **{
        f"var-{period}-wage-p{p}": (
            f"{period.capitalize()} wage, {p}th percentile",
            f"The {period} wage below which {p} percent of an occupation's workers earn.",
        )
        for period in ("hourly", "annual")
        for p in ("10", "25", "75", "90")
    },
    "var-employment-per-1000-jobs": (
        "Employment per 1,000 jobs",
        "How many of every 1,000 jobs in an area are jobs in the occupation.",
    ),
    "var-location-quotient": (
        "Location quotient",
        "An occupation's share of employment in an area divided by its share of national employment: above "
        "1, the occupation is more concentrated in the area than in the nation.",
    ),
}


@dataclass(frozen=True)
class ReleaseFacts:
    """What the importer must be told about a release: its reference month and publication date."""

    code: str  # e.g. 2025A01 (oe.release)
    month: str  # the reference period, xsd:gYearMonth
    issued: str  # the publication date, xsd:date
    url: str = "https://www.bls.gov/oes/"


# To import next year's release, add its facts here (BLS publishes the date with the release).
RELEASES: dict[str, ReleaseFacts] = {
    "2025A01": ReleaseFacts("2025A01", "2025-05", "2026-05-15"),
}
