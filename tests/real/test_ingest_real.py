"""Ingest real documents from ../shared/corpus (by path, never copied into the project)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.archive.catalog import get_document
from pipeline.home import Home
from pipeline.index.writer import indexed_ids
from tests.test_archive_support import catalog, current_ids


@pytest.mark.slow
def test_state_council_and_provincial_reports(shared_corpus: Path, home: Path,
                                              tmp_path: Path) -> None:
    """60 State Council documents, plus provincial reports that exist as .docx and .txt."""
    state_council = shared_corpus / "state_council"
    provincial = shared_corpus / "work_reports" / "provincial_2025"
    pairs = [(d, provincial / "txt" / f"{d.stem}.txt")
             for d in sorted((provincial / "docx").glob("*.docx"))[:2]]
    assert pairs and all(t.exists() for _d, t in pairs), "expected reports as .docx + .txt"
    notices = sorted(state_council.glob("*.txt"))  # not labels.tsv: it lists every 文号
    wanted = notices + [p for pair in pairs for p in pair]
    summary = Archive(home).ingest(wanted, workers=2, progress=False)
    documents = len(notices)
    assert summary["failed"] == []
    assert summary["quarantined"] == []
    assert summary["added"] + summary["updated"] == documents + len(pairs)
    assert summary["duplicates"] == len(pairs)  # each report's .txt and .docx: one document
    assert indexed_ids(home) == current_ids(home)

    with catalog(home) as conn:
        row = conn.execute("SELECT doc_id FROM files WHERE path LIKE ?",
                           ("%国发〔2019〕5号%",)).fetchone()
    doc = get_document(Home(home), row["doc_id"])
    assert doc["doc_number"] == "国发〔2019〕5号"
    assert "双随机" in (doc["title"] or "")
    hits = Archive(home).search("国发[2019]5号", limit=3)["hits"]
    assert hits and hits[0]["id"] == row["doc_id"]

    again = Archive(home).ingest(wanted, workers=2, progress=False)
    assert again["unchanged"] == documents + 2 * len(pairs)
    assert again["added"] == again["updated"] == again["duplicates"] == 0
