"""``gongwen check`` (JSON contract, exit codes, .doc through LibreOffice, PDF text rules,
classified files refused), ``--annotate`` (Word comments LibreOffice opens) and the web page."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.cli.main import main
from pipeline.layout import docx_to
from tests.check_docs import notice, request, write


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if "--json" in argv else out


def test_cli_json_and_exit_codes(tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, notice(), "good.docx")
    bad = write(tmp_path, request(signer=[]), "bad.docx")
    code, data = _run(capsys, "--home", str(home), "check", str(good), "--json")
    assert code == 0 and data["path"] == str(good) and data["findings"] == [] and data["genre"] == "通知"
    code, data = _run(capsys, "--home", str(home), "check", str(good), str(bad), "--json")
    assert code == 1 and [d["errors"] for d in data] == [0, 1]
    finding = data[1]["findings"][0]
    assert set(finding) == {"rule", "severity", "message", "location", "fix"}
    assert finding["severity"] == "错误" and finding["location"]["paragraph"] >= 1
    code, text = _run(capsys, "--home", str(home), "check", str(bad))
    assert code == 1 and "【错误】" in text and "签发人" in text
    code, data = _run(capsys, "--home", str(home), "check", "--json")
    assert code == 2 and "error" in data


def test_cli_lists_its_rules(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _run(capsys, "--home", str(home), "check", "--rules", "--json")
    ids = {r["id"] for r in data["rules"]}
    assert code == 0 and {"page_margins", "docnum_form", "heading_numbers", "qingshi_closing"} <= ids


def test_a_classified_or_broken_file_fails_with_its_reason(tmp_path: Path, home: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    secret = write(tmp_path, notice(secrecy=None, copy_number="000001", title="关于某事的通知"), "s.docx")
    import docx

    document = docx.Document(str(secret))
    document.paragraphs[0].insert_paragraph_before("机密★1年")
    document.save(str(secret))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    code, data = _run(capsys, "--home", str(home), "check", str(secret), str(broken), "--json")
    assert code == 1
    assert "密级" in data[0]["error"] and "findings" not in data[0]
    assert data[1]["error"]


@pytest.mark.slow
def test_doc_and_pdf(tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path, notice(paragraphs=["请于明天上午报送材料。"]), "n.docx")
    doc = docx_to(source, "doc", tmp_path / "doc")
    pdf = docx_to(source, "pdf", tmp_path / "pdf")
    code, data = _run(capsys, "--home", str(home), "check", str(doc), str(pdf), "--json")
    assert code == 1 and [d["format"] for d in data] == ["doc", "pdf"]
    for result in data:
        assert "relative_date" in {f["rule"] for f in result["findings"]}, result
    assert "page_margins" not in {f["rule"] for f in data[1]["findings"]}  # text rules only


@pytest.mark.slow
def test_annotate_writes_comments_libreoffice_opens(tmp_path: Path, home: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, request(signer=[], title="关于追加经费的请示。"), "bad.docx")
    out = tmp_path / "批注.docx"
    code, data = _run(capsys, "--home", str(home), "check", str(bad), "--annotate", str(out), "--json")
    assert code == 1 and data["annotated"] == str(out)
    with zipfile.ZipFile(out) as package:
        comments = package.read("word/comments.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    assert comments.count("<w:comment ") == len(data["findings"]) >= 2
    assert "签发人" in comments and "commentRangeStart" in body
    pdf = docx_to(out, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000 and pdf.read_bytes().startswith(b"%PDF")


def test_web_page_checks_an_upload(tmp_path: Path, home: Path) -> None:
    from pipeline.web import create_app
    from tests.web_helpers import web_client

    client = web_client(create_app(home))
    assert "公文校核" in client.get("/check").text
    bad = write(tmp_path, request(signer=[]), "请示.docx").read_bytes()
    page = client.post("/check", files={"file": ("请示.docx", bad)})
    assert page.status_code == 200 and "错误 1 处" in page.text and "签发人" in page.text
    token = re.search(r"/check/([0-9a-f]{16})/annotated", page.text).group(1)
    copy = client.get(f"/check/{token}/annotated")
    assert copy.status_code == 200 and copy.content.startswith(b"PK")
    api = client.post("/api/check", files={"file": ("请示.docx", bad)}).json()
    assert api["errors"] == 1 and api["findings"][0]["rule"] == "signer_missing"
    assert client.post("/check").status_code == 400
    assert client.get("/check/0123456789abcdef/annotated").status_code == 404
