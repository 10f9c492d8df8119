"""The 归档文件目录: real ingest into a home, 档号 assignment, xlsx/csv/docx output, corrections."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.archive.export import COLUMNS, catalog_rows, write_catalog
from pipeline.cli.main import main
from pipeline.settings import load_config

TEMPLATE = """{title}
{number}
各委室、各街道人大工委：
{body}
{closing}
南山区人大常委会办公室
{date}
"""

DOCS = [
    ("关于召开第八次主任会议的通知", "南人常办〔2023〕5号", "定于3月1日召开第八次主任会议，请准时参加。", "特此通知。", "2023年2月1日"),
    ("关于2022年代表建议办理情况的报告", "南人常办〔2023〕6号", "现将代表建议办理情况报告如下：共办理建议120件。", "特此报告。", "2023年2月10日"),
    ("关于2023年区级预算的决定", "南人常发〔2023〕1号", "区人大常委会决定批准2023年区级预算。", "", "2023年1月10日"),
    ("第十七届人大常委会第3次主任会议纪要", "南人常纪〔2022〕3号", "会议议定事项如下：一、会议原则通过了工作要点。", "", "2022年12月5日"),
    ("关于申请代表培训经费的请示", "南人常办〔2022〕40号", "拟举办代表培训班，需经费5万元。", "妥否，请批示。", "2022年11月3日"),
]

SECRET = "机密★10年\n关于某专项工作的通知\n南人常办〔2023〕9号\n各委室：\n现将有关事项通知如下。\n南山区人大常委会办公室\n2023年3月1日\n"


def _write(folder: Path, items=DOCS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, (title, doc_number, body, closing, date) in enumerate(items):
        text = TEMPLATE.format(title=title, number=doc_number, body=body, closing=closing, date=date)
        (folder / f"{number:02d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
def archive(tmp_path: Path, home: Path) -> Archive:
    folder = tmp_path / "in"
    _write(folder)
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    arch = Archive(home)
    summary = arch.ingest([folder], workers=1, progress=False)
    assert summary["added"] == len(DOCS), summary
    assert len(summary["quarantined"]) == 1
    return arch


CODE = re.compile(r"^Z001-WS·(\d{4})-(Y|D30|D10)-([A-Z]+)-(\d{4})$")


def _check_codes(rows: list[dict]) -> None:
    codes = [row["档号"] for row in rows]
    assert len(set(codes)) == len(codes)
    classes = defaultdict(list)
    for code in codes:
        match = CODE.match(code)
        assert match, code
        classes[match.group(1, 2, 3)].append(int(match.group(4)))
    for numbers in classes.values():  # 件号 run 1..n inside each class
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert [row["序号"] for row in rows] == list(range(1, len(rows) + 1))


def test_rows_codes_and_no_classified(archive: Archive) -> None:
    rows = catalog_rows(archive.home)
    assert len(rows) == len(DOCS)
    _check_codes(rows)
    assert not any("专项工作" in row["题名"] for row in rows)
    by_number = {row["文号"]: row for row in rows}
    assert by_number["南人常办〔2023〕5号"]["日期"] == "20230201"
    assert by_number["南人常发〔2023〕1号"]["档号"].startswith("Z001-WS·2023-Y-")  # a 决定: 永久
    assert "-D10-" in by_number["南人常办〔2023〕5号"]["档号"]  # a meeting notice: 10 年
    assert by_number["南人常办〔2023〕5号"]["责任者"] == "南山区人大常委会办公室"


def test_codes_are_stable_when_documents_arrive(archive: Archive, tmp_path: Path) -> None:
    before = {row["id"]: row["档号"] for row in catalog_rows(archive.home)}
    assert {row["id"]: row["档号"] for row in catalog_rows(archive.home)} == before
    later = [("关于召开第九次主任会议的通知", "南人常办〔2023〕1号", "定于4月1日召开第九次主任会议。", "特此通知。", "2023年1月5日")]
    _write(tmp_path / "later", later)
    archive.ingest([tmp_path / "later"], workers=1, progress=False)
    rows = catalog_rows(archive.home)
    after = {row["id"]: row["档号"] for row in rows}
    assert len(after) == len(before) + 1
    assert all(after[doc_id] == code for doc_id, code in before.items())  # numbers never move
    _check_codes(rows)


def test_config_changes_fonds(archive: Archive) -> None:
    archive.home.config.write_text('{"fonds": "Z109", "organ_codes": {"办公室": "BGS"}}', "utf-8")
    assert load_config(archive.home)["category"] == "WS"
    codes = [row["档号"] for row in catalog_rows(archive.home)]
    assert all(code.startswith("Z109-WS·") and "-BGS-" in code for code in codes)


def test_csv_xlsx_docx(archive: Archive, tmp_path: Path) -> None:
    from docx import Document as WordDocument
    from openpyxl import load_workbook

    out_csv = write_catalog(archive.home, "csv", tmp_path / "cat.csv")
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    with open(out_csv, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert tuple(table[0]) == COLUMNS and len(table) == len(DOCS) + 1

    out_xlsx = write_catalog(archive.home, "xlsx", tmp_path / "cat.xlsx")
    sheet = load_workbook(out_xlsx).active
    values = list(sheet.values)
    assert values[0] == COLUMNS and len(values) == len(DOCS) + 1
    assert [row[1] for row in values[1:]] == [row[1] for row in table[1:]]

    out_docx = write_catalog(archive.home, "docx", tmp_path / "cat.docx")
    word = WordDocument(str(out_docx))
    section = word.sections[0]
    assert section.page_width > section.page_height  # landscape
    grid = word.tables[0]
    assert tuple(cell.text for cell in grid.rows[0].cells) == COLUMNS
    assert len(grid.rows) == len(DOCS) + 1

    with pytest.raises(ValueError, match="不支持"):
        write_catalog(archive.home, "pdf", tmp_path / "cat.pdf")


def test_corrections_survive_reingest(archive: Archive, tmp_path: Path) -> None:
    rows = catalog_rows(archive.home)
    target = next(row for row in rows if row["文号"] == "南人常办〔2023〕6号")
    archive.edit(target["id"], {"title": "关于2022年代表建议办理工作的报告（更正）", "genre": "报告"})
    again = archive.ingest([tmp_path / "in"], workers=1, progress=False)
    assert again["added"] == 0
    after = {row["id"]: row for row in catalog_rows(archive.home)}
    assert after[target["id"]]["题名"] == "关于2022年代表建议办理工作的报告（更正）"
    assert after[target["id"]]["档号"] == target["档号"]


def test_cli_catalog(archive: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "目录.xlsx"
    assert main(["catalog", "--home", str(archive.home.root), "--format", "xlsx", "-o", str(out), "--json"]) == 0
    assert '"path"' in capsys.readouterr().out and out.is_file()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_catalogue(archive: Archive, tmp_path: Path) -> None:
    # The Debian set installs LibreOffice Writer only, so the .docx is what it must open; the
    # .xlsx is checked by reopening it with openpyxl above.
    docx = write_catalog(archive.home, "docx", tmp_path / "cat.docx")
    out = tmp_path / "lo"
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "txt:Text (encoded):UTF8", "--outdir", str(out), str(docx)],
        check=True, timeout=120, capture_output=True,
    )
    lines = [line.strip() for line in (out / "cat.txt").read_text(encoding="utf-8-sig").splitlines()]
    assert lines[0] == "归档文件目录"
    assert tuple(lines[1 : 1 + len(COLUMNS)]) == COLUMNS  # one table cell per line, header first
    assert sum(line.startswith("Z001-WS·") for line in lines) == len(DOCS)


def test_concurrent_assignment_never_duplicates(tmp_path: Path) -> None:
    import sqlite3
    import threading

    from pipeline.archive.codes import ArchivalClass, assign
    from pipeline.settings import DEFAULT_CONFIG

    database = tmp_path / "catalog.sqlite"
    klass = ArchivalClass("2023", "D30", "BGS")
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        conn = sqlite3.connect(database, timeout=30)
        try:
            for start in range(0, 40, 4):
                entries = [(f"doc{n}", klass, (str(n),)) for n in range(start + offset, start + offset + 6)]
                assign(conn, entries, DEFAULT_CONFIG)
        except BaseException as error:  # noqa: BLE001 — surfaced below: a thread's failure must fail the test
            errors.append(error)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(offset,)) for offset in (0, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    conn = sqlite3.connect(database)
    items = [row[0] for row in conn.execute("SELECT item FROM archival_codes ORDER BY item")]
    assert items == list(range(1, len(items) + 1))
    assert len(items) == len({row[0] for row in conn.execute("SELECT doc_id FROM archival_codes")})
