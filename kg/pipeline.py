"""Stage order: read → tag → extract → relate (per document), then resolve → graph → RDF → HTML.

The per-document stages are pure functions of the document's bytes and the extractor's
code, so their result is cached under that key and computed in worker processes; the
corpus stages are cheap and always rerun, which makes an incremental build equal a full one.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import multiprocessing
import os
import pickle
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx
import rdflib

from kg import corpus as corpus_stage
from kg import extract, nlp, relations, resolve
from kg import graph as graph_stage
from kg.fileio import atomic_path
from kg.forked import Forked
from kg.keywords import article_keywords
from kg.model import ENTITY_TYPES, Corpus, Document, DocumentAnalysis, Problem, Sentence

ProgressCallback = Callable[[int, str], None]
"""Called after each document with (documents done, document id)."""

# The code and data that the per-document stages depend on: a change to any of them
# invalidates the cache.
_PACKAGE = Path(__file__).parent
_STAGE_SOURCES = ("corpus.py", "nlp.py", "extract", "relations.py", "places.py", "resolve.py", "keywords.py",
                  "model.py", "resources")


@dataclass
class BuildResult:
    corpus: Corpus
    graph: nx.MultiDiGraph
    out_dir: Path | None = None
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    reused: int = 0  # documents taken from the cache
    triples: int = 0  # in the written RDF files

    @functools.cached_property
    def rdf(self) -> rdflib.Graph:
        """The RDF graph, made on first use: `kg eval` and other in-memory callers never need it."""
        from kg import rdf

        return rdf.build_rdf(self.corpus)

    def summary(self) -> str:
        """One line: documents, entities per type, relations, seconds."""
        counts = Counter(entity.type for entity in self.corpus.entities)
        per_type = ", ".join(f"{counts[t]} {t}" for t in ENTITY_TYPES)
        skipped = f", {len(self.corpus.problems)} skipped" if self.corpus.problems else ""
        cached = f" ({self.reused} from cache)" if self.reused else ""
        return (f"kg: {len(self.corpus.documents)} documents{cached}{skipped}; "
                f"{len(self.corpus.entities)} entities ({per_type}); "
                f"{len(self.corpus.relations)} relations; {self.seconds:.1f} s")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A hash of the per-document stages' code and data."""
    digest = hashlib.sha256()
    for name in _STAGE_SOURCES:
        root = _PACKAGE / name
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class TaggerSpec:
    """Which tagger backend analyzes the documents: part of the cache key."""

    name: str = "lac"
    model_dir: str | None = None  # a spacy-pkuseg model folder, for name="pkuseg"

    def key(self) -> str:
        """The same model folder however it was written (models/pku, ./models/pku, its absolute path)."""
        return f"{self.name}:{Path(self.model_dir).resolve() if self.model_dir else ''}"


@lru_cache(maxsize=4)
def _tagger(spec: TaggerSpec) -> nlp.Tagger:
    """One tagger per process and spec, so its model loads once."""
    options = {"model_dir": spec.model_dir} if spec.model_dir else {}
    return nlp.get_tagger(spec.name, **options)


# Documents tagged in one call: LAC sorts their sentences by length and batches them, so
# the more sentences it sees at once the less it pads (a few dozen articles' worth is enough).
BATCH_CHARS = 30_000


def analyze(documents: Sequence[Document], tagger: TaggerSpec = TaggerSpec()) -> list[DocumentAnalysis]:
    """The per-document stages of each document, their sentences tagged together.

    An analysis keeps its document without the text, its sentences as offsets.
    """
    tagged = _tagger(tagger).tag([sentence for document in documents for sentence in document.sentences])
    analyses = []
    end = 0
    for document in documents:
        start, end = end, end + len(document.sentences)
        mine = tagged[start:end]
        mentions = extract.extract_mentions(document, mine)
        candidates = relations.extract_relations(document, mine, mentions)
        spans = tuple(Sentence(s.index, s.start, s.end, "") for s in document.sentences)  # offsets, for provenance
        light = dataclasses.replace(document, text="", sentences=spans,
                                    keywords=article_keywords(document, mine, mentions))
        analyses.append(DocumentAnalysis(document=light, mentions=tuple(mentions), relations=tuple(candidates),
                                         groups=resolve.group_mentions(mentions)))
    return analyses


def _batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    """Consecutive documents of about BATCH_CHARS characters together (a longer one alone)."""
    batch: list[Document] = []
    size = 0
    for document in documents:
        if batch and size + len(document.text) > BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(document)
        size += len(document.text)
    if batch:
        yield batch


class AnalysisCache:
    """Analyses on disk, keyed by document bytes and extractor version."""

    def __init__(self, directory: Path, tagger: TaggerSpec) -> None:
        key = hashlib.sha256(f"{extractor_version()}\0{tagger.key()}".encode()).hexdigest()[:16]
        self.directory = directory / key

    def _path(self, document: Document) -> Path:
        key = hashlib.sha256(f"{document.sha256}\0{document.id}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, document: Document) -> DocumentAnalysis | None:
        path = self._path(document)
        try:
            with path.open("rb") as handle:
                analysis = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        return analysis if isinstance(analysis, DocumentAnalysis) else None

    def put(self, analysis: DocumentAnalysis) -> None:
        path = self._path(analysis.document)
        with atomic_path(path) as tmp, tmp.open("wb") as handle:
            pickle.dump(analysis, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _analyze_all(documents: Iterable[Document], workers: int, tagger: TaggerSpec) -> Iterator[DocumentAnalysis]:
    work = functools.partial(analyze, tagger=tagger)
    if workers <= 1:
        for batch in _batches(documents):
            yield from work(batch)
        return
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([__name__])  # workers start with kg imported, not each importing it
    with context.Pool(workers) as pool:
        for analyses in pool.imap(work, _batches(documents), chunksize=1):
            yield from analyses


def analyze_corpus(paths: Sequence[str | Path], *, workers: int = 1, encoding: str | None = None,
                   cache_dir: Path | str | None = None, tagger: TaggerSpec = TaggerSpec(),
                   progress: ProgressCallback | None = None,
                   on_analysis: Callable[[DocumentAnalysis], None] | None = None,
                   ) -> tuple[list[DocumentAnalysis], list[Problem], int]:
    """Read and analyze every document; returns analyses, problems and how many came from the cache.

    ``on_analysis`` sees each analysis once, in the calling thread, as soon as it is made
    (cached ones at the end): later stages can start on a document while others are analyzed.
    """
    cache = AnalysisCache(Path(cache_dir), tagger) if cache_dir else None
    problems: list[Problem] = []
    analyses: dict[int, DocumentAnalysis] = {}  # by input position
    positions = itertools.count()

    def uncached() -> Iterator[Document]:
        for item in corpus_stage.read_documents(paths, encoding=encoding):
            if isinstance(item, Problem):
                problems.append(item)
                continue
            position = next(positions)
            hit = cache.get(item) if cache else None
            if hit is not None:  # the same bytes may have moved: keep where they are now
                analyses[position] = dataclasses.replace(
                    hit, document=dataclasses.replace(hit.document, path=item.path))
            else:
                waiting.append(position)
                yield item

    waiting: list[int] = []  # positions of the documents sent to be analyzed, in order
    for done, analysis in enumerate(_analyze_all(uncached(), workers, tagger), start=1):
        if cache:
            cache.put(analysis)
        analyses[waiting[done - 1]] = analysis
        if on_analysis:
            on_analysis(analysis)
        if progress:
            progress(done, analysis.document.id)
    reused = len(analyses) - len(waiting)
    if on_analysis:
        for position in sorted(set(analyses) - set(waiting)):
            on_analysis(analyses[position])
    return [analyses[i] for i in sorted(analyses)], problems, reused


def _write_graph_files(graph: nx.MultiDiGraph, out: Path, html: bool) -> list[Path]:
    """graph.graphml and graph.html: the files made from the NetworkX graph."""
    from kg import viz

    files = [graph_stage.write_graphml(graph, out / "graph.graphml")]
    if html:
        files.append(viz.render_html(graph, out / "graph.html"))
    return files


def build(paths: Sequence[str | Path], *, out_dir: Path | str | None = None, workers: int = 1,
          encoding: str | None = None, formats: Sequence[str] = (), html: bool = True,
          cache: bool = True, cache_dir: Path | str | None = None, tagger: TaggerSpec = TaggerSpec(),
          progress: ProgressCallback | None = None) -> BuildResult:
    """Build the knowledge graph of the documents under ``paths``.

    With ``out_dir`` the graph is written there (graph.ttl, graph.graphml, graph.html and
    any extra RDF ``formats``), each file replaced atomically; per-document analyses are
    cached in ``cache_dir`` (default ``out_dir/.kg-cache``) unless ``cache`` is false.
    ``tagger`` picks the segmenter/NER backend (LAC by default; a spacy-pkuseg model).

    Example:
        >>> result = build(["seeds"])                      # doctest: +SKIP
        >>> result.graph.number_of_nodes() > 0             # doctest: +SKIP
        True
    """
    from kg import rdf

    started = time.perf_counter()
    rdf.check_formats(formats)  # before the long work, not after it
    out = Path(out_dir) if out_dir is not None else None
    if cache and cache_dir is None and out is not None:
        cache_dir = out / ".kg-cache"
    # The RDF of each article and its mentions is made as the analyses come in, the rest at the end.
    graph_lines = rdf.GraphLines() if out is not None else None
    analyses, problems, reused = analyze_corpus(
        paths, workers=workers, encoding=encoding, cache_dir=cache_dir if cache else None, tagger=tagger,
        progress=progress,
        on_analysis=(lambda a: graph_lines.add_document(a.document, a.mentions)) if graph_lines else None)
    entities, resolved = resolve.resolve(analyses)
    corpus = Corpus(documents=[a.document for a in analyses], entities=entities,
                    relations=resolved, problems=problems)
    result = BuildResult(corpus=corpus, graph=graph_stage.build_graph(corpus), out_dir=out, reused=reused)
    if out is not None and graph_lines is not None:
        out.mkdir(parents=True, exist_ok=True)
        # With workers to spare, GraphML and HTML are written beside the RDF rather than after it,
        # and the Turtle in parts side by side.
        graph_files = Forked(_write_graph_files, result.graph, out, html) if workers > 1 else None
        files, result.triples = rdf.write_graph(graph_lines.finish(corpus), out, ("ttl", *formats), workers=workers)
        result.files += files
        result.files += graph_files.result() if graph_files else _write_graph_files(result.graph, out, html)
    result.seconds = time.perf_counter() - started
    return result
