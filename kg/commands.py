"""What each `careers-kg` command does (kg/cli.py parses the arguments). Heavy modules are imported per
command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from kg.config import Settings
from kg.errors import FAILURE, USAGE, CliError

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph


def validate(args: argparse.Namespace) -> int:
    """Validate without building: a cached conforming build (or a loaded Oxigraph store of the same inputs)
    answers at once, nothing is written."""
    from kg.pipeline.build import check
    from kg.stores.store import stored_check

    settings = _settings(args, files=args.files)
    report, counts = stored_check(settings) or check(settings, progress=_progress())
    if not report.conforms:
        print(report.text())
        count = report.count()
        raise CliError(f"the data does not conform: {count} violation{'' if count == 1 else 's'}")
    print(f"data conforms: {counts['data']} triples, {counts['inferred']} inferred")
    for result in report.results:  # warnings and infos do not stop the data from conforming
        print(f"{result.severity.lower()}: {result.line()}")
    return 0


def build(args: argparse.Namespace) -> int:
    from kg.query.catalogue import load_catalogue
    from kg.stores.store import open_kg
    from kg.views.area import rankings
    from kg.views.oews import reference
    from kg.views.search import SearchIndex

    settings = _settings(args)
    kg = open_kg(settings, use_cache=not args.no_cache, progress=_progress())
    load_catalogue(settings.queries_dir, settings.root, settings.cache_dir)  # checked and prepared once
    SearchIndex.for_kg(kg, settings.cache_dir)  # the first start need not index
    rankings(kg, reference(kg), settings.cache_dir)  # nor the first state page rank the occupations
    c = kg.triple_counts
    print(f"built {kg.version}: {c['data']} data, {c['ontology']} ontology, {c['inferred']} inferred triples")
    return 0


def list_queries(args: argparse.Namespace) -> int:
    from kg.query.catalogue import load_catalogue

    settings = _settings(args)
    catalogue = load_catalogue(settings.queries_dir, settings.root)
    width = max((len(name) for name in catalogue), default=0)
    for name, stored in catalogue.items():
        params = " ".join(
            f"-p {p.name}=<{p.type}>" if p.required else f"[-p {p.name}=<{p.type}>]" for p in stored.params
        )
        print(f"{name.ljust(width)}  {stored.kind:<9}  {stored.title}" + (f"  ({params})" if params else ""))
    return 0


def query(args: argparse.Namespace) -> int:
    from kg.query.catalogue import bind, check_values, find_query
    from kg.stores.store import open_kg as build_kg

    settings = _settings(args)
    stored = find_query(settings.queries_dir, args.name, settings.root)
    raw = _raw_params(args.param)
    bindings = bind(stored, raw)
    fmt = _result_format(args.format, stored.kind, args.output)
    kg = build_kg(settings, progress=_progress())
    check_values(kg, stored, bindings, raw)  # e.g. a profession that is not one: exit 2, close names given
    return _emit_result(kg, stored.prepared, fmt, settings, args.output, bindings=bindings, stored=True)


def sparql(args: argparse.Namespace) -> int:
    from kg.query.execute import prepare
    from kg.stores.store import open_kg as build_kg

    settings = _settings(args)
    prepared = prepare(_query_text(args.text))
    fmt = _result_format(args.format, prepared.kind, args.output)
    kg = build_kg(settings, progress=_progress())
    return _emit_result(kg, prepared, fmt, settings, args.output)


def export(args: argparse.Namespace) -> int:
    from kg.rdf import formats
    from kg.stores.store import open_kg as build_kg
    from kg.views.exports import export_bytes, streamed, write_export, write_named_graphs

    if getattr(args, "named_graphs", False):
        kg = build_kg(_settings(args), progress=_progress())
        _write_stream(lambda out: write_named_graphs(kg, out), args.output)
        return 0

    value = args.format or (args.output.suffix if args.output and args.output.suffix else "turtle")
    fmt = "ctdl" if value.strip().lower() == "ctdl" else formats.resolve(value, formats.GRAPH_FORMATS)
    if fmt is None:
        known = ", ".join((*formats.GRAPH_FORMATS, "ctdl"))
        raise CliError(f"unknown export format {value!r}; use one of: {known}", USAGE)
    if fmt == "ctdl" and args.inferred:
        raise CliError("the CTDL export has no inferred variant; drop --inferred", USAGE)
    kg = build_kg(_settings(args), progress=_progress())
    if streamed(kg, fmt):  # a large graph's export, written by its store as it is read
        _write_stream(lambda out: write_export(kg, fmt, out, inferred=args.inferred), args.output)
        return 0
    _write(export_bytes(kg, fmt, inferred=args.inferred), args.output)  # canonical, with the citation
    return 0


def synth(args: argparse.Namespace) -> int:
    from kg.importers import synth as generator

    if args.professions < 1:
        raise CliError("--professions must be at least 1", USAGE)
    try:
        count = generator.write(args.output, args.professions, seed=args.seed)
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    if str(args.output) != "-":
        print(f"wrote {count} triples to {args.output}", file=sys.stderr)
    return 0


def import_oews(args: argparse.Namespace) -> int:
    from kg.importers.oews import import_oews as run
    from kg.importers.oews import selection_for

    try:
        selection, occupations = selection_for(args.areas, args.industries, args.occupations)
    except ValueError as exc:
        raise CliError(str(exc), USAGE) from None
    say = _progress() or (lambda message: None)
    try:
        summary = run(args.source, args.output, selection, occupations, progress=say)
    except OSError as exc:  # reading the source or writing the output
        raise CliError(f"{exc.filename or args.output}: {exc.strerror or exc}") from None
    print(
        f"imported OEWS {summary.release}: {summary.cells} cells, {summary.triples} triples "
        f"into {args.output}",
        file=sys.stderr,
    )
    return 0


def serve(args: argparse.Namespace) -> int:
    try:
        from kg.web.server import serve as serve_web
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("kg.web"):
            raise CliError("the web server is not available: kg/web/server.py is missing") from None
        raise
    keys = ("host", "port", "workers", "query_timeout", "max_rows")
    changes: dict[str, Any] = {k: getattr(args, k) for k in keys if getattr(args, k) is not None}
    if args.named_graph:
        changes["named_graphs"] = tuple(_named_graph(pair) for pair in args.named_graph)
    return serve_web(_settings(args).replace(**changes)) or 0


def _named_graph(pair: str) -> tuple[str, Path]:
    iri, sep, path = pair.partition("=")
    if not sep or not iri.strip() or not path.strip():
        raise CliError(f"--named-graph expects IRI=FILE, got {pair!r}", USAGE)
    if not iri.strip().startswith(("http://", "https://", "urn:")):
        raise CliError(f"--named-graph needs an http, https or urn IRI, got {iri.strip()!r}", USAGE)
    return iri.strip(), Path(path.strip()).resolve()


def _settings(args: argparse.Namespace, files: list[Path] | None = None) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "store", None):
        from kg.stores.store import parse_store

        parse_store(args.store)  # a ConfigError (exit status 2) before any work
        settings = settings.replace(store=args.store)
    chosen = files or args.data
    return settings.replace(data_files=tuple(p.resolve() for p in chosen)) if chosen else settings


def _progress() -> Any:
    if not sys.stderr.isatty():
        return None
    return lambda message: print(f"careers-kg: {message}…", file=sys.stderr, flush=True)


def _raw_params(pairs: list[str]) -> dict[str, str]:
    raw: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"-p expects NAME=VALUE, got {pair!r}", USAGE)
        raw[name.strip()] = value
    return raw


def _query_text(text: str) -> str:
    if not text.startswith("@"):
        return text
    source = text[1:]
    try:
        return sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(
            f"cannot read the query file {source}: {getattr(exc, 'strerror', None) or exc}"
        ) from None


def _result_format(value: str | None, kind: str, output: Path | None) -> str:
    from kg.rdf import formats

    candidates = formats.result_formats_for(kind)
    if value:
        fmt = formats.resolve(value, candidates)
        if fmt is None:
            raise CliError(
                f"unknown format {value!r} for a {kind} query; use one of: {', '.join(candidates)}", USAGE
            )
        return fmt
    if output is not None and output.suffix:
        fmt = formats.resolve(output.suffix, candidates)
        if fmt is not None:
            return fmt
    if output is None and sys.stdout.isatty():
        return "table"
    return candidates[0]


def _emit_result(
    kg: KnowledgeGraph, query: Any, fmt: str, settings: Settings, output: Path | None, **options: Any
) -> int:
    """Run *query* and write its result in *fmt* (`kg.query.execute.execute_serialized`, as the web does)."""
    from kg.query.execute import execute_serialized
    from kg.rdf.labels import label

    limits = {"timeout": settings.query_timeout, "max_rows": settings.max_rows}
    labels = lambda node: label(kg.union, node)  # noqa: E731
    answer = execute_serialized(kg, query, fmt, labels=labels, **limits, **options)
    _write(answer.body or b"", output)
    if answer.truncated:
        cut = f"careers-kg: the result was cut at {settings.max_rows} rows (CAREERS_KG_MAX_ROWS)"
        print(cut, file=sys.stderr)
    return 0


def _write_stream(write: Callable[[BinaryIO], None], output: Path | None) -> None:
    """*write* to standard output, or to *output* through a temporary file renamed when complete."""
    if output is None:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(output.name + ".tmp")
    try:
        with tmp.open("wb") as out:
            write(out)
        os.replace(tmp, output)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}", FAILURE) from None
    finally:
        tmp.unlink(missing_ok=True)  # gone once renamed


def _write(body: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(body)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}", FAILURE) from None
