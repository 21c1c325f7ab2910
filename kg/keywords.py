"""Article keywords: what each article is about, for browsing and for SPARQL (kg:keyword).

jieba's TF-IDF ranks the words of an article against the document frequencies it ships
with. Its segmenter, left alone, cuts names apart (济宁|经开区, 三抢|四争); with the names the
extractors found in its user dictionary it keeps them whole, so a keyword is a name a reader
recognizes, or a domain term (新能源, 招商引资), never a fragment.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from kg.model import Document, Mention
from kg.nlp import JiebaTagger
from kg.resources import word_set

TOP = 10
# Nouns, names and noun-like verbs (jieba's tags): what an article is about, not what it does.
CONTENT_TAGS = ("n", "nr", "ns", "nt", "nz", "vn", "nrt", "nrfg")
_TERM = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff+·]*")  # Chinese words; no numbers, dates or Latin


@functools.lru_cache(maxsize=1)
def _tfidf():  # type: ignore[no-untyped-def]
    """jieba's TF-IDF with its shipped IDF table and our stop words, loaded once per process."""
    import jieba.analyse

    tfidf = jieba.analyse.TFIDF()
    tfidf.stop_words |= word_set("keyword_stopwords.txt")
    return tfidf


@functools.lru_cache(maxsize=1)
def _segmenter() -> JiebaTagger:
    """One jieba dictionary per process; each document's names are added and taken back."""
    return JiebaTagger()


class _Segmenter:
    """Words tagged from jieba's dictionary alone: jieba.posseg's tags for known words, at the
    speed of plain jieba.cut (posseg's per-word HMM guessing costs most of its time)."""

    def __init__(self, posseg: Any) -> None:
        self.tokenizer, self.tags = posseg.tokenizer, posseg.word_tag_tab
        self.user_tags = posseg.tokenizer.user_word_tag_tab  # the names, tagged nz

    def cut(self, text: str) -> Iterator[Any]:
        from jieba.posseg import pair

        for word in self.tokenizer.cut(text, HMM=False):
            yield pair(word, self.user_tags.get(word) or self.tags.get(word, "x"))


def article_keywords(document: Document, mentions: Sequence[Mention], *, top: int = TOP) -> tuple[str, ...]:
    """The ``top`` words of the article by TF-IDF, the found names kept whole."""
    segmenter = _segmenter()
    tfidf = _tfidf()
    text = "\n".join(sentence.text for sentence in document.sentences)
    with segmenter.extra_words(sorted({m.text for m in mentions}), "nz"):  # the document's own names
        tfidf.postokenizer = _Segmenter(segmenter.posseg)
        ranked = tfidf.extract_tags(text, topK=None, allowPOS=CONTENT_TAGS)
    return tuple([word for word in ranked if _TERM.fullmatch(word) and len(word) >= 2][:top])
