"""The postings sidecar (pipeline.index.sidecar) on real Whoosh indexes in tmp_path.

An index written through ``add_documents`` in several commits (segments of 150+ documents, so
frequent terms span several posting blocks), with replacements and deletions: every segment gets
a sidecar that holds exactly what Whoosh's blocks hold, the converter writes the same bytes, a
merge writes the merged segment's sidecar and Whoosh deletes the old ones, and the evaluator
answers as Whoosh does with sidecars, without them, with some missing and with broken ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as Q

from pipeline.index import engine, segment_postings, sidecar, term_postings
from pipeline.index import search as S
from pipeline.index.query import parse
from pipeline.index.segments import FastSegmentWriter
from pipeline.index.writer import add_documents, delete_documents, index_path, open_index
from pipeline.text.synonyms import table as synonym_table
from tests.test_engine import QUERIES, _assert_same, _documents

PHRASES = ["\"督导检查\"", "“监督导向”", "标题:\"防汛抗旱\"", "政府工作报告", "人民代表大会常务委员会 决定",
           "\"各单位要按时报送情况\""]


def _build(home: Path) -> Path:
    items = _documents(420, seed=9)
    for start, end in ((0, 200), (200, 330), (330, 400)):
        add_documents(home, items[start:end])
    add_documents(home, items[400:] + [items[3], items[210]])  # replacements: deletions
    delete_documents(home, ["d5", "d17", "d250"])
    return home


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("sidecar_home"))


def _leaves(home: Path) -> list:
    return [leaf for leaf, _ in S.searcher_for(home).reader().leaf_readers()]


def _sidecar_files(home: Path) -> set[str]:
    return {p.name for p in index_path(home).glob(f"*{sidecar.EXTENSION}")}


def _live_sidecar_names(home: Path) -> set[str]:
    return {sidecar.filename(leaf.segment()) for leaf in _leaves(home)}


def _same_as_whoosh(home: Path, texts: list[str], label: str,
                    fresh: engine.Engine | None = None) -> None:
    searcher = S.searcher_for(home)
    synonyms = synonym_table(home)
    fresh = fresh or engine.Engine(searcher, S.FACET_COLUMNS)  # nothing cached: terms read again
    for text in texts:
        query, _ = parse(text, synonyms)
        if query is Q.NullQuery:
            continue
        found = fresh.run(query, None, 1000, False)
        reference = S.whoosh_match(searcher, query, None, 1000, False)
        _assert_same((found.top, found.total, found.facets), reference, f"{label}: {text}")


def test_every_segment_has_a_sidecar_and_no_other_is_left(home: Path) -> None:
    leaves = _leaves(home)
    assert len(leaves) >= 2 and any(leaf.has_deletions() for leaf in leaves)
    assert all(sidecar.for_leaf(leaf) is not None for leaf in leaves)
    assert _sidecar_files(home) == _live_sidecar_names(home)
    assert not list(index_path(home).glob("*.tmp"))


def test_sidecar_holds_exactly_the_postings_of_whoosh_blocks(home: Path) -> None:
    multi_block = positioned = 0
    for leaf in _leaves(home):
        side = sidecar.for_leaf(leaf)
        terms = list(leaf.all_terms())
        assert terms
        for field, tbytes in terms:
            decode = sidecar._position_decoder(leaf.schema[field])
            ids, weights, values = segment_postings.read_segment_postings(
                leaf, field, tbytes, values=decode is not None)
            found = side.postings(field, tbytes)
            assert found is not None, (field, tbytes)
            assert np.array_equal(found[0], ids), (field, tbytes)
            assert np.array_equal(found[1], weights), (field, tbytes)
            assert side.has_positions(field) == (decode is not None), field
            if decode is not None:
                flat, counts = side.positions(field, tbytes)
                expected = [decode(v) for v in values]
                assert counts.tolist() == [len(e) for e in expected], (field, tbytes)
                assert flat.tolist() == [q for e in expected for q in e], (field, tbytes)
                positioned += 1
            multi_block += len(ids) > 128
        assert side.postings("body_bg", "不存在的词".encode()) is None
        assert side.postings("no_such_field", b"x") is None
    assert multi_block > 10  # long lists really span several blocks
    assert positioned > 1000


def test_converter_writes_the_writers_bytes(home: Path, tmp_path: Path) -> None:
    for leaf in _leaves(home):
        written = sidecar.convert(leaf, tmp_path)
        original = index_path(home) / sidecar.filename(leaf.segment())
        assert written.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("sidecars", [True, False])
def test_same_answers_as_whoosh_with_and_without_sidecars(home: Path, sidecars: bool,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_SIDECARS", "1" if sidecars else "0")
    fresh = engine.Engine(S.searcher_for(home), S.FACET_COLUMNS)
    assert all((s is not None) == sidecars for s in fresh.sidecars)
    _same_as_whoosh(home, QUERIES + PHRASES, f"sidecars={sidecars}")


@pytest.mark.parametrize("share", [0.0, 1e9])  # positions of whole terms / of single postings
@pytest.mark.parametrize("mapped", [True, False])  # positions from the sidecar / Whoosh's blocks
def test_phrases_after_a_sidecar_read(home: Path, share: float, mapped: bool,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(term_postings, "FULL_DECODE_SHARE", share)
    if not mapped:  # a sidecar without positions: the blocks are located when needed
        monkeypatch.setattr(sidecar.Sidecar, "has_positions", lambda self, field: False)
    fresh = engine.Engine(S.searcher_for(home), S.FACET_COLUMNS)
    postings = fresh.postings("body_bg", "工作")
    assert postings.pending and not postings.blocks  # nothing of Whoosh's read yet
    assert postings.mapped_positions() == mapped
    _same_as_whoosh(home, PHRASES, f"share={share} mapped={mapped}", fresh)
    phrase = Q.Phrase("body_bg", ["工作", "作报", "报告"])
    found = fresh.evaluate(phrase)
    ours = found.docs[fresh.live[found.docs]].tolist()
    theirs = sorted(hit.docnum for hit in fresh.searcher.search(phrase, limit=None))
    assert ours == theirs and len(ours) > 10
    assert bool(postings.blocks) != mapped


def _copy(home: Path, tmp_path: Path) -> Path:
    S.reset_cache()
    target = tmp_path / "home"
    shutil.copytree(home, target)
    return target


def test_missing_and_broken_sidecars_are_read_the_old_way(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    files = sorted(index_path(copy).glob(f"*{sidecar.EXTENSION}"))
    files[0].unlink()  # missing
    data = files[1].read_bytes()
    files[1].write_bytes(data[: len(data) // 2])  # truncated: a half-written file
    files[2].write_bytes(data[:-8] + b"XXXXXXXX")  # right size, end mark wrong
    fresh = engine.Engine(S.searcher_for(copy), S.FACET_COLUMNS)
    assert sum(s is None for s in fresh.sidecars) == 3
    assert any(s is not None for s in fresh.sidecars)  # a mix of both ways
    _same_as_whoosh(copy, QUERIES + PHRASES, "broken sidecars")
    S.reset_cache()


def test_a_sidecar_of_another_size_is_refused(home: Path, tmp_path: Path) -> None:
    leaf = _leaves(home)[0]
    path = sidecar.convert(leaf, tmp_path)
    assert sidecar.open_sidecar(path, leaf.doc_count_all()) is not None
    assert sidecar.open_sidecar(path, leaf.doc_count_all() + 1) is None
    assert sidecar.open_sidecar(tmp_path / "absent.pnp") is None


def test_merges_write_the_merged_sidecar_and_drop_the_old_ones(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    before = _sidecar_files(copy)
    ix = open_index(copy)
    writer = FastSegmentWriter(ix, compound=False)
    writer.commit(optimize=True)  # every segment merged into one
    S.reset_cache()
    assert len(_leaves(copy)) == 1
    after = _sidecar_files(copy)
    assert after == _live_sidecar_names(copy) and not after & before
    assert sidecar.for_leaf(_leaves(copy)[0]) is not None
    _same_as_whoosh(copy, QUERIES + PHRASES, "merged")
    delete_documents(copy, ["d1", "d2"])  # a deletion-only commit keeps the sidecar
    S.reset_cache()
    assert _sidecar_files(copy) == after
    _same_as_whoosh(copy, QUERIES, "merged, deleted")
    S.reset_cache()


def test_converting_an_index_written_without_sidecars(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    for path in index_path(copy).glob(f"*{sidecar.EXTENSION}"):
        path.unlink()
    assert all(sidecar.for_leaf(leaf) is None for leaf in _leaves(copy))
    written = sidecar.convert_index(index_path(copy))
    assert {p.name for p in written} == _live_sidecar_names(copy)
    for path in written:
        assert path.read_bytes() == (index_path(home) / path.name).read_bytes()
    S.reset_cache()
    assert sidecar.convert_index(index_path(copy)) == []  # nothing left to convert
