"""Importers of official releases into RDF files the build loads like any other data (`careers-kg import`).

Each importer streams its source (never holding every record in memory), writes deterministic output (the
same input gives byte-identical files) atomically (a temporary file renamed into place), and reports bad input
as a `kg.pipeline.load.DataError` naming the file and line. `oews` reads the BLS Occupational Employment
and Wage
Statistics release.
"""
