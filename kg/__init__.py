"""Careers KG: an open knowledge graph of healthcare careers."""

__version__ = "0.1.0"
