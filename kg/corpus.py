"""Reading articles: files and folders in, Documents (or Problems) out.

Why this stage is more than ``open().read()``:

* Scraped corpora mix UTF-8 (with or without BOM), GB18030/GBK, HTML pages, empty and
  binary files. Every file either becomes a Document or a Problem naming the reason;
  one bad file never stops the run.
* Newspaper pages split words and sentences at page breaks ("支持区内企\\n\\n业对接").
  Sentences are rejoined so entities come out whole, while offsets keep pointing into
  the original text: a Sentence is a list of kept spans of Document.text, and
  Sentence.gaps records the characters dropped between them (page breaks, Markdown
  markup, list bullets).
* A huge file is read incrementally and cut at sentence ends into parts
  ("big.txt#1", "big.txt#2", ...), so memory stays bounded by the part size.

Document.text is the decoded file text (for HTML: the extracted text); all offsets point
there. Line breaks are kept as they are (``\\r\\n`` included).

The rules, in short (signals and word lists in kg/resources/corpus.json):

* Page break: a text line that does not end a paragraph (。！？；：… possibly inside closing
  quotes) continues on the next text line, across blank lines. Headline-like lines (short,
  no sentence punctuation, or spaced clauses) never continue nor get continued; neither do
  bylines, bulleted/list lines, datelines (本报…讯) or lines ending in a Markdown hard break.
  Known limit: a short fragment without any punctuation before a break looks like a
  headline and is left alone.
* Sentences end at 。！？；… (and their ASCII forms) plus following closing quotes and
  brackets, and at line breaks that are not page breaks; run-ons are cut at 1000 chars.
* Title: the HTML <h1>/<title>, else the first "# " line of the headline block, else the
  last headline line before the first byline/body line (a kicker ending in —— joined).
* Year: see _year; a heuristic that prefers None to a wrong year.
"""

from __future__ import annotations

import bisect
import codecs
import datetime
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import InputError
from kg.model import Document, Problem, Sentence
from kg.resources import read_json

SUFFIXES = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}
CHUNK_BYTES = 1 << 20  # read files 1 MiB at a time
# A Document holds at most about this many characters: with its sentences that is a few
# MB (short sentences cost ~300 bytes each), and memory is bounded by two parts.
PART_CHARS = 250_000
MAX_SENTENCE = 1000  # longer "sentences" (lists, tables, junk) are cut at a comma
_SAMPLE = 1 << 16  # bytes/characters looked at for encoding guesses and binary checks
_RESOURCE = "corpus.json"


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rules:
    """The punctuation and newspaper conventions of kg/resources/corpus.json, compiled."""

    sentence_end: str
    closers: str
    paragraph_end: str
    internal_punct_re: re.Pattern[str]
    sentence_end_re: re.Pattern[str]
    bullets: str
    heading_max: int
    byline_max: int
    kicker_suffixes: tuple[str, ...]
    year_target_words: tuple[str, ...]
    year_past_words: tuple[str, ...]
    year_milestone_words: tuple[str, ...]
    subtitle_prefixes: tuple[str, ...]
    sentence_re: re.Pattern[str]
    dateline_re: re.Pattern[str]
    role_re: re.Pattern[str]
    name_re: re.Pattern[str]
    credit_re: re.Pattern[str]
    paren_re: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _load_rules() -> _Rules:
    data = read_json(_RESOURCE)
    end, close = re.escape(data["sentence_end"]), re.escape(data["closers"])
    roles = _alternation(data["byline_roles"])
    credits = _alternation(data["byline_credits"])
    house = _alternation(data["byline_house_prefixes"])
    # 文/广州日报全媒体记者: a credit prefix and the name of the paper may precede the role
    media = rf"[\u4e00-\u9fff·]{{1,10}}?(?:{_alternation(data['byline_media_suffixes'])})"
    credit_prefix = rf"(?:{_alternation(data['byline_credit_prefixes'])})\s*[/／]\s*"
    sep = r"[\s、,，/]"
    # a name is 2-4 Han characters (or two parts joined by ·, for minority names), and is
    # followed by a separator, the next role, a closing credit word or the end
    name = (rf"[\u4e00-\u9fff]{{2,4}}?(?:·[\u4e00-\u9fff]{{1,8}}?)?"
            rf"(?={sep}|(?:{house})?(?:{roles})|(?:{credits})\s*$|$)")
    return _Rules(
        sentence_end=data["sentence_end"],
        closers=data["closers"],
        paragraph_end=data["paragraph_end"],
        internal_punct_re=re.compile(f"[{re.escape(data['internal_punct'])}]"),
        sentence_end_re=re.compile(f"[{end}]"),
        bullets=data["bullets"],
        heading_max=int(data["heading_max_chars"]),
        byline_max=int(data["byline_max_chars"]),
        kicker_suffixes=tuple(data["kicker_suffixes"]),
        year_target_words=tuple(data["year_target_words"]),
        year_past_words=tuple(data["year_past_words"]),
        year_milestone_words=tuple(data["year_milestone_words"]),
        subtitle_prefixes=tuple(data["subtitle_prefixes"]),
        # a sentence runs to a run of end marks plus the closing quotes/brackets after them
        sentence_re=re.compile(rf"[^{end}]*[{end}]+[{close}]*|[^{end}]+"),
        # 本报济宁讯 / 新华社北京5月1日电: the dateline that opens an article
        dateline_re=re.compile(rf"(?:{_alternation(data['dateline_prefixes'])})[^\s，,。]{{0,12}}?"
                               rf"(?:{_alternation(data['dateline_markers'])})"),
        role_re=re.compile(rf"(?:{credit_prefix})?(?:{house}|{media})?(?P<role>{roles})"),
        name_re=re.compile(name),
        credit_re=re.compile(rf"(?:{credits})\s*$"),
        paren_re=re.compile(r"[(（]([^()（）\n]{2,%d})[)）]" % int(data["byline_max_chars"])),
    )


RULES = _load_rules()
_SEP_RE = re.compile(r"[\s、,，/]+")
_MD_HEADING_RE = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_MD_CLOSING_HASHES_RE = re.compile(r"[ \t]+#+[ \t]*$")
_MD_SKIP_LINE_RE = re.compile(r"(?:(?:[-*_=][ \t]*){3,}|```.*|~~~.*)$")  # rules, fences, setext underlines
_MD_PREFIX_RE = re.compile(r"(?:>[ \t]?)+|[-*+][ \t]+|\d{1,3}[.)][ \t]+")  # quote, list item
_MD_INLINE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|\]\([^)\n]*\)|\[(?=[^\]\n]*\]\()|\*\*|__|~~|`|<[^<>\n]+>")
_YEAR_RE = re.compile(r"(?<![0-9０-９])([12１２][0-9０-９]{3})\s?年")
_FILE_YEAR_RE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(?:[-_.]?(?:0[1-9]|1[0-2])(?:[-_.]?[0-3]\d)?)?(?![0-9])")
_INNER_SPACE_RE = re.compile(r"\S[ \t\u3000]+\S")
_TITLE_SITE_RE = re.compile(r"\s+[-|–]\s+|_|｜")


# --------------------------------------------------------------------------- public API


def read_documents(paths: Sequence[str | Path], *, encoding: str | None = None) -> Iterator[Document | Problem]:
    """Yield one Document per readable article (or part of a huge one), a Problem per bad file.

    Paths are files or folders (searched recursively for *.txt, *.md, *.html, *.htm; other
    files and hidden entries are ignored); folder contents come in sorted order. Missing
    paths and unknown encodings raise InputError at once, before anything is read.
    """
    if isinstance(paths, (str, Path)):  # one path given bare: not a sequence of characters
        paths = [paths]
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; use a codec name such as gb18030 or utf-8") from None
    files = _collect(paths)
    return _read_all(files, encoding)


@dataclass(frozen=True)
class _Source:
    """A file to read: where it is, what the user called it, its document id and kind."""

    file: Path
    shown: str
    doc_id: str
    kind: str


def _collect(paths: Sequence[str | Path]) -> list[_Source]:
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}; check the path")
    sources: list[_Source] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            found: list[tuple[str, Path]] = []
            for folder, dirs, names in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    kind = SUFFIXES.get(os.path.splitext(name)[1].lower())
                    if kind and not name.startswith("."):
                        file = Path(folder) / name
                        found.append((file.relative_to(root).as_posix(), file))
            for rel, file in sorted(found):
                sources.append(_Source(file, str(Path(str(given)) / rel), rel, SUFFIXES[file.suffix.lower()]))
        else:
            sources.append(_Source(root, str(given), root.name, SUFFIXES.get(root.suffix.lower(), "")))
    return sources


def _read_all(sources: list[_Source], encoding: str | None) -> Iterator[Document | Problem]:
    seen_files: set[Path] = set()
    seen_ids: dict[str, str] = {}
    for source in sources:
        real = source.file.resolve()
        if real in seen_files:  # the same file named twice (a folder and a file in it)
            continue
        seen_files.add(real)
        if source.doc_id in seen_ids:
            yield Problem(source.shown, f"document id {source.doc_id!r} is already used by {seen_ids[source.doc_id]};"
                                        " rename one file or read the folders separately")
            continue
        seen_ids[source.doc_id] = source.shown
        if not source.kind:
            yield Problem(source.shown, "unsupported file type; kg reads .txt, .md, .html and .htm files")
            continue
        yield from _read_file(source, encoding)


class _Skip(Exception):
    """A file that cannot become a Document; the message is the Problem's reason."""


def _read_file(source: _Source, encoding: str | None) -> Iterator[Document | Problem]:
    """The file's Documents, or a Problem saying why (not all of) it could be read."""
    try:
        yield from _file_documents(source, encoding)
    except _Skip as reason:
        yield Problem(source.shown, str(reason))
    except OSError as error:
        yield Problem(source.shown, f"cannot read the file: {error.strerror or error}; check its permissions")
    except UnicodeDecodeError:
        yield Problem(source.shown, "the file changed while it was read; run again")
    except Exception as error:  # a bug must cost one file, not the whole run
        yield Problem(source.shown, f"internal error while reading ({type(error).__name__}: {error}); please report it")


def _file_documents(source: _Source, encoding: str | None) -> Iterator[Document]:
    if source.file.stat().st_size == 0:
        raise _Skip("empty file (0 bytes)")
    codec, digest = _detect(source.file, encoding)
    parts = _parts(source, codec)
    first = next(parts, None)
    if first is None:
        raise _Skip("no text in the HTML page" if source.kind == "html" else "empty file (only white space)")
    second = next(parts, None)
    if second is None:
        doc = _document(source, first, codec, digest, source.doc_id, "")
        if not doc.sentences:
            raise _Skip("no text (only markup or symbols)")
        yield doc
        return
    title = ""
    for number, part in enumerate(_chain(first, second, parts), start=1):
        # each part is hashed by its own text, so that the cache keys differ per part
        part_digest = hashlib.sha256(part.text.encode("utf-8")).hexdigest()
        doc = _document(source, part, codec, part_digest, f"{source.doc_id}#{number}", title)
        title = title or doc.title  # later parts carry the headline of the first
        yield doc


def _chain(first: _Part, second: _Part, rest: Iterator[_Part]) -> Iterator[_Part]:
    yield first
    yield second
    yield from rest


# --------------------------------------------------------------------------- decoding


def _chunks(file: Path) -> Iterator[bytes]:
    with open(file, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _candidates(head: bytes, forced: str | None) -> Iterator[str]:
    """Encodings to try, cheapest and likeliest first: BOM, forced, UTF-8, GB18030, a guess."""
    bom = next((name for mark, name in _BOMS if head.startswith(mark)), None)
    if forced:
        # a UTF-8 BOM is not text even when the user forces UTF-8
        yield "utf-8-sig" if forced == "utf-8" and bom == "utf-8-sig" else forced
        return
    if bom:
        yield bom
        return
    yield "utf-8"
    yield "gb18030"
    from charset_normalizer import (
        from_bytes,  # only for files that are neither UTF-8 nor GB18030
    )

    guess = from_bytes(head).best()
    if guess is not None and codecs.lookup(guess.encoding).name not in ("utf-8", "gb18030"):
        yield guess.encoding


def _detect(file: Path, forced: str | None) -> tuple[str, str]:
    """The codec that decodes the whole file strictly, and the file's sha256; or _Skip.

    One streaming pass per candidate keeps memory bounded for huge files; UTF-8 (the usual
    case) costs a single pass.
    """
    with open(file, "rb") as handle:
        head = handle.read(_SAMPLE)
    tried: list[str] = []
    for codec in _candidates(head, forced):
        tried.append(codec)
        wide = codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))
        decoder = codecs.getincrementaldecoder(codec)("strict")
        digest = hashlib.sha256()
        sample = ""
        try:
            for chunk in _chunks(file):
                if not wide and b"\x00" in chunk:
                    # NUL bytes never occur in text files in 8-bit or variable-width encodings
                    raise _Skip("binary file (contains NUL bytes); not a text article")
                digest.update(chunk)
                text = decoder.decode(chunk)
                if len(sample) < _SAMPLE:
                    sample += text[:_SAMPLE]
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if _control_ratio(sample) > 0.01:  # text has no control characters besides tabs and breaks
            raise _Skip(f"binary file (control characters when decoded as {codec}); not a text article")
        return codec, digest.hexdigest()
    if forced:
        raise _Skip(f"cannot decode as {forced}; check the --encoding option")
    raise _Skip(f"cannot decode the file (tried {', '.join(tried)}); pass the encoding with --encoding")


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    return len(_CONTROL_RE.findall(text)) / len(text) if text else 0.0


def _decoded(file: Path, codec: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(codec)("strict")
    for chunk in _chunks(file):
        if text := decoder.decode(chunk):
            yield text
    if tail := decoder.decode(b"", final=True):
        yield tail


# --------------------------------------------------------------------------- parts


@dataclass(frozen=True)
class _Part:
    """A piece of a file's text that becomes one Document; headings known from markup."""

    offset: int
    text: str
    headings: frozenset[int] = frozenset()
    html_title: str = ""


def _parts(source: _Source, codec: str) -> Iterator[_Part]:
    """The file's text in parts of at most about PART_CHARS characters, blank parts skipped."""
    chunks = _decoded(source.file, codec)
    if source.kind == "html":
        parts = _html_parts(chunks, PART_CHARS)
    else:
        parts = (_Part(offset, text) for offset, text in _text_parts(chunks, PART_CHARS))
    return (part for part in parts if not part.text.isspace())


def _cut_point(text: str, limit: int) -> int:
    """Where to cut ``text`` at or before ``limit``: after a sentence end, else a line break."""
    low = limit // 2
    for marks in (RULES.sentence_end, "\n"):
        cut = max(text.rfind(mark, low, limit) for mark in marks)
        if cut >= 0:
            cut += 1
            while cut < len(text) and text[cut] in RULES.closers:
                cut += 1
            return cut
    return limit  # no sentence end in sight: a hard cut (pathological input only)


def _text_parts(chunks: Iterable[str], limit: int) -> Iterator[tuple[int, str]]:
    buffer, offset = "", 0
    for chunk in chunks:
        buffer += chunk
        while len(buffer) > limit:
            cut = _cut_point(buffer, limit)
            yield offset, buffer[:cut]
            offset += cut
            buffer = buffer[cut:]
    if buffer:
        yield offset, buffer


class _HtmlText(HTMLParser):
    """Visible text of an HTML page as blocks: one per paragraph-like element."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "nav", "footer"})
    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
    BLOCKS = HEADINGS | frozenset({
        "p", "div", "section", "article", "main", "header", "aside", "blockquote", "pre",
        "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "td", "th", "caption",
        "figure", "figcaption", "form", "fieldset", "address", "hr", "body", "center"})
    BREAK = "\ue000"  # stands for <br> until whitespace is collapsed

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.limit = limit
        self.blocks: list[tuple[str, bool]] = []  # (text, is heading), taken by the reader
        self.title = ""
        self.h1 = ""
        self._pieces: list[str] = []
        self._size = 0
        self._skip = 0
        self._heading = ""
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._title = []
        elif tag == "br":
            self._pieces.append(self.BREAK)
        elif tag in self.BLOCKS:
            self.flush()
            if tag in self.HEADINGS:
                self._heading = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title" and self._title is not None:
            self.title = _collapse(" ".join(self._title)).replace(self.BREAK, " ").strip()
            self._title = None
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._title is not None:
            self._title.append(data)
            return
        self._pieces.append(data)
        self._size += len(data)
        if self._size > self.limit:  # one enormous element: emit it in pieces
            text = "".join(self._pieces)
            cut = _cut_point(text, self.limit)
            self._pieces, self._size = [text[cut:]], len(text) - cut
            self._emit(text[:cut])

    def flush(self) -> None:
        """End the current block."""
        text = "".join(self._pieces)
        self._pieces, self._size = [], 0
        self._emit(text)
        self._heading = ""

    def _emit(self, raw: str) -> None:
        text = re.sub(r" ?\ue000 ?", "\n", _collapse(raw)).strip()
        if text:
            if self._heading == "h1" and not self.h1:
                self.h1 = text.replace("\n", " ")
            self.blocks.append((text, bool(self._heading)))


_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]"
_WS_RE = re.compile(r"[ \t\r\n\f\xa0\u3000]+")
_CJK_BREAK_RE = re.compile(rf"(?<=[^\sA-Za-z0-9])[ \t\r\f]*\n[ \t\r\n\f]*(?={_CJK})")


def _collapse(text: str) -> str:
    """HTML white space: a source line break before Chinese text vanishes unless a Latin
    word precedes it (as CSS does between wide characters); any other run becomes a space."""
    return _WS_RE.sub(" ", _CJK_BREAK_RE.sub("", text))


def _html_parts(chunks: Iterable[str], limit: int) -> Iterator[_Part]:
    parser = _HtmlText(limit)
    texts: list[str] = []
    headings: list[int] = []
    size = offset = 0

    def part() -> _Part:
        title = parser.h1 or _site_title(parser.title)
        return _Part(offset, "\n\n".join(texts), frozenset(headings), title)

    def drain() -> Iterator[_Part]:
        nonlocal size, offset
        for text, is_heading in parser.blocks:
            if texts and size + 2 + len(text) > limit:
                yield part()
                offset += size + 2  # the blank line between two parts belongs to neither
                texts.clear()
                headings.clear()
                size = 0
            if texts:
                size += 2
            if is_heading:
                headings.append(size)
            texts.append(text)
            size += len(text)
        parser.blocks.clear()

    for chunk in chunks:
        parser.feed(chunk)
        yield from drain()
    parser.close()
    parser.flush()
    yield from drain()
    if texts:
        yield part()


def _site_title(title: str) -> str:
    """<title> often ends in the site name ("标题_济宁新闻网", "标题 - 某某网"): keep the first part."""
    return _TITLE_SITE_RE.split(title, maxsplit=1)[0].strip() if title else ""


# --------------------------------------------------------------------------- lines


@dataclass
class _Line:
    """A non-blank line: its kept spans (markup removed) and what it looks like."""

    spans: list[tuple[int, int]]
    text: str
    kind: str  # "heading" | "byline" | "text"
    block: int  # lines of one block are separated by single line breaks only
    level: int = 0  # Markdown heading level, 0 otherwise
    bulleted: bool = False  # began with a bullet or list marker: starts a new paragraph
    hard_break: bool = False  # Markdown hard break (two trailing spaces): the line ends here
    credits: list[tuple[str, str, int, int]] = field(default_factory=list)


def _lines(text: str, kind: str, headings: frozenset[int]) -> list[_Line]:
    lines: list[_Line] = []
    block, blank, pos = 0, True, 0
    for raw in text.splitlines(keepends=True):
        start = pos
        pos += len(raw)
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        line = _line(text, start, body, kind, start in headings)
        if line is None:
            if not blank:
                block += 1
            blank = True
            continue
        line.block = block
        blank = False
        lines.append(line)
    return lines


def _line(text: str, start: int, body: str, kind: str, is_heading: bool) -> _Line | None:
    """Classify the line ``body`` found at text[start:]; None for a line without text."""
    stripped = body.strip()
    if not stripped:
        return None
    begin = start + (len(body) - len(body.lstrip()))
    stop = begin + len(stripped)
    level, bulleted = 0, False
    if kind != "html":  # "# " headlines occur in .txt articles too
        if kind == "md" and _MD_SKIP_LINE_RE.match(stripped):
            return None
        if kind == "md" and (prefix := _MD_PREFIX_RE.match(stripped)):
            begin += prefix.end()
            bulleted = True
        if heading := _MD_HEADING_RE.match(text, begin, stop):
            level = len(heading.group(1))
            begin = heading.end()
            if closing := _MD_CLOSING_HASHES_RE.search(text, begin, stop):
                stop = closing.start()
    while begin < stop and (text[begin] in RULES.bullets or text[begin].isspace()):
        bulleted = bulleted or text[begin] in RULES.bullets
        begin += 1
    if begin >= stop:
        return None
    spans = _markup_holes(text, begin, stop) if kind == "md" else [(begin, stop)]
    content = "".join(text[s:e] for s, e in spans)
    if not content.strip():
        return None
    line = _Line(spans, content, "text", 0, level, bulleted, body.endswith("  "))
    credits = _line_credits(content, spans)
    if level or is_heading:
        line.kind = "heading"
    elif credits:
        line.kind, line.credits = "byline", credits
    elif _heading_like(content):
        line.kind = "heading"
    return line


def _markup_holes(text: str, begin: int, stop: int) -> list[tuple[int, int]]:
    """Spans of a Markdown line without its inline markup (**, `, links, images, tags)."""
    spans, at = [], begin
    for mark in _MD_INLINE_RE.finditer(text, begin, stop):
        if mark.start() > at:
            spans.append((at, mark.start()))
        at = mark.end()
    if at < stop:
        spans.append((at, stop))
    return _trim(text, spans)


def _trim(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop leading/trailing white space (and spans left empty) from a list of spans."""
    spans = [(s, e) for s, e in spans if e > s]
    while spans:
        s, e = spans[0]
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            spans[0] = (s, e)
            break
        spans.pop(0)
    while spans:
        s, e = spans[-1]
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans[-1] = (s, e)
            break
        spans.pop()
    return spans


def _heading_like(line: str) -> bool:
    """Headlines are short and carry no sentence punctuation; newspaper headlines with two
    clauses separate them by a space instead of a comma; a kicker ends in ——."""
    if len(line) > RULES.heading_max:
        return False
    if line.endswith(RULES.kicker_suffixes[0]) or line.startswith(RULES.subtitle_prefixes):
        return True
    if not RULES.internal_punct_re.search(line):
        return True
    # 来崔寨体验别样农民丰收节 本周六启幕,不见不散: spaced clauses, no full stop
    return bool(_INNER_SPACE_RE.search(line)) and not RULES.sentence_end_re.search(line)


def _ends_paragraph(line: str) -> bool:
    """Does the line end a paragraph (。！？；：…, possibly inside closing quotes)?

    A closing quote after a non-final character (…提出了“三抢四争”) ends no sentence.
    """
    core = line.rstrip(RULES.closers)
    return bool(core) and core[-1] in RULES.paragraph_end


def _continues(before: _Line, after: _Line) -> bool:
    """Is ``after`` the rest of ``before``'s paragraph, cut by a page or line break?

    Signal: a text line (not a headline) that does not end in terminal punctuation,
    followed by a text line that does not open a new article (dateline) or list item.
    """
    return (before.kind == "text" and after.kind == "text" and not before.hard_break
            and not after.bulleted and not _ends_paragraph(before.text)
            and not RULES.dateline_re.match(after.text))


# --------------------------------------------------------------------------- bylines


def _credits(content: str) -> list[tuple[str, str, int, int]] | None:
    """Parse "本报记者 于伟 孟杰 见习记者 孔茜" into (role, name, start, end) items, or None
    if anything in ``content`` is not a role, a name or a closing credit word (摄, 报道)."""
    found: list[tuple[str, str, int, int]] = []
    role, pos, size = "", 0, len(content)
    while True:
        if sep := _SEP_RE.match(content, pos):
            pos = sep.end()
        if pos >= size:
            break
        if match := RULES.role_re.match(content, pos):
            role, pos = match.group("role"), match.end()
        elif role and (match := RULES.name_re.match(content, pos)):
            found.append((role, match.group(), pos, match.end()))
            pos = match.end()
        elif found and RULES.credit_re.match(content, pos):
            break
        else:
            return None
    return found or None


def _line_credits(content: str, spans: list[tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    """Bylines that fill a whole line: ■本报通讯员 许振峰 尹丽娜 / 通讯员 盛洁 摄."""
    if len(content) > RULES.byline_max or len(spans) != 1:
        return []
    base = spans[0][0]
    return [(role, name, base + s, base + e) for role, name, s, e in _credits(content) or ()]


def _paren_credits(text: str) -> list[tuple[str, str, int, int]]:
    """Bylines in brackets anywhere: 本报济宁讯(记者 武旭 通讯员 王婷婷)."""
    found: list[tuple[str, str, int, int]] = []
    for match in RULES.paren_re.finditer(text):
        if items := _credits(match.group(1)):
            base = match.start(1)
            found.extend((role, name, base + s, base + e) for role, name, s, e in items)
    return found


# --------------------------------------------------------------------------- sentences


def _units(lines: list[_Line]) -> list[list[tuple[int, int]]]:
    """Group lines into paragraphs (lists of kept spans), rejoining broken ones."""
    units: list[list[tuple[int, int]]] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None and _continues(previous, line):
            units[-1].extend(line.spans)
        else:
            units.append(list(line.spans))
        previous = line
    return units


def _sentences(text: str, units: list[list[tuple[int, int]]]) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    for spans in units:
        joined = "".join(text[s:e] for s, e in spans)
        starts = []  # where each span begins in ``joined``
        at = 0
        for s, e in spans:
            starts.append(at)
            at += e - s
        for match in RULES.sentence_re.finditer(joined):
            a, b = match.span()
            while a < b and joined[a].isspace():
                a += 1
            while b > a and joined[b - 1].isspace():
                b -= 1
            for begin, end in _cap(joined, a, b):
                sentences.append(_sentence(len(sentences), joined, begin, end, spans, starts))
    return tuple(sentences)


def _cap(joined: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Cut a run-on "sentence" longer than MAX_SENTENCE after a comma (or hard)."""
    while b - a > MAX_SENTENCE:
        limit = a + MAX_SENTENCE
        cut = max(joined.rfind(mark, a + MAX_SENTENCE // 2, limit) for mark in "，,、 ")
        cut = cut + 1 if cut >= 0 else limit
        yield a, cut
        a = cut
        while a < b and joined[a].isspace():
            a += 1
    if b > a:
        yield a, b


def _sentence(index: int, joined: str, a: int, b: int, spans: list[tuple[int, int]], starts: list[int]) -> Sentence:
    first = bisect.bisect_right(starts, a) - 1
    last = bisect.bisect_right(starts, b - 1) - 1
    start = spans[first][0] + a - starts[first]
    end = spans[last][0] + b - starts[last]
    gaps = tuple((starts[i] - a, spans[i][0] - spans[i - 1][1]) for i in range(first + 1, last + 1)
                 if spans[i][0] > spans[i - 1][1])
    return Sentence(index=index, start=start, end=end, text=joined[a:b], gaps=gaps)


# --------------------------------------------------------------------------- title, year


def _title(lines: list[_Line], html_title: str) -> str:
    """The headline: from HTML markup, a Markdown "# " line, or the headline lines that
    open the text (a kicker ending in —— is joined to the main line; subtitles dropped)."""
    if html_title:
        return html_title
    lead: list[_Line] = []
    for line in lines:
        if line.kind != "heading":
            # heading-like lines in the same block as the first byline/body line are a source
            # line (齐鲁晚报·齐鲁壹点\n通讯员 …), not the headline
            lead = [head for head in lead if head.block != line.block] or lead
            break
        lead.append(line)
    top = [line for line in lead if line.level == 1] or [line for line in lines if line.level == 1]
    if top:
        return top[0].text
    main = [line for line in lead if not line.text.startswith(RULES.subtitle_prefixes)]
    if not main:
        return ""
    title = main[-1].text
    if len(main) > 1 and main[-2].text.endswith(RULES.kicker_suffixes):
        title = main[-2].text + title
    return title


def _year(text: str, name: str) -> int | None:
    """Publication year, a heuristic: a year in the file name (2021-04-21_x.txt), else the
    latest year the text states (2021年) that is not in the future and not a target.
    None when no year is stated."""
    now = datetime.date.today().year
    for match in _FILE_YEAR_RE.finditer(name):
        if 1900 <= (year := int(match.group(1))) <= now:
            return year
    best = None
    for match in _YEAR_RE.finditer(text):
        year = int(match.group(1).translate(_FULLWIDTH_DIGITS))
        if 1900 <= year <= now and (best is None or year > best) and not _future_year(text, match.start(), match.end()):
            best = year
    return best


_CLAUSE_END_RE = re.compile(r"[，,。；;！？!?：:\n]")


def _future_year(text: str, start: int, end: int) -> bool:
    """Is the year at text[start:end] a target rather than a date of the reported events?"""
    before = _CLAUSE_END_RE.split(text[max(0, start - 4):start])[-1]  # the same clause only
    # 到2025年 / 确保2020年 / 将于2030年: a plan names its target year (截至2020年 does not)
    if any(word in before for word in RULES.year_target_words) and not before.endswith(RULES.year_past_words):
        return True
    # 2021—2025年: the end of a planning period
    if before[-1:] in ("-", "—", "–", "~", "～") and before[-2:-1].isdigit():
        return True
    # 2028年改革开放50周年时 / 2020年时: a milestone to be reached
    clause_end = _CLAUSE_END_RE.search(text, end, end + 40)
    clause = text[end:clause_end.start() if clause_end else end + 40]
    return clause.startswith(RULES.year_milestone_words) or clause.endswith(RULES.year_milestone_words)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


# --------------------------------------------------------------------------- document


def _document(source: _Source, part: _Part, codec: str, digest: str, doc_id: str, inherited_title: str) -> Document:
    text = part.text
    lines = _lines(text, source.kind, part.headings)
    credits = sorted({c for line in lines for c in line.credits} | set(_paren_credits(text)),
                     key=lambda c: c[2])
    names = tuple(dict.fromkeys(name for _role, name, _s, _e in credits))
    return Document(
        id=doc_id,
        path=source.shown,
        text=text,
        title=_title(lines, part.html_title) or inherited_title,
        bylines=names,
        sentences=_sentences(text, _units(lines)),
        year=_year(text, source.file.name),
        encoding=codec,
        sha256=digest,
        offset=part.offset,
        byline_mentions=tuple((name, role, s, e) for role, name, s, e in credits),
    )
