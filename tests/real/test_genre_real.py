"""Genre on real documents: state_council (labels.tsv), renda_pages, npc_resolutions."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.classify.api import classify_genre
from pipeline.classify.textdoc import document_from_text

GOLD_MAP = {"条例": "法规", "令": "命令", "答复": "建议答复"}
SENSIBLE = {
    "简报/信息/会议报道": {"简报"},
    "工作报告/要点/总结/调研报告": {"报告", "工作计划", "工作总结", "调研报告"},
    "代表建议答复": {"建议答复"},
    "讲话": {"讲话稿"},
    "会议纪要": {"纪要", "简报"},
    "决议决定": {"决议", "决定"},
    "任免名单": {"任免", "简报"},
    "审议意见": {"审议意见"},
}


def _state_council(corpus: Path) -> list[tuple[str, str]]:
    root = corpus / "state_council"
    with open(root / "labels.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [((root / r["file"]).read_text("utf-8"), GOLD_MAP.get(r["wenzhong"], r["wenzhong"])) for r in rows]


def test_state_council_with_titles(shared_corpus: Path) -> None:
    items = _state_council(shared_corpus)
    right = sum(classify_genre(document_from_text(text))[0] == gold for text, gold in items)
    assert right / len(items) >= 0.97


def test_state_council_without_title_and_number(shared_corpus: Path) -> None:
    items = _state_council(shared_corpus)
    docs = [(document_from_text(text, with_title=False), gold) for text, gold in items]
    assert all(doc.title is None and "国务院关于" not in doc.body.splitlines()[0] for doc, _ in docs)
    right = sum(classify_genre(doc)[0] == gold for doc, gold in docs)
    assert right / len(items) >= 0.80


def test_npc_resolutions(shared_corpus: Path) -> None:
    for path in sorted((shared_corpus / "npc_resolutions").glob("*.txt")):
        text = path.read_text("utf-8")
        assert classify_genre(document_from_text(text))[0] == "决议", path.name
        assert classify_genre(document_from_text(text, with_title=False))[0] == "决议", path.name


def test_renda_pages_labelled_sensibly(shared_corpus: Path) -> None:
    root = shared_corpus / "renda_pages"
    with open(root / "MANIFEST.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    right = sum(
        classify_genre(document_from_text((root / r["path"]).read_text("utf-8")))[0] in SENSIBLE[r["collected_genre"]]
        for r in rows
    )
    assert right / len(rows) >= 0.75


def test_renda_more_by_what_each_text_is(shared_corpus: Path) -> None:
    """Local 人大 web texts read by the real parser against their hand labels (meeting news that
    reports appointments is 简报; speeches, reports, minutes and replies by their structure)."""
    from pipeline.parse import parse_file

    root = shared_corpus / "renda_more"
    with open(root / "labels.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    right = sum(classify_genre(parse_file(root / row["path"]))[0] == row["genre"] for row in rows)
    assert right / len(rows) >= 0.9
