"""kg.stores.mirror: the in-memory Oxigraph copy where a small memory store's stored queries run.

The copy must answer exactly as rdflib does (tests/test_store.py compares the results of every stored query
on the seed; here, the bytes of every format): a graph holding a literal that Oxigraph would write
differently is not mirrored, and its stored queries run on rdflib in the worker, under their own time
limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS, XSD
from standins import EX, PFX, StandIn, small_kg

from kg.query import sandbox
from kg.query.catalogue import bind, load_catalogue
from kg.query.execute import execute, execute_serialized, prepare
from kg.rdf import formats
from kg.stores import mirror as mirror_module
from kg.stores.mirror import Mirror, mirror
from kg.stores.oxigraph import to_ox

PAY = PFX + "SELECT ?pay WHERE { ex:cma ex:pay ?pay }"
CATALOGUE = load_catalogue(Path(__file__).resolve().parent.parent / "queries")
CASES = [
    (name, fmt)
    for name, stored in CATALOGUE.items()
    if "oews" not in stored.tags  # over imported OEWS data: not in the seed
    for fmt in formats.answer_formats(stored.kind)
]


def test_a_small_graph_is_mirrored_once(kg):
    copy = mirror(kg)
    assert isinstance(copy, Mirror) and mirror(kg) is copy
    assert len(copy) == len(kg.union) == 2934  # the seed's union: data, ontology and inferred triples
    assert copy.sandbox_needs() == {"nice": 0}  # no file, no socket; the server's priority


def test_the_mirror_holds_the_named_graphs():
    standin = small_kg()
    copy = mirror(standin)
    assert copy is not None and set(copy.graphs) == {str(EX.g1), str(EX.g2)}
    result = execute(standin, prepare(PFX + "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
                                      " ORDER BY ?g"), stored=True)  # fmt: skip
    assert result.rows == ((EX.g1, Literal(2)), (EX.g2, Literal(4)))


@pytest.mark.parametrize(
    ("written", "rdflib_keeps", "oxigraph_writes"),
    [
        (Literal("125264.90", datatype=XSD.decimal), "125264.90", "125264.9"),
        (Literal("1.50E3", datatype=XSD.double), "1500.0", "1500"),
        (Literal("2016-05-01T00:00:00.000Z", datatype=XSD.dateTime), "2016-05-01T00:00:00+00:00",
         "2016-05-01T00:00:00Z"),
        (Literal("Medical Assistant", lang="EN-US"), "Medical Assistant", "Medical Assistant"),  # tag: en-us
    ],
)  # fmt: skip
def test_a_literal_oxigraph_would_change_keeps_the_graph_on_rdflib(
    written, rdflib_keeps, oxigraph_writes, monkeypatch
):
    import pyoxigraph as ox

    alone = ox.Store()
    alone.add(ox.Quad(ox.NamedNode(EX.cma), ox.NamedNode(EX.pay), to_ox(written), ox.DefaultGraph()))
    (stored,) = alone
    assert stored.object.value == oxigraph_writes
    assert (stored.object.language, written.language) in ((None, None), ("en-us", "EN-US"))
    standin = StandIn({EX.g: [(EX.cma, EX.pay, written), (EX.cma, RDFS.label, Literal("CMA"))]})
    assert mirror(standin) is None
    monkeypatch.setattr(sandbox.Pool, "call", lambda *a, **k: pytest.fail("a child answered"))
    (row,) = execute(standin, prepare(PAY), stored=True).rows  # rdflib, in this process
    assert row == (written,) and str(row[0]) == rdflib_keeps and row[0].language == written.language


def test_canonical_literals_are_mirrored():
    standin = StandIn({EX.g: [(EX.cma, EX.pay, Literal("125264.9", datatype=XSD.decimal))]})
    assert mirror(standin) is not None
    (row,) = execute(standin, prepare(PAY), stored=True).rows
    assert row == (Literal("125264.9", datatype=XSD.decimal),)


def test_a_graph_over_the_limit_is_not_mirrored(monkeypatch):
    standin = small_kg()
    monkeypatch.setattr(mirror_module, "MIRROR_MAX_TRIPLES", len(standin.union) - 1)
    assert mirror(standin) is None


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_the_same_bytes_as_rdflib(kg, name, fmt):
    """Every stored query on its examples, in every format the web sends it in: the mirror's answer (written
    by pyoxigraph for `SAME_BYTES`, by rdflib from the mirror's terms for the others) is rdflib's, byte for
    byte."""
    stored = CATALOGUE[name]
    bindings = bind(stored, {p.name: p.example for p in stored.params if p.example})
    by_rdflib = execute_serialized(kg, stored.prepared, fmt, bindings=bindings)  # ad hoc: rdflib, forked
    by_mirror = execute_serialized(kg, stored.prepared, fmt, bindings=bindings, stored=True)
    assert (by_mirror.result is None) == (fmt in mirror_module.SAME_BYTES)  # written by pyoxigraph, or not
    assert by_mirror.body == by_rdflib.body and by_rdflib.body
