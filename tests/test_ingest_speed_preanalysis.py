"""Analysis done in the ingest workers changes nothing in the index, and is really used.

The workers analyse each document's title and body (``pipeline.index.writer.analyse``); the parent
keeps the postings (``Preanalysed``) until the record is written. The segment written from them
must be byte-identical to the one written by analysing in the parent; postings analysed under
another lexicon must not be used.
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh import index as whoosh_index

from pipeline import Archive
from pipeline.archive.catalog import connect
from pipeline.archive.sync import index_item
from pipeline.home import Home
from pipeline.index import writer as index_writer
from pipeline.index.schema import build_schema
from pipeline.index.segments import Columns, FastSegmentWriter
from pipeline.index.writer import (
    ANALYSED_FIELDS,
    Preanalysed,
    doc_record,
    analyse,
    document_text,
)
from pipeline.model import Document
from tests.test_archive_support import notice_lines, write_txt
from tests.test_segment_writer import _content, _documents, _segment_files


def _write(path: Path, items: list, preanalysed: Preanalysed | None) -> whoosh_index.Index:
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = FastSegmentWriter(ix, compound=False,
                               preanalysed=preanalysed.take if preanalysed else None)
    for doc_id, doc, meta in items:
        writer.add_document(**doc_record(doc_id, doc, meta, document_text(doc)))
    writer.commit()
    return ix


def test_preanalysed_postings_write_the_same_segment(tmp_path: Path) -> None:
    items = _documents(150, seed=11)
    cache = Preanalysed()
    for _doc_id, doc, _meta in items:
        cache.put(analyse(doc, tmp_path))
    assert len(cache) > 150
    taken = []
    original_take = cache.take

    def counting_take(fieldname: str, value: str):
        found = original_take(fieldname, value)
        if fieldname in ANALYSED_FIELDS:
            taken.append(found is not None)
        return found

    cache.take = counting_take  # type: ignore[method-assign]
    fresh = _write(tmp_path / "fresh", items, None)
    reused = _write(tmp_path / "reused", items, cache)
    assert len(taken) == 4 * 150 and all(taken)  # every analysed field came from the cache
    assert len(cache) == 0  # and each entry was used once
    assert _segment_files(reused) == _segment_files(fresh)
    assert _content(reused) == _content(fresh)


def test_postings_from_another_lexicon_are_not_used(tmp_path: Path) -> None:
    doc = Document(path="a.txt", format="txt", title="关于做好防汛抗旱工作的通知",
                   body="各地要做好防汛抗旱准备。", paragraphs=["各地要做好防汛抗旱准备。"])
    cache = Preanalysed()
    cache.put(analyse(doc, tmp_path))
    lexicon = tmp_path / "lexicon.txt"  # the user adds a word after the worker analysed
    lexicon.write_text("旱准 99999\n", encoding="utf-8")
    os.utime(lexicon, (1, 1))
    index_writer.load_home_lexicon(tmp_path)
    title, body = index_writer.indexed_text(doc, document_text(doc))
    assert cache.take("body", body) is None
    cache.put(analyse(doc, tmp_path))  # analysed under today's lexicon: used
    assert cache.take("body", body) is not None
    assert cache.take("body", body) is None  # once


def test_the_cache_is_bounded() -> None:
    cache = Preanalysed(limit=3)
    for n in range(5):
        cache.put({"lexicon": None, "postings": {("body", str(n)): []}})
    assert len(cache) == 3
    assert cache.take("body", "0") is None


def test_ingest_uses_the_workers_analysis(home: Path, tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "src"
    for n in range(1, 6):
        write_txt(src / f"notice{n}.txt", notice_lines(n, topic=f"专项{n}"))
    hits: list[bool] = []
    original_take = index_writer.PREANALYSED.take

    def counting_take(fieldname: str, value: str):
        found = original_take(fieldname, value)
        if fieldname in ANALYSED_FIELDS:
            hits.append(found is not None)
        return found

    monkeypatch.setattr(index_writer.PREANALYSED, "take", counting_take)
    summary = Archive(home).ingest([src], workers=2, progress=False)
    assert summary["added"] == 5 and not summary["failed"]
    assert len(hits) == 5 * 4 and all(hits)  # titles and bodies, as words and as bigrams
    assert len(index_writer.PREANALYSED) == 0  # nothing kept after the run
    # the index holds what writing from the catalog alone writes
    monkeypatch.setattr(index_writer.PREANALYSED, "take", lambda fieldname, value: None)
    conn = connect(Home(home))
    rows = conn.execute("SELECT * FROM documents WHERE is_current = 1 ORDER BY id").fetchall()
    items = [index_item(conn, row) for row in rows]
    conn.close()
    expected = _write(tmp_path / "expected", items, None)
    ingested = whoosh_index.open_dir(str(home / "index"), indexname="MAIN")
    assert _postings_by_id(ingested) == _postings_by_id(expected)


def _postings_by_id(ix: whoosh_index.Index) -> dict:
    """Each document's terms with weights and positions, keyed by document id (document
    numbers depend on the order and batches the ingest happened to write)."""
    content = _content(ix)
    with ix.searcher() as searcher:
        ids = {docnum: fields["id"] for docnum, fields in
               enumerate(searcher.reader().all_stored_fields())}
    by_id: dict = {}
    for (fieldname, text), (rows, *_stats) in content["postings"].items():
        for docnum, weight, positions in rows:
            by_id.setdefault(ids[docnum], set()).add((fieldname, text, weight, positions))
    return by_id


def test_columns_give_back_the_postings_they_were_made_of() -> None:
    schema = build_schema()
    text = "督导涉访单位落实属地责任，督导到位。ABC 2025年"
    for name in ("body", "body_bg"):
        field = schema[name]
        postings = field.format.postings(text, field.analyzer)
        columns = Columns.of(postings, field.format.supports("positions"))
        assert columns is not None
        encoded = [(w.encode("utf-8"), n, weight, value) for w, n, weight, value in postings]
        assert list(columns.items(field.format.field_boost)) == encoded
        assert list(field.index(text)) == encoded  # what Whoosh itself would index
    empty = Columns.of([], positions=True)
    assert empty is not None and list(empty.items(1.0)) == []
    # a NUL inside a term would split it in two: such postings are not sent as columns
    assert Columns.of([("a\0b", 1, 1.0, b"")], positions=False) is None
