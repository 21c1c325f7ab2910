from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.errors import GraphNotFoundError
from kg.graph import article_node, build_graph, read_graphml, write_graphml
from kg.model import Corpus, Document, Entity, Mention, Relation


def _mention(text: str, type_: str, doc: str, start: int) -> Mention:
    return Mention(text=text, start=start, end=start + len(text), type=type_, rule="test", doc_id=doc, sentence=0)


@pytest.fixture()
def corpus() -> Corpus:
    zone = Entity(id="Place/合肥经济技术开发区", name="合肥经济技术开发区", type="Place",
                  aliases=("合肥经开区",), subtype="DevelopmentZone",
                  mentions=(_mention("合肥经开区", "Place", "a.txt", 0), _mention("合肥经开区", "Place", "b.txt", 3)))
    company = Entity(id="Organization/蔚来汽车有限公司", name="蔚来汽车有限公司", type="Organization",
                     mentions=(_mention("蔚来汽车有限公司", "Organization", "a.txt", 6),))
    sentence = "合肥经开区与蔚来汽车有限公司签订了5亿元合作协议。"
    relations = [
        Relation(head=zone.id, predicate="cooperatesWith", tail=company.id, evidence=sentence, doc_id="a.txt",
                 start=0, end=len(sentence), attrs=(("amount", "5亿元"),)),
        Relation(head=company.id, predicate="recognizedAs", tail=None, evidence="蔚来汽车有限公司获评省级专精特新企业。",
                 doc_id="b.txt", start=0, end=10, attrs=(("value", "省级专精特新企业"),)),
    ]
    documents = [Document(id="a.txt", path="in/a.txt", text="", title="合肥经开区签约"),
                 Document(id="b.txt", path="in/b.txt", text="", title="", bylines=("张三",))]
    return Corpus(documents=documents, entities=[zone, company], relations=relations)


def test_nodes_carry_type_label_aliases_and_documents(corpus: Corpus) -> None:
    graph = build_graph(corpus)
    zone = graph.nodes["Place/合肥经济技术开发区"]
    assert (zone["type"], zone["label"], zone["aliases"]) == ("Place", "合肥经济技术开发区", ["合肥经开区"])
    assert zone["mentions"] == 2 and zone["documents"] == ["a.txt", "b.txt"]
    assert graph.nodes[article_node("b.txt")]["label"] == "b.txt"  # no title: the id stands in
    assert graph.has_edge("Place/合肥经济技术开发区", article_node("b.txt"), key="mentionedIn")


def test_relations_become_edges_with_evidence(corpus: Corpus) -> None:
    graph = build_graph(corpus)
    edge = graph.edges["Place/合肥经济技术开发区", "Organization/蔚来汽车有限公司", "cooperatesWith"]
    assert edge["amount"] == "5亿元" and edge["evidence"].startswith("合肥经开区与")
    recognitions = graph.nodes["Organization/蔚来汽车有限公司"]["recognitions"]
    assert recognitions == [{"value": "省级专精特新企业", "evidence": "蔚来汽车有限公司获评省级专精特新企业。", "doc": "b.txt"}]


def test_repeated_relations_get_distinct_keys(corpus: Corpus) -> None:
    corpus.relations.append(corpus.relations[0])
    graph = build_graph(corpus)
    keys = set(graph["Place/合肥经济技术开发区"]["Organization/蔚来汽车有限公司"])
    assert keys == {"cooperatesWith", "cooperatesWith#2"}


def test_graphml_round_trip_restores_lists(corpus: Corpus, tmp_path: Path) -> None:
    graph = build_graph(corpus)
    path = write_graphml(graph, tmp_path / "graph.graphml")
    back = read_graphml(path)
    assert nx.utils.graphs_equal(graph, back)
    assert back.nodes[article_node("b.txt")]["bylines"] == ["张三"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_missing_graphml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(GraphNotFoundError, match="kg build"):
        read_graphml(tmp_path / "nope.graphml")
