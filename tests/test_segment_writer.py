"""FastSegmentWriter writes the segment Whoosh's own SegmentWriter writes.

The same records go through both writers into two real on-disk indexes. Read back through stock
Whoosh readers they must give the same lexicons, postings (ids, weights, positions), term
statistics, field lengths, stored fields and columns; the segments' files must be byte-identical
except the postings (block data pickled with protocol 3 instead of 2) and the term index that
points into them. Documents are many and
alike enough that common terms span several 128-posting blocks.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Phrase, Term
from whoosh.writing import SegmentWriter

from pipeline.index import sidecar
from pipeline.index.schema import build_schema
from pipeline.index.segments import FastSegmentWriter
from pipeline.index.writer import doc_record, document_text
from pipeline.model import Document

_SENTENCES = [
    "各地区各部门要切实加强安全生产工作的组织领导。",
    "国务院办公厅关于进一步优化营商环境更好服务市场主体的实施意见。",
    "坚持以人民为中心的发展思想，推动高质量发展。",
    "加快建设全国统一大市场，破除地方保护和市场分割。",
    "督导涉访单位落实属地责任，及时化解矛盾纠纷。",
    "2025年GDP增长5.2%，城镇新增就业1256万人。",
    "《中华人民共和国安全生产法》第三十二条规定的情形。",
    "推進數字政府建設，提升政務服務效能。",  # traditional: folded before indexing
    "ＡＢＣ全角字符与半角字符统一处理。",
    "一",
]
_ISSUERS = ["国务院", "国务院办公厅", "应急管理部", "国家发展改革委", "财政部"]


def _documents(count: int, seed: int = 7) -> list[tuple[str, Document, dict[str, Any]]]:
    rng = random.Random(seed)
    items = []
    for n in range(count):
        paragraphs = [rng.choice(_SENTENCES) * rng.randint(1, 3) for _ in range(rng.randint(2, 9))]
        doc = Document(path=f"/corpus/{n}.txt", format="txt",
                       title=f"关于{rng.choice(['加强', '做好', '推进'])}第{n}项工作的通知",
                       doc_number=f"国办发〔2025〕{n}号" if n % 3 else None,
                       issuer=rng.sample(_ISSUERS, rng.randint(0, 2)),
                       recipients=["各省、自治区、直辖市人民政府"] if n % 2 else [],
                       date=f"20{10 + n % 15}-0{1 + n % 9}-1{n % 10}" if n % 5 else None,
                       genre=rng.choice(["通知", "意见", "决定"]),
                       body="\n".join(paragraphs), paragraphs=paragraphs)
        meta = {"topics": rng.sample(["安全生产", "营商环境", "就业"], rng.randint(0, 2))}
        items.append((f"{n:016x}", doc, meta))
    return items


def _records(items: list[tuple[str, Document, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [doc_record(doc_id, doc, meta, document_text(doc)) for doc_id, doc, meta in items]


def _write(path: Path, writer_class: type, batches: list[list[dict[str, Any]]],
           deletions: list[str] = (), **commit: Any) -> whoosh_index.Index:
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    for i, batch in enumerate(batches):
        writer = writer_class(ix, compound=False)
        if i == len(batches) - 1:
            for doc_id in deletions:
                writer.delete_by_term("id", doc_id)
        for record in batch:
            writer.add_document(**record)
        writer.commit(**(commit if i == len(batches) - 1 else {"merge": False}))
    return ix


POSTINGS_FILES = (".pst", ".trm")  # the block pickles' protocol differs; the term index
# records each term's offset and length in the postings file


def _segment_files(ix: whoosh_index.Index, postings: bool = True) -> dict[str, bytes]:
    """Each segment's Whoosh files, keyed by segment order and extension (segment ids are
    random); the fast writer's postings sidecar (pipeline.index.sidecar) is not Whoosh's.
    ``postings=False`` leaves out the postings and term index files."""
    files = {}
    root = Path(ix.storage.folder)
    for n, segment in enumerate(ix._segments()):
        for path in sorted(root.glob(f"*{segment.segment_id()}*")):
            if path.suffix != sidecar.EXTENSION and (postings or path.suffix not in POSTINGS_FILES):
                files[f"{n}{path.name.replace(segment.segment_id(), '')}"] = path.read_bytes()
    return files


def _content(ix: whoosh_index.Index) -> dict[str, Any]:
    """Everything a search reads, through stock Whoosh readers."""
    schema = ix.schema
    with ix.reader() as reader:
        postings = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            rows = []
            fmt = schema[fieldname].format
            while matcher.is_active():
                positions = (tuple(matcher.value_as("positions"))
                             if fmt.supports("positions") else None)
                rows.append((matcher.id(), matcher.weight(), positions))
                matcher.next()
            info = reader.term_info(fieldname, text)
            postings[(fieldname, text)] = (rows, info.weight(), info.doc_frequency(),
                                           info.min_length(), info.max_length(),
                                           info.max_weight(), info.min_id(), info.max_id())
        docnums = list(reader.all_doc_ids())
        lengths = {f: [reader.doc_field_length(d, f) for d in docnums]
                   for f in schema.scorable_names()}
        totals = {f: (reader.field_length(f), reader.min_field_length(f),
                      reader.max_field_length(f)) for f in schema.scorable_names()}
        stored = list(reader.all_stored_fields())
        columns = {f: list(reader.column_reader(f)) for f in schema.names()
                   if schema[f].column_type and reader.has_column(f)}
    return {"postings": postings, "lengths": lengths, "totals": totals, "stored": stored,
            "columns": columns, "doc_count": ix.doc_count_all()}


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return _records(_documents(300))


def test_one_segment_reads_the_same_and_differs_only_in_the_postings(
        tmp_path: Path, records: list[dict]) -> None:
    stock = _write(tmp_path / "stock", SegmentWriter, [records])
    fast = _write(tmp_path / "fast", FastSegmentWriter, [records])
    stock_files, fast_files = _segment_files(stock), _segment_files(fast)
    assert {name[1:] for name in stock_files} >= {".pst", ".trm", "._stored.col"}
    assert stock_files.keys() == fast_files.keys()
    assert all(sidecar.for_leaf(leaf) is not None for leaf, _ in fast.reader().leaf_readers())
    for name in stock_files:
        if name[1:] not in POSTINGS_FILES:
            assert stock_files[name] == fast_files[name], name
    # protocol 3 writes position bytes as they are: smaller postings, no _codecs.encode calls
    assert len(fast_files["0.pst"]) < len(stock_files["0.pst"])
    assert b"_codecs" in stock_files["0.pst"] and b"_codecs" not in fast_files["0.pst"]
    content = _content(fast)
    assert content == _content(stock)
    # the corpus really exercises multi-block terms, positions and the fields that matter
    rows = content["postings"][("kind", b"doc")][0]
    assert len(rows) == 300 > 128
    assert any(len(r[0]) > 128 for key, r in content["postings"].items() if key[0] == "body_bg")
    assert content["postings"][("body_bg", "督导".encode())][0][0][2]  # positions present


def test_merges_and_deletions_give_the_same_index(tmp_path: Path, records: list[dict]) -> None:
    batches = [records[i : i + 50] for i in range(0, 300, 50)]
    deleted = [records[3]["id"], records[120]["id"], records[200]["id"]]
    stock = _write(tmp_path / "stock", SegmentWriter, batches, deleted, optimize=True)
    fast = _write(tmp_path / "fast", FastSegmentWriter, batches, deleted, optimize=True)
    assert len(fast._segments()) == 1  # everything was merged into the new segment
    assert _segment_files(fast, postings=False) == _segment_files(stock, postings=False)
    content = _content(fast)
    assert content == _content(stock)
    assert content["doc_count"] == 297


def test_stock_whoosh_searches_the_fast_segment(tmp_path: Path, records: list[dict]) -> None:
    stock = _write(tmp_path / "stock", SegmentWriter, [records])
    fast = _write(tmp_path / "fast", FastSegmentWriter, [records])
    with fast.reader() as reader:  # body words as the segmenter cut them, common to rare
        words = sorted(reader.lexicon("body"), key=lambda t: -reader.doc_frequency("body", t))
    queries = [Term("body", words[0].decode()), Term("body", words[-1].decode()),
               Term("body_bg", "数字"), Phrase("body_bg", ["督导", "导涉", "涉访"]),
               Term("issuer", "应急管理部")]
    for query in queries:
        with stock.searcher() as a, fast.searcher() as b:
            expected = [(h["id"], round(h.score, 6)) for h in a.search(query, limit=None)]
            assert expected, query
            assert [(h["id"], round(h.score, 6)) for h in b.search(query, limit=None)] == expected


def test_schemas_it_cannot_write_are_refused(tmp_path: Path) -> None:
    from whoosh.fields import TEXT, Schema

    ix = whoosh_index.create_in(str(tmp_path), Schema(text=TEXT(vector=True)))
    with pytest.raises(ValueError):
        FastSegmentWriter(ix)
    lock = ix.lock("WRITELOCK")
    assert lock.acquire()  # the refusal left the index unlocked
    lock.release()
