"""A compiled SHACL validator: for a shapes graph that uses only the features below, the very `Report` that
`kg.pipeline.validate` gets from pyshacl (inference "none", advanced mode, the ontology mixed in, warnings
allowed), in seconds at 10⁶ triples where pyshacl takes minutes.

`compile_shapes` (`compile.py`) turns the shapes graph into plain Python checks once (None when it uses
anything else); `Compiled.validate` (`run.py`) runs them over the data graphs, which it reads through one
union view and never copies.

Supported, each with pyshacl's semantics (which results, with which focus node, path, message and severity):

* targets: sh:targetClass (instances through rdf:type and rdfs:subClassOf*), sh:targetSubjectsOf,
  sh:targetObjectsOf, sh:targetNode;
* paths: an IRI, or ``[ sh:inversePath IRI ]``;
* sh:minCount, sh:maxCount, sh:datatype (ill-typed literals fail), sh:class, sh:nodeKind, sh:pattern with
  sh:flags, sh:languageIn, sh:uniqueLang, sh:or, sh:property, sh:node (the nested results are reported too, as
  pyshacl's sh:detail results are), sh:qualifiedValueShape with sh:qualifiedMinCount, sh:qualifiedMaxCount
  and sh:qualifiedValueShapesDisjoint, sh:lessThanOrEquals (on property shapes with an IRI path; a value
  that cannot be compared fails, where pyshacl stops with an error for a blank node);
* sh:message, sh:severity, sh:deactivated, and the non-validating sh:name, sh:description, sh:order,
  sh:group, sh:defaultValue;
* SHACL-SPARQL constraints (sh:sparql with sh:select, sh:message, sh:prefixes/sh:declare, sh:deactivated) on
  node shapes whose query binds ``$this`` in a triple pattern of its WHERE clause (and groups by it when it
  aggregates): each query runs once over the whole graph and its rows are split by ``$this``, which gives
  what pyshacl gets by running it once per focus node.

Not supported, so `compile_shapes` returns None and `kg.pipeline.validate` runs pyshacl instead: any other sh:
predicate (sh:hasValue, sh:in, sh:equals, sh:lessThan, sh:closed, sh:not, sh:and, sh:xone, sh:minLength,
sh:minInclusive, …, sequence and other complex paths, SHACL-AF rules, custom targets, functions, custom
constraint components), a shape typed anything but sh:NodeShape or sh:PropertyShape (implicit class
targets), recursive shapes, a shape whose results reach the report without an sh:message of its own (pyshacl
then writes a message whose prefixes depend on its evaluation order), SPARQL constraints on property shapes or
using ``$currentShape``, ``$shapesGraph``, ``$PATH``, ``?failure``, LIMIT/OFFSET, VALUES, MINUS, SERVICE,
GRAPH, OPTIONAL, UNION or sub-queries, and whatever pyshacl itself rejects as malformed. An ontology with
blank nodes or owl:NamedIndividual (which pyshacl copies in a way of its own) makes `Compiled.validate` raise
`Unsupported`.

The package, in the order a validation goes: `model.py` (the compiled shapes and their results),
`constraints.py` (one class per constraint component), `sparql.py` (which SHACL-SPARQL constraints can run
once over the whole graph), `compile.py` (shapes graph → `Compiled`), `run.py` (`Compiled.validate`: targets,
values, the ontology mixed in, the report).
"""

from kg.pipeline.shacl.compile import compile_or_raise, compile_shapes
from kg.pipeline.shacl.model import Unsupported
from kg.pipeline.shacl.run import Compiled

__all__ = ["Compiled", "Unsupported", "compile_or_raise", "compile_shapes"]
