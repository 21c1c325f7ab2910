"""SHACL validation of a built graph against ontology/shapes.ttl, with the ontology mixed in.

The file is first parsed by pyoxigraph, a strict parser that reports the line and column
of a syntax error; the graph is then checked by pySHACL. SHACL-AF is on because the
shapes find whole-graph faults (an entity of two types, an assertion whose triple is
missing) with one SPARQL target each instead of one query per node.

No inference by default: sh:class already follows the ontology's rdfs:subClassOf, and
it is twice as fast (benchmarks/validate.py). With inference "rdfs" the relations'
rdfs:domain/rdfs:range add types, so a relation whose tail has the other alt_type
(warning without inference) becomes an entity of two types (violation).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph
from pyshacl import validate as shacl_validate
from rdflib import RDF, Dataset, Graph, Namespace
from rdflib.term import Node

from kg.errors import ValidationError
from kg.rdf import ONTOLOGY_FILE, SHAPES_FILE

SH = Namespace("http://www.w3.org/ns/shacl#")
Inference = TypingLiteral["none", "rdfs"]

# File suffix → (rdflib format, pyoxigraph format, holds named graphs)
_FORMATS: dict[str, tuple[str, pyoxigraph.RdfFormat, bool]] = {
    ".ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE, False),
    ".nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES, False),
    ".nq": ("nquads", pyoxigraph.RdfFormat.N_QUADS, True),
    ".trig": ("trig", pyoxigraph.RdfFormat.TRIG, True),
    ".jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD, True),
    ".rdf": ("xml", pyoxigraph.RdfFormat.RDF_XML, False),
}


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which constraint, and why."""

    focus: str
    path: str | None
    value: str | None  # the offending value, where there is one
    message: str
    severity: str  # Violation, Warning or Info
    constraint: str  # e.g. MinCountConstraintComponent


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool  # no result of severity Violation (warnings are reported, not fatal)
    text: str  # pySHACL's human-readable report
    violations: tuple[Violation, ...] = ()  # every result, warnings included

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity != "Violation")


@lru_cache(maxsize=1)
def _shapes_and_ontology() -> tuple[Graph, Graph]:
    return Graph().parse(SHAPES_FILE, format="turtle"), Graph().parse(ONTOLOGY_FILE, format="turtle")


def load_graph(path: Path) -> Graph:
    """Parse ``path`` by its suffix; named graphs are merged into one graph.

    Raises ValidationError naming the file, line and column of a syntax error.
    """
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"{path}: no such file; give a graph written by `kg build` (e.g. output/graph.ttl)")
    if path.suffix.lower() not in _FORMATS:
        raise ValidationError(f"{path}: unknown RDF file type {path.suffix!r}; use one of {', '.join(_FORMATS)}")
    rdflib_format, oxigraph_format, has_graphs = _FORMATS[path.suffix.lower()]
    try:
        for _ in pyoxigraph.parse(path=path, format=oxigraph_format):
            pass
    except SyntaxError as error:
        # pyoxigraph says "Parser error at line 2 column 27: <reason> (<file>, line 2)"
        reason = str(error.msg or error).split(": ", 1)[-1].rsplit(" (", 1)[0]
        raise ValidationError(f"{path}, line {error.lineno}, column {error.offset}: not valid "
                              f"{rdflib_format}: {reason}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(f"{path}: cannot read: {error}") from error
    if not has_graphs:
        return Graph().parse(path, format=rdflib_format)
    dataset = Dataset()
    dataset.parse(path, format=rdflib_format)
    merged = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def validate_graph(data: Graph, *, inference: Inference = "none") -> ValidationReport:
    """Check ``data`` against the shapes, with the ontology mixed in."""
    shapes, ontology = _shapes_and_ontology()
    conforms, results, text = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology,
                                             inference=inference, abort_on_first=False,
                                             allow_warnings=True, meta_shacl=False, advanced=True)
    return ValidationReport(conforms=bool(conforms), text=str(text), violations=_violations(results))


def validate(path: Path, *, inference: Inference = "none") -> ValidationReport:
    """Parse and validate the graph file at ``path``."""
    return validate_graph(load_graph(path), inference=inference)


def _violations(results: Graph) -> tuple[Violation, ...]:
    def text(node: Node | None) -> str | None:
        return None if node is None else str(node)

    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        found.append(Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=text(results.value(result, SH.resultPath)),
            value=text(results.value(result, SH.value)),
            message=text(results.value(result, SH.resultMessage)) or "",
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            constraint=str(component).rsplit("#", 1)[-1] if component else "",
        ))
    return tuple(sorted(found, key=lambda v: (v.focus, v.path or "", v.constraint, v.message)))
