"""Adding, replacing and deleting documents in the archive's Whoosh index (``<home>/index``)."""

from __future__ import annotations

import gc
import os
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from pipeline.index import nearcopy, neighbours
from pipeline.index.analysis import lexicon_state
from pipeline.index.forked import Forked, can_fork, spare_core
from pipeline.index.schema import ACCESS_OPEN, ACCESS_RESTRICTED, DOC, SCHEMA_VERSION, build_schema
from pipeline.index.segments import Columns, FastSegmentWriter
from pipeline.index.suggest import SUGGESTION_FIELDS
from pipeline.model import Document
from pipeline.settings import env_int
from pipeline.text.normalize import doc_number_key, fold, session_keys
from pipeline.text.segment import load_home_lexicon
from pipeline.text.synonyms import add_definitions, extract_definitions

INDEX_DIR = "index"
PASSAGE_CHARS = 400  # a passage groups paragraphs up to about this length
LONG_PARAGRAPH = 800  # longer paragraphs are cut at sentence ends
WRITER_TIMEOUT = 120.0  # seconds to wait for another writer's lock

_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十百零]+[章节])")
_create_lock = threading.Lock()


def index_path(home: Path | str) -> Path:
    return Path(home) / INDEX_DIR


MAIN = "MAIN"  # the index of document records (passages are stored inside them)
VERSION_FILE = "VERSION"


def open_index(home: Path | str, create: bool = True,
               name: str = MAIN) -> whoosh_index.Index | None:
    """The home's index, created on first use when ``create`` (else None when absent)."""
    path = index_path(home)
    if whoosh_index.exists_in(str(path), indexname=name):
        return whoosh_index.open_dir(str(path), indexname=name)
    if not create:
        return None
    with _create_lock:
        path.mkdir(parents=True, exist_ok=True)
        if not whoosh_index.exists_in(str(path), indexname=name):
            ix = whoosh_index.create_in(str(path), build_schema(), indexname=name)
            (path / VERSION_FILE).write_text(str(SCHEMA_VERSION), encoding="ascii")
            return ix
    return whoosh_index.open_dir(str(path), indexname=name)


def is_stale(home: Path | str) -> bool:
    """True when the home holds an index written with another schema version (rebuild it)."""
    path = index_path(home)
    try:  # the common case first: one small read (search() asks on every query)
        if (path / VERSION_FILE).read_text(encoding="ascii").strip() == str(SCHEMA_VERSION):
            return False
    except OSError:
        pass
    return path.is_dir() and any(path.glob("*.toc"))


def drop_index(home: Path | str) -> None:
    """Delete the home's index (the catalog keeps everything needed to write it again)."""
    shutil.rmtree(index_path(home), ignore_errors=True)


# --- records ------------------------------------------------------------------------------------
def document_text(doc: Document) -> str:
    """The searchable body: paragraphs plus attachments (titles and text)."""
    parts = [doc.body]
    for attachment in doc.attachment_docs:
        parts.extend(p for p in (attachment.title, attachment.text) if p)
    return "\n".join(p for p in parts if p)


def passages(doc: Document) -> list[tuple[str | None, str]]:
    """(section heading, text) passages: paragraphs grouped up to ~PASSAGE_CHARS, never across a
    level-1/level-2 heading; very long paragraphs are cut at sentence ends."""
    headings = {h.text.strip() for h in doc.headings if h.level <= 2}
    paragraphs = doc.paragraphs or [p for p in doc.body.split("\n")]
    if doc.title and len(doc.title.strip()) > TITLE_MAX:  # a paragraph taken for the title
        paragraphs = [doc.title.strip()] + list(paragraphs)
    if doc.adoption_note and doc.adoption_note not in doc.body:  # the meeting that adopted it
        paragraphs = [doc.adoption_note.replace("\n", " ")] + list(paragraphs)
    signed = [line for line in (*doc.signature, *doc.signer) if line and line not in doc.body]
    if signed:  # the signature (a speech's speaker) and the 签发人
        paragraphs = list(paragraphs) + [" ".join(signed)]
    for attachment in doc.attachment_docs:
        paragraphs = paragraphs + [p for p in (attachment.title, *attachment.text.split("\n")) if p]
    result: list[tuple[str | None, str]] = []
    section: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            result.append((section, "\n".join(buffer)))
            buffer.clear()

    for paragraph in (p.strip() for p in paragraphs):
        if not paragraph:
            continue
        if paragraph in headings or _HEADING_RE.match(paragraph):
            flush()
            section = _heading_of(paragraph)
        for piece in _cut_long(paragraph):
            if buffer and sum(map(len, buffer)) + len(piece) > PASSAGE_CHARS:
                flush()
            buffer.append(piece)
    flush()
    return result


def _heading_of(paragraph: str) -> str:
    """A run-in heading ends at the first full stop; keep headings short."""
    head = re.split(r"[。：:]", paragraph, maxsplit=1)[0]
    return head[:60]


def _cut_long(paragraph: str) -> Iterator[str]:
    if len(paragraph) <= LONG_PARAGRAPH:
        yield paragraph
        return
    piece = ""
    for sentence in re.split(r"(?<=[。！？；])", paragraph):
        if piece and len(piece) + len(sentence) > PASSAGE_CHARS:
            yield piece
            piece = ""
        piece += sentence
    if piece:
        yield piece


TITLE_MAX = 100  # a longer "title" is a paragraph the parser took for one


def index_title(title: str | None, body: str) -> tuple[str, str]:
    """(title to index, body to index). A title longer than any real 公文 title is cut at its first
    space or full stop (else TITLE_MAX characters) and the whole text goes to the body, so that a
    mis-recognised title neither dominates the ranking nor loses the text."""
    title = (title or "").strip()
    if len(title) <= TITLE_MAX:
        return title, body
    head = re.split(r"[\s。]", title, maxsplit=1)[0]
    return (head if 0 < len(head) <= TITLE_MAX else title[:TITLE_MAX]), f"{title}\n{body}".strip()


def stored_passages(doc: Document) -> list[list[str | None]]:
    """``[section, text, folded]`` per passage; ``folded`` (what queries match) only when it
    differs from ``text``, so most passages are stored once."""
    stored: list[list[str | None]] = []
    for section, text in passages(doc):
        folded = fold(text)
        stored.append([section, text, folded if folded != text else None])
    return stored


def indexed_text(doc: Document, body: str) -> tuple[str, str]:
    """(title, body) as the record indexes them; ``body`` is ``document_text(doc)``."""
    title, titled = _titled_text(doc, body)
    return title, _with_parsed_lines(doc, titled)


def _with_parsed_lines(doc: Document, body: str) -> str:
    """What the parser takes out of the body is text drafters search by too: the meeting that
    adopted it (（……第三次会议通过）), the signature (署名: a speech's speaker), the 签发人."""
    extra = [line for line in (doc.adoption_note, *doc.signature, *doc.signer)
             if line and line not in body]
    return "\n".join([*extra, body]) if extra else body


def _titled_text(doc: Document, body: str) -> tuple[str, str]:
    """(title, body) with the title and the printed 文号 in the body: the text a near-copy is
    judged by. The signature and 签发人 stay out of it: a notice passed on under another office's
    name is still a near-copy of the notice."""
    title, body = index_title(doc.title, body)
    if title and not body.startswith(title):
        body = f"{title}\n{body}"  # the title is part of the text too (policy_qa: +4 points MRR)
    if doc.doc_number and doc.doc_number not in body:
        body = f"{doc.doc_number}\n{body}"  # the printed 文号 is searchable text as well
    return title, body


def near_signature(doc: Document) -> bytes:
    """The near-copy signature of ``doc``'s indexed text, as its record stores it (the catalog
    keeps one too, so that ``show`` can compare a document with the whole archive)."""
    return nearcopy.signature(_titled_text(doc, document_text(doc))[1])


def doc_record(doc_id: str, doc: Document, meta: dict[str, Any], body: str) -> dict[str, Any]:
    title, near_text = _titled_text(doc, body)
    body = _with_parsed_lines(doc, near_text)
    issuers = [i for i in doc.issuer if i]
    year = doc.date[:4] if doc.date else None
    keys = {key for _, key in session_keys(f"{title}\n{body}")}
    record: dict[str, Any] = {
        "id": doc_id, "kind": DOC, "passages": stored_passages(doc),
        "title": title, "_stored_title": doc.title or "", "title_bg": title,
        "body": body, "body_bg": body,
        "issuer_bg": " ".join(issuers), "recipients_bg": " ".join(doc.recipients),
        "doc_number": doc.doc_number, "issuer": ",".join(i.replace(",", " ") for i in issuers),
        "issuer_facet": "|".join(issuers), "genre": doc.genre or "其他",
        "path": str(meta.get("path") or doc.path),
        "topics": ",".join(meta.get("topics") or []), "keys": ",".join(sorted(keys)),
        "nearsig": nearcopy.signature(near_text) or None,
        "access": ACCESS_RESTRICTED if meta.get("restricted") else ACCESS_OPEN,
        "title_derived": True if doc.title_derived else None,
    }
    key = doc_number_key(doc.doc_number)
    if key:
        record["doc_key"] = key
    if doc.date:
        record["date"] = doc.date
    if year:
        record["year"] = year
    return {k: v for k, v in record.items() if v is not None and v != ""}


# --- analysis ahead of time --------------------------------------------------------------------
# Analysing a document's title and body (jieba words, bigrams with positions) is most of the CPU
# an index write costs in Python. Ingest workers do it while they parse (``analyse``) and hand
# the result to the parent, where ``PREANALYSED`` keeps it until the document's record is written.
# An entry is used only for exactly the same field value under the same lexicon; anything else is
# analysed again here, so the index never depends on whether an entry was there.
ANALYSED_FIELDS = ("title", "title_bg", "body", "body_bg")


def analyse(doc: Document, home: Path | str) -> dict[str, Any]:
    """The postings of ``doc``'s analysed fields as ``Columns``, for ``Preanalysed.put`` in
    another process."""
    load_home_lexicon(home)
    schema = _schema()
    postings = {}
    for name, value in _analysed_values(doc, document_text(doc)):
        if value:
            field = schema[name]
            found = field.format.postings(value, field.analyzer)
            postings[(name, value)] = (found if found is None else
                                       Columns.of(found, field.format.supports("positions")))
    return {"lexicon": lexicon_state(), "postings": postings}


def _analysed_values(doc: Document, body: str) -> Iterator[tuple[str, str]]:
    """(field, value) of each of ``ANALYSED_FIELDS`` as the record holds it (``Preanalysed``'s key)."""
    title, text = indexed_text(doc, body)
    for name in ANALYSED_FIELDS:
        yield name, text if name.startswith("body") else title


class Preanalysed:
    """Postings analysed in a worker, waiting for their record (bounded; thread-safe: the
    ingest's main thread puts, its indexer thread takes)."""

    def __init__(self, limit: int = 4000) -> None:
        self.limit = limit
        self._entries: dict[tuple[str, str], tuple[Any, Columns]] = {}
        self._lock = threading.Lock()

    def put(self, analysis: dict[str, Any] | None) -> None:
        if not analysis:
            return
        with self._lock:
            for key, postings in analysis["postings"].items():
                if postings is not None:
                    self._entries[key] = (analysis["lexicon"], postings)
            while len(self._entries) > self.limit:  # oldest first: a document never indexed
                del self._entries[next(iter(self._entries))]

    def take(self, fieldname: str, value: str) -> Columns | None:
        """The postings of ``value`` in ``fieldname`` if analysed under today's lexicon."""
        with self._lock:
            entry = self._entries.pop((fieldname, value), None)
        if entry is None or entry[0] != lexicon_state():
            return None
        return entry[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


PREANALYSED = Preanalysed()


@lru_cache(maxsize=1)
def _schema() -> Any:
    return build_schema()


# --- public API ---------------------------------------------------------------------------------
def add_documents(home: Path | str, items: list[tuple[str, Document, dict]]) -> None:
    """Add or replace each document record (its passages stored inside); one commit per call.

    Abbreviations the documents define (``（以下简称“……”）``) are merged into ``<home>/synonyms.json``.
    """
    if not items:
        return
    load_home_lexicon(home)
    ix = open_index(home)
    assert ix is not None
    bodies = [document_text(doc) for _, doc, _ in items]
    with _collector_paused():
        definitions = _write(ix, items, bodies)
    _save_lexicons(ix)
    add_definitions(home, definitions)


_pause_lock = threading.Lock()
_pauses = 0  # batches being written now (an ingest's indexer thread and its main thread)
_resume = False  # whether the collector was on when the first of them paused it


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch is written. A batch allocates millions
    of lists and tuples (postings grouped per term) that live until the commit and hold no
    cycles; the collector walked them again and again for nothing (656-file benchmark: ~250
    collections, 1.7-3 s of the parent's CPU). It is process-wide, so the last batch to finish
    turns it back on, and only if it was on."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


FORK_MIN_CHARS = 400_000  # a batch with less text is written by one process (a fork costs
# ~0.1 s and each segment repeats the terms the two halves share: +10-40 % CPU for the batch);
# GONGWEN_INDEX_FORK_MIN_CHARS overrides it (tests). GONGWEN_INDEX_FORK: "0" never forks (the
# benchmarks' baseline), "1" always may, unset only when a core is idle (forked.spare_core)


CHILD_SHARE = 0.45  # of the text: the child is the slower of the two (it copies the pages
# it touches); at one half it finished 1.2-3.2 s after the parent (benchmarks/experiments/ingest_timeline.py)


def _fork_min_chars() -> int:
    return env_int("GONGWEN_INDEX_FORK_MIN_CHARS", FORK_MIN_CHARS)


def _fork_wanted() -> bool:
    setting = os.environ.get("GONGWEN_INDEX_FORK", "")
    if setting == "0" or not can_fork():
        return False
    return setting == "1" or spare_core()


def _write(ix: whoosh_index.Index, items: list[tuple[str, Document, dict]],
           bodies: list[str], fork: bool = True) -> list[tuple[str, str]]:
    """Replace the documents' records in one commit; the abbreviations their texts define.

    A large batch is written as two segments at once: a forked child writes the first part
    (sharing the documents and their preanalysed postings copy-on-write) while this process
    writes the rest; both join the index in the same commit, the child's segment first, so
    documents keep the batch's order. The write lock is held from before the fork to the
    commit, so no other writer can clean up the child's files meanwhile. If the child fails,
    the batch is written again by this process alone.
    """
    # FastSegmentWriter: the stock segment, byte for byte, without Whoosh's per-posting pool
    # (pipeline.index.segments). compound=False: the segment's files are not copied into one
    # compound file afterwards (the copy cost ~15 % of a commit and buys nothing on a normal
    # file system)
    writer = FastSegmentWriter(ix, timeout=WRITER_TIMEOUT, compound=False,
                               preanalysed=PREANALYSED.take)
    child: _Child | None = None
    try:
        for doc_id, _doc, _meta in items:
            _delete(writer, doc_id)
        split = _split_point(ix, bodies) if fork else 0
        if split:
            child = _Child(ix, items[:split], bodies[:split])
            writer.add_segment(child.segment)
        definitions = _add(writer, items[split:], bodies[split:])
    except BaseException:
        if child is not None:
            child.kill()
        writer.cancel()
        raise
    try:
        writer.commit()  # calls child.segment() once this process's segment is written
    except _ChildFailed:
        return _write(ix, items, bodies, fork=False)
    finally:
        if child is not None:
            child.kill()
    return (child.definitions if child is not None else []) + definitions


class _ChildFailed(Exception):
    pass


class _Child:
    """The forked child writing the first documents of a batch as a segment of their own."""

    def __init__(self, ix: whoosh_index.Index, items: list[tuple[str, Document, dict]],
                 bodies: list[str]) -> None:
        self.items, self.bodies = items, bodies
        self.definitions: list[tuple[str, str]] = []
        self.process = Forked(lambda: _write_segment(ix, items, bodies))

    def segment(self) -> Any:
        """Wait for the child: its finished segment (its abbreviations kept)."""
        written = self.process.result()
        if written is None:
            raise _ChildFailed
        segment, self.definitions = written
        _forget(self.items, self.bodies)
        return segment

    def kill(self) -> None:
        self.process.kill()


def _add(writer: SegmentWriter, items: list[tuple[str, Document, dict]],
         bodies: list[str]) -> list[tuple[str, str]]:
    """Add the documents' records to ``writer``; the abbreviations their texts define."""
    definitions: list[tuple[str, str]] = []
    for (doc_id, doc, meta), body in zip(items, bodies):
        writer.add_document(**doc_record(doc_id, doc, meta or {}, body))
        definitions.extend(extract_definitions(fold(body)))
    return definitions


def _split_point(ix: whoosh_index.Index, bodies: list[str]) -> int:
    """How many documents (from the start) a forked child writes (``CHILD_SHARE`` of the
    text), or 0 when the batch is written by this process alone."""
    total = sum(map(len, bodies))
    if (total < _fork_min_chars() or len(bodies) < 2 or not isinstance(ix.storage, FileStorage)
            or not _fork_wanted()):
        return 0
    running = 0
    for count, body in enumerate(bodies, 1):
        running += len(body)
        if running >= total * CHILD_SHARE:
            return min(count, len(bodies) - 1)
    return 0  # not reached: running ends at total


def _write_segment(ix: whoosh_index.Index, items: list[tuple[str, Document, dict]],
                   bodies: list[str]) -> tuple[Any, list[tuple[str, str]]]:
    """(In the forked child) the finished segment of these documents, not yet in the index
    (the parent holds the lock and commits it), and their abbreviations."""
    writer = FastSegmentWriter(ix, _lk=False, compound=False, preanalysed=PREANALYSED.take)
    definitions = _add(writer, items, bodies)
    return writer._finalize_segment(), definitions


def _forget(items: list[tuple[str, Document, dict]], bodies: list[str]) -> None:
    """Drop the preanalysed postings the child used (its copy of them was its own)."""
    for (_doc_id, doc, _meta), body in zip(items, bodies):
        for name, value in _analysed_values(doc, body):
            PREANALYSED.take(name, value)


def delete_documents(home: Path | str, doc_ids: Iterable[str]) -> None:
    """Remove documents (and their passages); unknown ids are ignored."""
    doc_ids = list(doc_ids)
    if not doc_ids:
        return
    ix = open_index(home, create=False)
    if ix is not None:
        _write_deletions(ix, doc_ids)
        _save_lexicons(ix)


def _save_lexicons(ix: whoosh_index.Index) -> None:
    """The did-you-mean lexicons of the segments a commit made (``neighbours.write_missing``)."""
    neighbours.write_missing(ix, [field for field, _bonus in SUGGESTION_FIELDS])


def _write_deletions(ix: whoosh_index.Index, doc_ids: list[str]) -> None:
    # the fast writer too: segments it merges get their postings sidecar
    writer = FastSegmentWriter(ix, timeout=WRITER_TIMEOUT, compound=False)
    try:
        for doc_id in doc_ids:
            _delete(writer, doc_id)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _delete(writer: SegmentWriter, doc_id: str) -> None:
    writer.delete_by_term("id", doc_id)


def indexed_ids(home: Path | str) -> set[str]:
    """Ids of the document records in the index (read from the id terms: loading the stored
    records would read every passage)."""
    ix = open_index(home, create=False)
    if ix is None:
        return set()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        deletions = reader.has_deletions()
        ids = set()
        for term in reader.lexicon("id"):
            if not deletions or any(not reader.is_deleted(d)
                                    for d in reader.postings("id", term).all_ids()):
                ids.add(term.decode("utf-8") if isinstance(term, bytes) else term)
        return ids
