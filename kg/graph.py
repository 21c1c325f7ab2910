"""The NetworkX view of a resolved corpus, and its GraphML round trip.

GraphML holds only scalars, so list and dict attributes travel as JSON strings and
`read_graphml` restores them: a graph read back equals the graph written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import networkx as nx

from kg.errors import GraphNotFoundError
from kg.fileio import atomic_path
from kg.model import Corpus, Entity, Relation
from kg.rdf import entity_iri

ARTICLE_PREFIX = "article:"
# Node and edge attributes that hold lists or dicts in memory.
_STRUCTURED = {"aliases", "documents", "bylines", "keywords", "recognitions", "attrs"}


def article_node(doc_id: str) -> str:
    return ARTICLE_PREFIX + doc_id


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """Entities and articles as nodes; relations and mentions as keyed edges."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for document in corpus.documents:
        graph.add_node(article_node(document.id), kind="article", type="Article",
                       label=document.title or document.id, path=document.path,
                       bylines=list(document.bylines), keywords=list(document.keywords))
    for entity in corpus.entities:
        graph.add_node(entity.id, **_entity_attrs(entity))
        for doc_id in entity.documents:
            graph.add_edge(entity.id, article_node(doc_id), key="mentionedIn", predicate="mentionedIn")
    for relation in corpus.relations:
        if relation.tail is None:
            graph.nodes[relation.head]["recognitions"].append(
                {"value": relation.attr("value") or "", "evidence": relation.evidence, "doc": relation.doc_id})
            continue
        graph.add_edge(relation.head, relation.tail, key=_edge_key(graph, relation), **_relation_attrs(relation))
    return graph


def _entity_attrs(entity: Entity) -> dict[str, Any]:
    return {
        "kind": "entity",
        "type": entity.type,
        "label": entity.name,
        "aliases": list(entity.aliases),
        "subtype": entity.subtype or "",
        "mentions": len(entity.mentions),
        "documents": list(entity.documents),
        "recognitions": [],
        "iri": str(entity_iri(entity.type, entity.name)),
        **dict(entity.attrs),
    }


def _relation_attrs(relation: Relation) -> dict[str, Any]:
    return {
        "predicate": relation.predicate,
        "evidence": relation.evidence,
        "doc": relation.doc_id,
        "start": relation.start,
        "end": relation.end,
        **dict(relation.attrs),
    }


def _edge_key(graph: nx.MultiDiGraph, relation: Relation) -> str:
    """The predicate, numbered when the same pair is related the same way by several sentences."""
    key: str = relation.predicate
    n = 1
    while graph.has_edge(relation.head, relation.tail, key=key):
        n += 1
        key = f"{relation.predicate}#{n}"
    return key


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write GraphML through a temporary file, so a crash never leaves half a file."""
    flat: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        flat.add_node(node, **_flatten(attrs))
    for head, tail, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(head, tail, key=key, **_flatten(attrs))
    with atomic_path(path) as tmp:
        nx.write_graphml(flat, tmp, encoding="utf-8")
    return path


def read_graphml(path: Path) -> nx.MultiDiGraph:
    if not path.is_file():
        raise GraphNotFoundError(f"{path}: no such graph file; run `kg build` first")
    flat = cast(nx.MultiDiGraph, nx.read_graphml(path, force_multigraph=True))
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, attrs in flat.nodes(data=True):
        graph.add_node(node, **_restore(attrs))
    for head, tail, key, attrs in flat.edges(keys=True, data=True):
        graph.add_edge(head, tail, key=key, **_restore(attrs))
    return graph


def _flatten(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            for k, v in attrs.items() if v is not None}


def _restore(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if k in _STRUCTURED and isinstance(v, str) else v for k, v in attrs.items()}
