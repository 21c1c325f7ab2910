"""Tagging one hand-written sentence as a one-sentence Document, for the extractor tests."""

from __future__ import annotations

from functools import lru_cache

from kg.model import Document, Sentence, TaggedSentence
from kg.nlp import get_tagger


@lru_cache(maxsize=None)
def tagged_document(text: str) -> tuple[Document, tuple[TaggedSentence, ...]]:
    """A Document holding ``text`` as its only sentence, tagged by LAC."""
    sentence = Sentence(index=0, start=0, end=len(text), text=text)
    document = Document(id="sample.txt", path="sample.txt", text=text, sentences=(sentence,))
    return document, tuple(get_tagger("lac").tag([sentence]))
