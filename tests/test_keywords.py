"""Article keywords: the tagged words ranked by jieba's TF-IDF, found names counted whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.corpus import read_documents
from kg.keywords import article_keywords
from kg.model import Document, Mention, Sentence, TaggedSentence, Token
from kg.nlp import get_tagger


def _article(*lines: str, bylines: tuple[str, ...] = ()) -> tuple[Document, list[TaggedSentence]]:
    """A document of tagged sentences written as ``word/TAG word/TAG ...`` (LAC's tags), with the
    given reporters' names as its bylines."""
    sentences, tagged, offset = [], [], 0
    for index, line in enumerate(lines):
        tokens, at = [], 0
        for item in line.split():
            word, tag = item.rsplit("/", 1)
            tokens.append(Token(word, at, at + len(word), tag))
            at += len(word)
        text = "".join(token.text for token in tokens)
        sentence = Sentence(index=index, start=offset, end=offset + len(text), text=text)
        sentences.append(sentence)
        tagged.append(TaggedSentence(sentence, tuple(tokens)))
        offset += len(text)
    text = "".join(s.text for s in sentences)
    document = Document(id="a.txt", path="a.txt", text=text, sentences=tuple(sentences), bylines=bylines,
                        byline_mentions=tuple((name, "记者", text.index(name), text.index(name) + len(name))
                                              for name in bylines))
    return document, tagged


def _mention(document: Document, sentence: int, surface: str, name: str | None = None,
             canonical: str | None = None) -> Mention:
    """The name found at ``surface`` in the given sentence (``name`` when it differs, e.g. without quotes)."""
    where = document.sentences[sentence]
    start = where.start + where.text.index(surface)
    return Mention(text=name or surface, start=start, end=start + len(surface), type="Place", rule="test",
                   doc_id=document.id, sentence=sentence, canonical=canonical)


@pytest.mark.parametrize(("lines", "found", "whole", "pieces"), [
    # the tagger cuts the name; the name counts whole
    (["星湾/LOC 经开区/LOC 召开/v 推进会/n 。/w"], [(0, "星湾经开区", None)], "星湾经开区", ["星湾", "经开区"]),
    # found in one sentence, whole in the next one too, where it covers whole tokens
    (["星湾/LOC 经开区/LOC 召开/v 推进会/n 。/w", "星湾/LOC 经开区/LOC 新/a 签约/v 港口/n 项目/n 。/w"],
     [(0, "星湾经开区", None)], "星湾经开区", ["星湾", "经开区"]),
    # the surface carries quotation marks, the name does not
    (["启动/v “/w 百日/m 攻坚/vn ”/w 行动/n 。/w"], [(0, "百日攻坚”行动", "百日攻坚行动")], "百日攻坚行动",
     ["攻坚", "行动"]),
    # a name is not cut out of a longer word: 大队 does not take 大队长 apart
    (["大队/n 召开/v 会议/n 。/w", "大队长/n 张明/PER 讲话/v 。/w"], [(0, "大队", None)], "大队长", []),
    # a fuller name with a quoted core counts as the core that the article repeats
    (["推进/v “/w 星光/n 小屋/n ”/w 建设/vn 工程/n 。/w", "“/w 星光/n 小屋/n ”/w 惠及/v 儿童/n 。/w"],
     [(0, "星光小屋”建设工程", "星光小屋建设工程"), (0, "星光小屋", None, "星光小屋建设工程"), (1, "星光小屋", None)],
     "星光小屋", ["星光小屋建设工程", "星光", "小屋"]),
])
def test_found_names_count_whole(lines: list[str], found: list[tuple[Any, ...]], whole: str,
                                 pieces: list[str]) -> None:
    document, tagged = _article(*lines)
    keywords = article_keywords(document, tagged, [_mention(document, *item) for item in found])
    assert whole in keywords
    assert not set(pieces) & set(keywords)


@pytest.mark.parametrize(("line", "joined", "apart"), [
    ("示范/vn 区/n 建设/vn 提速/v 。/w", "示范区", ["示范"]),  # noun-verb + noun that jieba knows as one word
    ("推动/v 工程/n 机械/n 出口/vn 。/w", "工程机械", ["工程", "机械"]),  # noun + noun
    ("扶持/v 符合/v 条件/n 的/u 企业/n 。/w", "条件", ["符合条件"]),  # verb + noun: a phrase, not a word
    ("发展/v 量子/n 信息/n 。/w", "量子", ["量子信息"]),  # a pair jieba does not know stays apart
])
def test_pieces_jieba_knows_as_one_word_are_joined(line: str, joined: str, apart: list[str]) -> None:
    document, tagged = _article(line)
    keywords = article_keywords(document, tagged, [])
    assert joined in keywords
    assert not set(apart) & set(keywords)


@pytest.mark.parametrize(("lines", "bylines", "never"), [
    (["2021年/TIME 新/a 签约/v 项目/n 12个/m 。/w"], (), ["2021年", "12个"]),  # dates, numbers
    (["建成/v 5G/nz 基站/n 。/w"], (), ["5G"]),  # Latin
    (["签约/v 投产/v 的/u 企业/n 。/w"], (), ["签约", "投产"]),  # verbs say what happens, not about what
    (["港/n 区/n 建设/vn 。/w"], (), ["港", "区"]),  # single characters
    (["通讯员/n 发展/vn 港口/n 。/w"], (), ["通讯员", "发展"]),  # words of every article of the genre
    # the credit line says who wrote, not what about
    (["本报/n 星湾讯/ORG （/w 通讯员/n 李/PER 华明/PER ）/w 港口/n 建设/vn 提速/v 。/w"], ("李华明",), ["星湾讯", "华明"]),
    (["星湾日报/ORG 记者/n 李华明/PER"], ("李华明",), ["星湾日报", "李华明"]),
])
def test_what_is_never_a_keyword(lines: list[str], bylines: tuple[str, ...], never: list[str]) -> None:
    document, tagged = _article(*lines, "港口/n 建设/vn 提速/v 。/w", bylines=bylines)
    keywords = article_keywords(document, tagged, [])
    assert "港口" in keywords
    assert not set(never) & set(keywords)


@pytest.mark.parametrize(("line", "first", "second"), [
    ("帮扶/v 企业/n 和/c 贫困户/n 。/w", "贫困户", "企业"),  # equal counts: the rarer word in jieba's statistics
    ("服务/v 企业/n 和/c 甲乙丙/nz 。/w", "甲乙丙", "企业"),  # a word jieba never saw counts as a rare one
    ("建设/v 丁戊港/nz 和/c 甲乙丙/nz 。/w", "丁戊港", "甲乙丙"),  # equal scores keep text order
])
def test_ranking(line: str, first: str, second: str) -> None:
    document, tagged = _article(line)
    keywords = article_keywords(document, tagged, [])
    assert keywords.index(first) < keywords.index(second)


def test_repeating_a_word_raises_it() -> None:
    base = ["港口/n 码头/n 企业/n 人才/n 。/w"]
    before = article_keywords(*_article(*base), [])
    after = article_keywords(*_article(*base, "企业/n 企业/n 。/w"), [])
    assert after.index("企业") < before.index("企业")


def test_top_and_mention_order() -> None:
    document, tagged = _article("星湾/LOC 经开区/LOC 与/p 月港/LOC 新区/n 签约/v 港口/n 码头/n 项目/n 。/w")
    mentions = [_mention(document, 0, "星湾经开区"), _mention(document, 0, "月港新区")]
    assert len(article_keywords(document, tagged, mentions, top=2)) == 2
    assert article_keywords(document, tagged, mentions) == article_keywords(document, tagged, mentions[::-1])


@pytest.mark.parametrize("gaps", [(), ((3, 2),), ((2, 1), (5, 4))])
def test_document_offsets_map_back_into_the_sentence(gaps: tuple[tuple[int, int], ...]) -> None:
    """Mentions carry document offsets; across page breaks too they land on their sentence text."""
    sentence = Sentence(index=0, start=10, end=30, text="星湾经开区召开港口推进会", gaps=gaps)
    assert [sentence.text_offset(sentence.doc_offset(i)) for i in range(len(sentence.text))] == list(range(len(sentence.text)))


TEXT = ("本报讯（通讯员 王强）近日，合肥高新区召开推进会，部署“揭榜挂帅”攻坚行动。"
        "合肥高新区表示，“揭榜挂帅”攻坚行动将覆盖量子信息、新能源汽车等领域。"
        "今年以来，合肥高新区新签约新能源汽车项目12个，总投资86亿元。")


def test_with_the_real_reader_and_tagger(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    [document] = read_documents([tmp_path])
    assert isinstance(document, Document)
    tagged = get_tagger("lac").tag(document.sentences)
    mentions = []
    for tagged_sentence in tagged:
        for name in ("合肥高新区", "揭榜挂帅"):
            if name in tagged_sentence.sentence.text:
                mentions.append(_mention(document, tagged_sentence.sentence.index, name))
    keywords = article_keywords(document, tagged, mentions)
    assert "合肥高新区" in keywords and "揭榜挂帅" in keywords
    assert not {"合肥", "揭榜", "挂帅", "王强", "通讯员"} & set(keywords)
    assert not any(char.isdigit() for word in keywords for char in word)


def test_keywords_reach_the_graph_and_the_rdf(seed_build) -> None:
    articles = [n for n, a in seed_build.graph.nodes(data=True) if a.get("kind") == "article"]
    assert all(seed_build.graph.nodes[n]["keywords"] for n in articles)
    answer = seed_build.rdf.query(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a <https://w3id.org/kg-cn/ontology#keyword> ?k }")
    assert int(next(iter(answer))[0]) == len(articles)
