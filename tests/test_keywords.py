"""Article keywords: jieba TF-IDF with the found names kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.corpus import read_documents
from kg.keywords import article_keywords
from kg.model import Document, Mention

TEXT = ("本报讯（通讯员 王强）近日，合肥高新区召开推进会，部署“揭榜挂帅”攻坚行动。"
        "合肥高新区表示，“揭榜挂帅”攻坚行动将覆盖量子信息、新能源汽车等领域。"
        "今年以来，合肥高新区新签约新能源汽车项目12个，总投资86亿元。")


@pytest.fixture()
def document(tmp_path: Path) -> Document:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    [item] = read_documents([tmp_path])
    assert isinstance(item, Document)
    return item


def _mention(document: Document, name: str, type_: str) -> Mention:
    start = document.text.index(name)
    return Mention(text=name, start=start, end=start + len(name), type=type_, rule="test",  # type: ignore[arg-type]
                   doc_id=document.id, sentence=0)


def test_found_names_stay_whole(document: Document) -> None:
    alone = article_keywords(document, [])
    assert "合肥高新区" not in alone  # jieba alone cuts the name apart
    names = [_mention(document, "合肥高新区", "Place"), _mention(document, "揭榜挂帅", "Program")]
    keywords = article_keywords(document, names)
    assert "合肥高新区" in keywords and "揭榜挂帅" in keywords


def test_keywords_are_words_not_numbers_or_stop_words(document: Document) -> None:
    keywords = article_keywords(document, [_mention(document, "合肥高新区", "Place")])
    assert keywords and len(keywords) <= 10
    assert not any(char.isdigit() for word in keywords for char in word)
    assert "通讯员" not in keywords and "今年以来" not in keywords


def test_keywords_are_deterministic(document: Document) -> None:
    mentions = [_mention(document, "合肥高新区", "Place")]
    assert article_keywords(document, mentions) == article_keywords(document, list(reversed(mentions)))


def test_keywords_reach_the_graph_and_the_rdf(seed_build) -> None:
    articles = [n for n, a in seed_build.graph.nodes(data=True) if a.get("kind") == "article"]
    assert all(seed_build.graph.nodes[n]["keywords"] for n in articles)
    answer = seed_build.rdf.query(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a <https://w3id.org/kg-cn/ontology#keyword> ?k }")
    assert int(next(iter(answer))[0]) == len(articles)


def test_one_documents_names_do_not_change_the_next_ones_keywords(document: Document, tmp_path: Path) -> None:
    before = article_keywords(document, [])
    other = tmp_path / "other"
    other.mkdir()
    (other / "b.txt").write_text("西安经开区推进“三个经开”建设，泾渭新城项目开工。", encoding="utf-8")
    [item] = read_documents([other])
    assert isinstance(item, Document)
    article_keywords(item, [_mention(item, "泾渭新城", "Place"), _mention(item, "西安经开区", "Place")])
    assert article_keywords(document, []) == before
