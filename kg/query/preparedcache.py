"""Prepared stored queries kept in the build cache, so that a server starts without parsing SPARQL.

rdflib's parser (pyparsing) takes about 30 ms per stored query: 0.7 s for the catalogue, most of a server's
start-up. The parsed and translated algebra is a tree of `CompValue` (an OrderedDict whose missing
attributes read as None, which defeats pickle's defaults) and `Expr` nodes whose evaluation function is a
method bound to the node. `dumps` pickles them as their class, attributes and items, the bound function as
the plain function (re-bound on load), and the module-level `TrueFilter` by name. `tests/test_queries.py`
checks that every stored query answers the same after the round trip.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import sys
from collections import OrderedDict
from collections.abc import Iterator
from types import MethodType
from typing import Any

from rdflib.plugins.sparql import operators
from rdflib.plugins.sparql.parserutils import CompValue

RECURSION = 20_000  # the algebra of a long query nests deeper than Python's default limit of 1,000


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    with deep_recursion():
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


@contextlib.contextmanager
def deep_recursion() -> Iterator[None]:
    """Raise the recursion limit for (un)pickling a deep algebra tree."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, RECURSION))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if obj is operators.TrueFilter:
            return (_true_filter, ())
        if isinstance(obj, CompValue):
            state = dict(obj.__dict__)
            if isinstance(state.get("_evalfn"), MethodType):
                state["_evalfn"] = state["_evalfn"].__func__
            return (_new, (type(obj),), state, None, iter(list(obj.items())), _set_state)
        return NotImplemented


def _new(cls: type) -> CompValue:
    node = cls.__new__(cls)
    OrderedDict.__init__(node)
    return node


def _set_state(node: CompValue, state: dict[str, Any]) -> None:
    evalfn = state.get("_evalfn")
    node.__dict__.update(state)
    if evalfn is not None:
        node.__dict__["_evalfn"] = MethodType(evalfn, node)


def _true_filter() -> Any:
    return operators.TrueFilter
