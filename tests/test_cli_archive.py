"""``gongwen ingest / search / show / edit`` through a real subprocess, as users run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_archive_support import catalog, gongwen, notice_lines, write_docx, write_txt


@pytest.fixture(scope="module")
def archive_home(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("cli")
    src = root / "src"
    write_txt(src / "fire.txt", notice_lines(1, topic="消防安全", number="某人常办〔2023〕1号"))
    write_docx(src / "flood.docx", notice_lines(2, topic="防汛抗旱"))
    write_txt(src / "secret.txt", ["机密★5年"] + notice_lines(3, topic="内部机要"))
    (src / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    home = root / "home"
    result = gongwen("ingest", str(src), "--json", home=home)
    return {"home": home, "src": src, "result": result}


def _doc_id(home: Path, name: str) -> str:
    with catalog(home) as conn:
        return conn.execute("SELECT doc_id FROM files WHERE path LIKE ?",
                            (f"%{name}",)).fetchone()[0]


def test_ingest_json_summary_and_exit_code(archive_home: dict) -> None:
    result = archive_home["result"]
    assert result.returncode == 1  # one file failed, the rest went in
    summary = json.loads(result.stdout)
    assert set(summary) == {"added", "updated", "unchanged", "duplicates", "failed",
                            "quarantined", "seconds"}
    assert summary["added"] == 2
    assert [Path(f["path"]).name for f in summary["failed"]] == ["broken.docx"]
    assert [Path(q["path"]).name for q in summary["quarantined"]] == ["secret.txt"]
    assert "入库" in result.stderr or result.stderr == ""  # progress goes to stderr only


def test_ingest_readable_output_on_rerun(archive_home: dict) -> None:
    result = gongwen("ingest", str(archive_home["src"] / "fire.txt"), "--no-progress",
                     home=archive_home["home"])
    assert result.returncode == 0
    assert "未变化 1 件" in result.stdout


def test_search_json_and_text(archive_home: dict) -> None:
    home = archive_home["home"]
    result = gongwen("search", "消防安全", "--json", "--limit", "5", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"total", "hits", "facets"} <= set(data)
    assert data["hits"][0]["id"] == _doc_id(home, "fire.txt")
    assert data["hits"][0]["doc_number"] == "某人常办〔2023〕1号"
    text = gongwen("search", "防汛抗旱", home=home)
    assert text.returncode == 0
    assert text.stdout.splitlines()[1].startswith("1. ")
    assert "防汛抗旱" in text.stdout
    secret = json.loads(gongwen("search", "内部机要", "--json", home=home).stdout)
    assert all(hit["id"] != _doc_id(home, "secret.txt") for hit in secret["hits"])
    partial = gongwen("search", "消防安全 彩虹独角兽", home=home)  # a word no document holds
    assert "含全部检索词的 0 条" in partial.stdout.splitlines()[0]
    assert "   缺少：彩虹独角兽" in partial.stdout.splitlines()


def test_search_batch_prints_json_lines_in_order(archive_home: dict, tmp_path: Path) -> None:
    home = archive_home["home"]
    queries = tmp_path / "queries.txt"
    queries.write_text("防汛抗旱\n\n消防安全\n某人常办[2023]1号\n", encoding="utf-8")
    result = gongwen("search", "--batch", str(queries), "--limit", "3", "--json", home=home)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["hits"][0]["id"] == _doc_id(home, "flood.docx")
    assert lines[1]["hits"][0]["id"] == _doc_id(home, "fire.txt")
    assert lines[2]["hits"][0]["id"] == _doc_id(home, "fire.txt")


def test_show_document_and_refuse_quarantined(archive_home: dict) -> None:
    home = archive_home["home"]
    doc_id = _doc_id(home, "fire.txt")
    data = json.loads(gongwen("show", doc_id, "--json", home=home).stdout)
    assert data["id"] == doc_id and data["doc_number"] == "某人常办〔2023〕1号"
    assert data["archive"]["hashes"]["sha256"].startswith(doc_id)
    assert len(data["archive"]["hashes"]["sm3"]) == 64
    assert data["archive"]["files"][0]["path"].endswith("fire.txt")
    text = gongwen("show", doc_id[:8], home=home)  # a unique prefix is enough
    assert text.returncode == 0 and "SM3：" in text.stdout and "文号：某人常办〔2023〕1号" in text.stdout
    refused = gongwen("show", _doc_id(home, "secret.txt"), "--json", home=home)
    assert refused.returncode == 1
    assert list(json.loads(refused.stdout)) == ["error"]  # the refusal only, nothing of the text
    assert "涉密" in refused.stdout and "内部机要" not in refused.stdout + refused.stderr
    assert "涉密" in refused.stderr and "机要" not in refused.stderr
    unknown = gongwen("show", "0000000000000000", home=home)
    assert unknown.returncode == 1 and "没有编号" in unknown.stderr


def test_edit_then_search_and_usage_errors(archive_home: dict) -> None:
    home = archive_home["home"]
    doc_id = _doc_id(home, "flood.docx")
    result = gongwen("edit", doc_id, "--set", "title=关于做好汛期地质灾害防治工作的通知",
                     "--set", "genre=通知", "--json", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "关于做好汛期地质灾害防治工作的通知"
    assert data["archive"]["corrections"]["genre"] == "通知"
    hits = json.loads(gongwen("search", "地质灾害防治", "--json", home=home).stdout)["hits"]
    assert hits[0]["id"] == doc_id
    bad_field = gongwen("edit", doc_id, "--set", "colour=red", home=home)
    assert bad_field.returncode == 2 and "不能修改" in bad_field.stderr
    assert gongwen("search", home=home).returncode == 2
    assert gongwen("search", "x", "--from", "2023-13-01", home=home).returncode == 2


def test_search_text_marks_a_cut_snippet_once() -> None:
    from pipeline.cli.archive_cmds import _search_text

    hit = {"id": "x", "title": "关于防汛抗旱的通知", "snippets": ["…做好【防汛抗旱】工作…"]}
    text = _search_text("防汛抗旱", {"total": 1, "hits": [hit]}, 0)
    assert "   …做好【防汛抗旱】工作…" in text.splitlines()
