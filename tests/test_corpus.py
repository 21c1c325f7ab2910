"""kg.corpus: reading files and folders, encodings, HTML/Markdown, page breaks, titles,
bylines, years, sentences with offsets into the original text, and huge files."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg import corpus
from kg.errors import InputError
from kg.model import Document, Problem, Sentence

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
HOSTILE = ROOT / "tests" / "hostile"


# --------------------------------------------------------------------------- helpers


def read(*paths: Path | str, encoding: str | None = None) -> list[Document | Problem]:
    return list(corpus.read_documents(list(paths), encoding=encoding))


def one_doc(tmp_path: Path, text: str | bytes, name: str = "a.txt", encoding: str | None = None) -> Document:
    file = tmp_path / name
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    items = read(file, encoding=encoding)
    assert len(items) == 1 and isinstance(items[0], Document), items
    check_offsets(items[0])
    return items[0]


def one_problem(tmp_path: Path, data: bytes, name: str = "a.txt", encoding: str | None = None) -> Problem:
    file = tmp_path / name
    file.write_bytes(data)
    items = read(file, encoding=encoding)
    assert len(items) == 1 and isinstance(items[0], Problem), items
    assert items[0].path == str(file)
    return items[0]


def without_gaps(original: str, sentence: Sentence) -> str:
    """The original slice of a sentence with the dropped characters taken out."""
    pieces, at, dropped_so_far = [], 0, 0
    for pos, dropped in sentence.gaps:
        cut = pos + dropped_so_far
        pieces.append(original[at:cut])
        at = cut + dropped
        dropped_so_far += dropped
    pieces.append(original[at:])
    return "".join(pieces)


def check_offsets(doc: Document) -> None:
    """The invariant every later stage relies on: sentence text = original slice minus gaps."""
    for index, sentence in enumerate(doc.sentences):
        assert sentence.index == index
        assert sentence.text and sentence.text == sentence.text.strip()
        assert 0 <= sentence.start < sentence.end <= len(doc.text)
        original = doc.text[sentence.start:sentence.end]
        assert without_gaps(original, sentence) == sentence.text
        positions = [pos for pos, _ in sentence.gaps]
        assert positions == sorted(set(positions)) and all(0 < p < len(sentence.text) for p in positions)
        assert all(dropped > 0 for _, dropped in sentence.gaps)
        for i, char in enumerate(sentence.text):
            assert doc.text[sentence.doc_offset(i)] == char
        assert sentence.doc_offset(len(sentence.text) - 1) + 1 == sentence.end
    starts = [s.start for s in doc.sentences]
    assert starts == sorted(starts)
    for name, role, start, end in doc.byline_mentions:
        assert doc.text[start:end] == name and role


def texts(doc: Document) -> list[str]:
    return [s.text for s in doc.sentences]


# --------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_offsets_hold_for_every_sentence(seed: Path) -> None:
    (doc,) = read(seed)
    assert isinstance(doc, Document) and doc.id == seed.name
    check_offsets(doc)
    assert not any("\n" in s.text for s in doc.sentences)
    # every non-blank character of the file is in some sentence (except dropped bullets)
    covered = sum(1 for s in doc.sentences for ch in s.text if not ch.isspace())
    visible = sum(1 for ch in doc.text if not ch.isspace() and ch not in "■➔#")
    assert covered == visible


@pytest.mark.parametrize(("seed", "whole"), [
    ("000", "支持区内企业对接科研院所"),
    ("000", "济宁经开区不断加大网格化综合监管能力建设"),
    ("000", "4月19日,经开区举行2018年全市新旧动能转换重大项目集中开工仪式"),
    ("000", "给群众办事带来更大的便利。"),
    ("001", "鸿顺天泰城等10个房地产项目加快推进"),
    ("002", "对口部门大联络活动,为发展营造环境。"),
    ("002", "决不姑息。"),
    ("003", "完成进出口11.86亿元"),
    ("003", "到济宁经开区为民服务中心办理业务"),
    ("004", "把开发区经济总量"),
])
def test_seed_page_breaks_are_rejoined(seed: str, whole: str) -> None:
    (doc,) = read(*[p for p in SEEDS if p.name.startswith(seed)])
    (sentence,) = [s for s in doc.sentences if whole in s.text]
    assert len(sentence.gaps) == 1 and sentence.gaps[0][1] == 2  # the "\n\n" of the page break


@pytest.mark.parametrize(("seed", "not_joined"), [
    ("000", "经济高地崛起绿色新城"),  # a headline before a stray continuation
    ("003", "让秋英"),  # a paragraph cut off before a "## " headline
    ("004", "来崔寨体验别样农民丰收节 本周六启幕,不见不散"),  # headline with spaced clauses
])
def test_seed_real_paragraph_ends_are_kept(seed: str, not_joined: str) -> None:
    (doc,) = read(*[p for p in SEEDS if p.name.startswith(seed)])
    (sentence,) = [s for s in doc.sentences if s.text.endswith(not_joined)]
    assert not sentence.gaps


@pytest.mark.parametrize(("seed", "title", "bylines", "year"), [
    ("000", "济宁经开区只争朝夕大发展求突破——“三抢四争”强力推进新旧动能转换",
     ("许振峰", "尹丽娜", "刘祥鹏", "李轩", "甄文英", "孙敬", "盛洁", "刘琳", "王林琳"), 2018),
    ("001", "产业集聚加速成型 双招双引成果丰硕",
     ("王婷婷", "张存远", "严爱美", "陈根运", "张安苒", "唐首政", "唐硕"), 2022),
    ("002", "高新区全面进入“三次创业”新阶段", ("于伟", "孟杰", "孔茜", "王博文", "李亚腾"), None),
    ("003", "济宁经济技术开发区“二次创业”势头强劲",
     ("武旭", "王婷婷", "张学堂", "马佩瑶", "孙本广", "程佳乐", "胡桂宁", "谢永政", "唐硕"), 2021),
    ("004", "聚焦主业强体魄 创新赋能开新局 济北开发区进行“两剥离一强化”改革",
     ("何晓艳", "周宇彤", "刁力洪", "宗成喜"), None),
])
def test_seed_title_bylines_year(seed: str, title: str, bylines: tuple[str, ...], year: int | None) -> None:
    (doc,) = read(*[p for p in SEEDS if p.name.startswith(seed)])
    assert (doc.title, doc.bylines, doc.year) == (title, bylines, year)
    assert doc.encoding == "utf-8" and len(doc.sha256) == 64 and doc.offset == 0


# --------------------------------------------------------------------------- page breaks


@pytest.mark.parametrize(("text", "expected"), [
    # a word split by a page break
    ("今年全区推动企业与科研院所合作,支持区内企\n\n业对接高校院所。",
     ["今年全区推动企业与科研院所合作,支持区内企业对接高校院所。"]),
    # a short line is still a paragraph when it has a comma
    ("5月20日,开发区举行2023年全市\n\n重点项目集中开工仪式。", ["5月20日,开发区举行2023年全市重点项目集中开工仪式。"]),
    # a line ending in a comma continues
    ("二是开展企业大走访活动,\n\n为发展营造环境。", ["二是开展企业大走访活动,为发展营造环境。"]),
    # a quote closed mid-sentence continues; one closed after a full stop does not
    ("今年以来,园区管委会提出了“三新两强”\n\n工作思路,推动高质量发展。", ["今年以来,园区管委会提出了“三新两强”工作思路,推动高质量发展。"]),
    ("他说:“我们要加快发展。”\n\n园区随后启动了新项目。", ["他说:“我们要加快发展。”", "园区随后启动了新项目。"]),
    # several blank lines and a full-width indent are dropped too
    ("全年新增高新技术企业二十家,支持企\n\n\n\n\u3000\u3000业加大研发投入。", ["全年新增高新技术企业二十家,支持企业加大研发投入。"]),
    # a hard-wrapped line (single line break) continues
    ("全区上下齐心协力推进,\n重点项目建设。", ["全区上下齐心协力推进,重点项目建设。"]),
    # a real paragraph end
    ("甲镇完成投资十亿元。\n\n乙镇启动新一轮招商。", ["甲镇完成投资十亿元。", "乙镇启动新一轮招商。"]),
    # a headline is short and has no punctuation: it never continues
    ("园区建设提速\n\n全区新开工项目二十个。", ["园区建设提速", "全区新开工项目二十个。"]),
    # a headline with spaced clauses may have a comma
    ("来园区体验科技节 本周开幕,欢迎参加\n\n科技节将于周六开幕。", ["来园区体验科技节 本周开幕,欢迎参加", "科技节将于周六开幕。"]),
    # a dateline opens a new article
    ("会议要求各部门进一步提高认识,推动企业创新发展\n\n本报合肥讯(通讯员 李华明)全省开发区工作会议召开。",
     ["会议要求各部门进一步提高认识,推动企业创新发展", "本报合肥讯(通讯员 李华明)全省开发区工作会议召开。"]),
    # a Markdown headline is never a continuation
    ("志愿者结对陪伴困境儿童,让更多家庭\n\n## 新区建设全面提速", ["志愿者结对陪伴困境儿童,让更多家庭", "新区建设全面提速"]),
    # a bulleted line starts a new paragraph
    ("会议对下一阶段重点工作进行了部署,要求各部门立即行动起来\n\n➔一是开展企业大走访活动。",
     ["会议对下一阶段重点工作进行了部署,要求各部门立即行动起来", "一是开展企业大走访活动。"]),
    # two trailing spaces are a Markdown hard break
    ("必须警惕下行压力,时刻增强忧患意识  \n区域竞争异常激烈,时刻增强赶超意识",
     ["必须警惕下行压力,时刻增强忧患意识", "区域竞争异常激烈,时刻增强赶超意识"]),
    # a paragraph ending in a colon introduces what follows
    ("主要措施如下:\n\n加强组织领导。", ["主要措施如下:", "加强组织领导。"]),
    # Windows line breaks
    ("依托龙头企业,推动上下游企\r\n\r\n业协同发展。", ["依托龙头企业,推动上下游企业协同发展。"]),
    # a short line without punctuation looks like a headline: it is not joined (a known limit)
    ("推动上下游企\n\n业协同发展。", ["推动上下游企", "业协同发展。"]),
])
def test_page_break_rule(tmp_path: Path, text: str, expected: list[str]) -> None:
    doc = one_doc(tmp_path, text)
    assert texts(doc) == expected


def test_gap_records_what_was_dropped(tmp_path: Path) -> None:
    doc = one_doc(tmp_path, "标题\n\n依托龙头,推动上下游企\n\n业协同发展。")
    sentence = doc.sentences[1]
    assert sentence.text == "依托龙头,推动上下游企业协同发展。"
    assert sentence.gaps == ((11, 2),)
    assert doc.text[sentence.start:sentence.end] == "依托龙头,推动上下游企\n\n业协同发展。"
    assert sentence.doc_offset(11) == doc.text.index("业协同")


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(("text", "expected"), [
    ("园区召开大会。会议由主任主持!大家满意吗?", ["园区召开大会。", "会议由主任主持!", "大家满意吗?"]),
    ("他说:“这是好事。”随后离开。", ["他说:“这是好事。”", "随后离开。"]),
    ("“好!”他说。", ["“好!”", "他说。"]),
    ("真的吗?!是的……还有呢", ["真的吗?!", "是的……", "还有呢"]),
    ("抓宣传教育;抓外防输入；抓居家隔离。", ["抓宣传教育;", "抓外防输入；", "抓居家隔离。"]),
    ("收入达到5.06亿元,增长15.5%。", ["收入达到5.06亿元,增长15.5%。"]),
    ("(即剥离职能。)随后推进。", ["(即剥离职能。)", "随后推进。"]),
    ("第一行没有句号\n第二行也没有", ["第一行没有句号", "第二行也没有"]),
    ("\n\n\n   \n\u3000\n", []),
    ("。", ["。"]),
])
def test_sentence_split(tmp_path: Path, text: str, expected: list[str]) -> None:
    file = tmp_path / "a.txt"
    file.write_text(text, encoding="utf-8")
    items = read(file)
    if not expected:
        assert isinstance(items[0], Problem) and "white space" in items[0].reason
        return
    doc = items[0]
    assert isinstance(doc, Document)
    check_offsets(doc)
    assert texts(doc) == expected


def test_run_on_sentence_is_cut_after_a_comma(tmp_path: Path) -> None:
    clause = "园区加快推进重点项目建设" + "," * 1
    doc = one_doc(tmp_path, clause * 200 + "。")
    assert len(doc.sentences) > 1
    assert all(len(s.text) <= corpus.MAX_SENTENCE for s in doc.sentences)
    assert all(s.text.endswith(",") for s in doc.sentences[:-1])
    assert "".join(texts(doc)) == clause * 200 + "。"


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(("text", "title"), [
    ("园区奋力冲刺全年目标——\n\n“两新一重”项目全面提速\n\n■本报通讯员 王小明\n\n正文内容在此。",
     "园区奋力冲刺全年目标——“两新一重”项目全面提速"),
    ("高新技术产业开发区\n\n产业集聚加速成型 创新成果丰硕\n\n■本报通讯员 王小明\n\n正文。", "产业集聚加速成型 创新成果丰硕"),
    ("## 撸起袖子加油干\n\n# 园区进入发展新阶段\n\n本报记者 张三丰\n\n正文。", "园区进入发展新阶段"),
    ("开发区打造营商环境新高地\n\n——来自一线的调查\n\n本报记者 张三丰\n\n正文。", "开发区打造营商环境新高地"),
    ("开发区推进改革\n\n\n\n某某晚报·某某客户端\n通讯员 李四海\n\n正文。", "开发区推进改革"),
    ("新区发布人才新政\n\n本报讯(记者 王五)新区今天发布人才新政。", "新区发布人才新政"),
    # a colon is common in headlines
    ("开发区：以改革激发发展新活力\n\n江城日报记者 王五 通讯员 赵六\n\n正文。", "开发区：以改革激发发展新活力"),
    # a kicker line in the same block as the headline
    ("江北区 江北开发区\n“制造业当家”再落一子 项目正式投产\n\n■文/江城日报全媒体记者 黄一\n\n正文。",
     "“制造业当家”再落一子 项目正式投产"),
    ("今年以来,园区完成投资十亿元。\n\n二是加强服务。", ""),
])
def test_title(tmp_path: Path, text: str, title: str) -> None:
    assert one_doc(tmp_path, text).title == title


# --------------------------------------------------------------------------- bylines


@pytest.mark.parametrize(("text", "expected"), [
    ("■本报通讯员 王小明 李华\n\n正文。", [("王小明", "通讯员"), ("李华", "通讯员")]),
    ("本报合肥讯(记者 张三丰 通讯员 李四)今天,园区召开大会。", [("张三丰", "记者"), ("李四", "通讯员")]),
    ("第一篇结束。\n\n本报讯(通讯员 刘琳)第二篇开始。", [("刘琳", "通讯员")]),
    ("本报记者 赵一 钱二 见习记者 孙三 李四五\n\n正文。",
     [("赵一", "记者"), ("钱二", "记者"), ("孙三", "见习记者"), ("李四五", "见习记者")]),
    ("■通讯员 周五 摄\n\n图片说明。", [("周五", "通讯员")]),
    ("（实习生 吴六）园区举办招聘会。", [("吴六", "实习生")]),
    ("本报讯(记者王明通讯员李华)园区举办招聘会。", [("王明", "记者"), ("李华", "通讯员")]),
    ("本报讯(记者 阿依古丽·买买提)园区举办招聘会。", [("阿依古丽·买买提", "记者")]),
    # the paper's name and a 文/ credit may precede the role
    ("■文/江城日报全媒体记者 黄一鸣 通讯员 江开宣\n\n正文。", [("黄一鸣", "全媒体记者"), ("江开宣", "通讯员")]),
    ("江城晚报记者 陆小东 通讯员 李华\n\n正文。", [("陆小东", "记者"), ("李华", "通讯员")]),
    ("（新华网记者 张三丰）园区举办招聘会。", [("张三丰", "记者")]),
    # not bylines
    ("据记者了解,园区今年新增企业20家。", []),
    ("(记者从园区获悉)园区今年新增企业20家。", []),
    ("(图为园区企业生产车间)", []),
    ("记者 王明在园区采访时说,园区今年新增企业20家。", []),
])
def test_bylines(tmp_path: Path, text: str, expected: list[tuple[str, str]]) -> None:
    doc = one_doc(tmp_path, text)
    assert [(name, role) for name, role, _s, _e in doc.byline_mentions] == expected
    assert doc.bylines == tuple(dict.fromkeys(name for name, _ in expected))


def test_bylines_are_unique_in_order_of_appearance(tmp_path: Path) -> None:
    doc = one_doc(tmp_path, "本报讯(通讯员 王小明)第一篇。\n\n本报讯(通讯员 李华 王小明)第二篇。")
    assert doc.bylines == ("王小明", "李华")
    assert [m[0] for m in doc.byline_mentions] == ["王小明", "李华", "王小明"]


# --------------------------------------------------------------------------- year


NOW = datetime.date.today().year


@pytest.mark.parametrize(("name", "text", "year"), [
    ("a.txt", "本报讯 2021年经开区召开“二次创业”新闻发布会。2020年实现增长。", 2021),
    ("a.txt", "确保2020年时收入翻一番,2028年改革开放50周年时基本完成转换。在2018年扶贫工作会议上,领导讲话。", 2018),
    ("a.txt", "到2035年基本建成现代化新区。", None),
    ("a.txt", "“十四五”(2021—2025年)规划编制完成。", None),
    ("a.txt", "截至2022年底,全区企业达到215家。", 2022),
    ("a.txt", f"园区将于{NOW + 1}年建成。{NOW + 3}年全面投产。", None),
    ("a.txt", "２０２０年全区生产总值增长。", 2020),
    ("a.txt", "5月12日,园区签订合作协议。", None),
    ("2019-05-01_news.txt", "2021年规划发布。", 2019),
    ("20200315.txt", "园区召开大会。", 2020),
    ("c6f7f47d2e0e.txt", "园区召开大会。", None),
])
def test_year(tmp_path: Path, name: str, text: str, year: int | None) -> None:
    assert one_doc(tmp_path, text, name=name).year == year


# --------------------------------------------------------------------------- encodings


ARTICLE = "# 盐城经开区签约重大项目\n\n5月8日,盐城经开区签约项目12个,推动产业链上下游企\n\n业协同发展。\n"
TRADITIONAL = "# 鹽城經開區簽約重大項目\n\n5月8日,鹽城經開區簽約項目12個,推動產業鏈上下游企\n\n業協同發展。\n"


@pytest.mark.parametrize(("article", "data", "forced", "codec"), [
    (ARTICLE, ARTICLE.encode("utf-8"), None, "utf-8"),
    (ARTICLE, b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), None, "utf-8-sig"),
    (ARTICLE, b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8", "utf-8-sig"),
    (ARTICLE, ARTICLE.encode("gbk"), None, "gb18030"),
    ("# 𠀾" + ARTICLE[2:], ("# 𠀾" + ARTICLE[2:]).encode("gb18030"), None, "gb18030"),  # 4-byte character
    (ARTICLE, ARTICLE.encode("gbk"), "GBK", "gbk"),
    (ARTICLE, ARTICLE.encode("utf-16"), None, "utf-16"),
    (TRADITIONAL, TRADITIONAL.encode("big5"), "big5", "big5"),
])
def test_encodings(tmp_path: Path, article: str, data: bytes, forced: str | None, codec: str) -> None:
    doc = one_doc(tmp_path, data, encoding=forced)
    assert doc.encoding == codec
    assert doc.text == article  # decoded exactly, BOM dropped
    title, body = article.split("\n\n", 1)
    assert doc.title == title[2:]
    assert texts(doc)[1:] == [body.strip().replace("\n\n", "")]
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(("data", "forced", "reason"), [
    (b"", None, "empty file"),
    (b" \n\n\t\r\n\xe3\x80\x80\n", None, "empty file (only white space)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, "binary file (contains NUL bytes)"),
    ("园区".encode("utf-8") + b"\x01\x02\x03\x04\x05\x06" * 20, None, "binary file (control characters"),
    (ARTICLE.encode("gbk"), "utf-8", "cannot decode as utf-8"),
    ("■■■\n\n■".encode("utf-8"), None, "no text"),
])
def test_unreadable_files_become_problems(tmp_path: Path, data: bytes, forced: str | None, reason: str) -> None:
    assert reason in one_problem(tmp_path, data, encoding=forced).reason


def test_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("园区。", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'no-such-codec'"):
        corpus.read_documents([tmp_path], encoding="no-such-codec")


# --------------------------------------------------------------------------- HTML and Markdown


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>开发区举行项目签约仪式_某某新闻网</title>
<style>p { color: red } .ad:after { content: "样式文字" }</style>
<script>var s = "脚本文字"; if (a < b) { s += "<p>假段落</p>"; }</script></head>
<body><nav><a href="/">首页</a></nav>
<h1>开发区举行项目签约仪式</h1>
<p>本报讯(记者 孙海燕)5月8日,开发区签约项目12个,
   总投资86亿元&amp;更多。</p>
<h2>签约项目</h2><ul><li>光伏组件项目</li><li>储能电池项目</li></ul>
<p>项目由企业投资建设<br>预计年产值50亿元。</p>
<noscript>请开启脚本</noscript><footer>版权所有</footer></body></html>"""


def test_html_text_is_extracted(tmp_path: Path) -> None:
    doc = one_doc(tmp_path, PAGE, name="page.html")
    for hidden in ("脚本文字", "样式文字", "假段落", "首页", "请开启脚本", "版权所有", "<", "某某新闻网"):
        assert hidden not in doc.text
    assert doc.title == "开发区举行项目签约仪式"
    assert doc.bylines == ("孙海燕",)
    assert texts(doc) == [
        "开发区举行项目签约仪式",
        "本报讯(记者 孙海燕)5月8日,开发区签约项目12个,总投资86亿元&更多。",
        "签约项目", "光伏组件项目", "储能电池项目",
        "项目由企业投资建设", "预计年产值50亿元。",
    ]
    assert "\n\n签约项目\n\n" in doc.text  # block elements are paragraphs


def test_html_title_without_h1_drops_the_site_name(tmp_path: Path) -> None:
    page = "<html><head><title>园区召开大会_某某新闻网</title></head><body><p>园区召开大会。</p></body></html>"
    assert one_doc(tmp_path, page, name="a.htm").title == "园区召开大会"


def test_html_without_text_is_a_problem(tmp_path: Path) -> None:
    page = b"<html><head><script>var x = 1;</script></head><body><div> </div></body></html>"
    assert one_problem(tmp_path, page, name="a.html").reason == "no text in the HTML page"


MARKDOWN = """# 园区**智能制造**产业园开工

> 本报讯(通讯员 赵一鸣)

园区[智能制造产业园](https://example.com/park)项目今日开工,总投资`45`亿元。

## 三大目标

- 引进链主企业5家
* 培育专精特新企业20家
1. 新增就业岗位3000个

---

```
![图片](a.png)项目建成后,<br>将带动上下游企
业集聚。
"""


def test_markdown_markup_is_dropped_through_gaps(tmp_path: Path) -> None:
    doc = one_doc(tmp_path, MARKDOWN, name="a.md")
    assert doc.title == "园区智能制造产业园开工"
    assert doc.bylines == ("赵一鸣",)
    assert texts(doc) == [
        "园区智能制造产业园开工",
        "本报讯(通讯员 赵一鸣)",
        "园区智能制造产业园项目今日开工,总投资45亿元。",
        "三大目标", "引进链主企业5家", "培育专精特新企业20家", "新增就业岗位3000个",
        "项目建成后,将带动上下游企业集聚。",
    ]
    assert doc.sentences[0].gaps == ((2, 2), (6, 2))


# --------------------------------------------------------------------------- files and folders


def test_folders_are_walked_in_sorted_order(tmp_path: Path) -> None:
    for rel in ("b.txt", "a/z.md", "a/y.HTML", "c.htm", "skip.doc", "skip.json", ".hidden.txt", ".git/x.txt"):
        file = tmp_path / "in" / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("<p>园区召开大会。</p>" if "htm" in rel.lower() else "园区召开大会。", encoding="utf-8")
    single = tmp_path / "single.txt"
    single.write_text("新区发布人才新政。", encoding="utf-8")
    items = read(tmp_path / "in", single)
    assert [d.id for d in items] == ["a/y.HTML", "a/z.md", "b.txt", "c.htm", "single.txt"]
    assert all(isinstance(d, Document) for d in items)
    assert items[0].path == str(tmp_path / "in" / "a" / "y.HTML")
    assert items[-1].path == str(single)


def test_a_bare_path_is_one_path() -> None:
    assert [d.id for d in corpus.read_documents(str(HOSTILE / "page.html"))] == ["page.html"]


def test_missing_path_raises_input_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("园区。", encoding="utf-8")
    with pytest.raises(InputError, match=r"no such file or folder: .*nowhere\.txt; check the path"):
        corpus.read_documents([tmp_path / "a.txt", tmp_path / "nowhere.txt"])


def test_duplicates_and_bad_files(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"{folder}园区召开大会。", encoding="utf-8")
    (tmp_path / "x" / "gone.txt").symlink_to(tmp_path / "nowhere")
    (tmp_path / "note.rtf").write_text("园区。", encoding="utf-8")
    items = read(tmp_path / "x", tmp_path / "x" / "same.txt", tmp_path / "y", tmp_path / "note.rtf")
    documents = [i for i in items if isinstance(i, Document)]
    problems = {Path(i.path).relative_to(tmp_path).as_posix(): i.reason for i in items if isinstance(i, Problem)}
    assert [d.text for d in documents] == ["x园区召开大会。"]  # the file named twice is read once
    assert problems["x/gone.txt"].startswith("cannot read the file")
    assert "already used by" in problems["y/same.txt"]
    assert problems["note.rtf"].startswith("unsupported file type")


def test_hostile_corpus(tmp_path: Path) -> None:
    items = read(HOSTILE)
    documents = {d.id: d for d in items if isinstance(d, Document)}
    problems = {Path(p.path).name: p.reason for p in items if isinstance(p, Problem)}
    assert sorted(documents) == ["bom_article.txt", "gbk_article.txt", "more/article.md", "page.html"]
    assert problems == {"binary.txt": "binary file (contains NUL bytes); not a text article",
                        "empty.txt": "empty file (0 bytes)"}
    for doc in documents.values():
        check_offsets(doc)
        assert doc.title and doc.sentences and doc.bylines
    gbk = documents["gbk_article.txt"]
    assert gbk.encoding == "gb18030" and gbk.bylines == ("陈立新", "周晓梅") and gbk.year == 2023
    assert any("上下游企业协同发展" in s.text for s in gbk.sentences)
    bom = documents["bom_article.txt"]
    assert bom.encoding == "utf-8-sig" and bom.title == "绵阳经开区“千企升级”行动成效明显"
    page = documents["page.html"]
    assert "脚本" not in page.text and "样式" not in page.text and page.title == "盐城经开区举行重大项目集中签约仪式"
    assert documents["more/article.md"].title == "芜湖经开区智能制造产业园开工"


# --------------------------------------------------------------------------- huge input


@pytest.mark.parametrize(("text", "limit", "cuts"), [
    ("甲乙丙。丁戊己。庚辛壬。", 9, ["甲乙丙。丁戊己。", "庚辛壬。"]),  # after the last sentence end
    ("甲乙丙。”丁戊己庚辛壬癸子", 6, ["甲乙丙。”", "丁戊己庚辛壬", "癸子"]),  # closing quote kept; hard cut
    ("甲乙丙\n丁戊己庚辛壬", 6, ["甲乙丙\n", "丁戊己庚辛壬"]),  # no sentence end: at a line break
])
def test_text_parts_cut_at_sentence_ends(text: str, limit: int, cuts: list[str]) -> None:
    chunks = [text[i:i + 4] for i in range(0, len(text), 4)]
    parts = list(corpus._text_parts(chunks, limit))
    assert [t for _, t in parts] == cuts
    assert [o for o, _ in parts] == [sum(map(len, cuts[:i])) for i in range(len(cuts))]


def test_html_parts_keep_offsets_into_the_whole_text() -> None:
    page = "".join(f"<p>第{i}段内容,园区推进项目建设。</p>" for i in range(40)) + "<h2>小标题</h2><p>结尾。</p>"
    parts = list(corpus._html_parts([page[i:i + 50] for i in range(0, len(page), 50)], 100))
    assert len(parts) > 5
    whole = "\n\n".join(p.text for p in parts)
    for part in parts:
        assert len(part.text) <= 100
        assert whole[part.offset:part.offset + len(part.text)] == part.text
    assert parts[-1].headings and parts[-1].text[min(parts[-1].headings):].startswith("小标题")


BIG_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    from kg.corpus import read_documents
    from kg.model import Document
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parts = []
    for doc in read_documents([sys.argv[1]]):
        assert isinstance(doc, Document), doc
        parts.append([doc.id, doc.offset, len(doc.text), doc.text[-1], len(doc.sentences),
                      doc.sentences[0].text, doc.sentences[-1].text])
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"parts": parts, "kib": after - before}))
""")


def test_50_mb_single_line_file_in_bounded_memory(tmp_path: Path) -> None:
    sentence = "园区召开推进新旧动能转换产业振兴大会,会议提出加快项目建设。"
    raw = sentence.encode("utf-8")
    count = 50 * 1024 * 1024 // len(raw) + 1
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        for _ in range(count // 1000 + 1):
            handle.write(raw * 1000)
    total = len(sentence) * (count // 1000 + 1) * 1000
    run = subprocess.run([sys.executable, "-c", BIG_SCRIPT, str(big)], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    result = json.loads(run.stdout)
    parts = result["parts"]
    assert [p[0] for p in parts] == [f"big.txt#{i}" for i in range(1, len(parts) + 1)]
    assert len(parts) >= 10
    offset = 0
    for _id, start, size, last, sentences, first_sentence, last_sentence in parts:
        assert start == offset and size <= corpus.PART_CHARS and last == "。"
        assert first_sentence == sentence and last_sentence == sentence
        assert sentences == size // len(sentence)
        offset += size
    assert offset == total
    # the file's bytes alone are 50 MiB, its text 33 MiB as a str: stay well below either
    assert result["kib"] < 40 * 1024, f"peak memory grew by {result['kib'] / 1024:.0f} MiB"
