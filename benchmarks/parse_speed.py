"""Parse speed per format over ../shared/corpus, against the raw library call as baseline.

For every format it times, on the same files and in the same run:
  baseline  the raw library call alone (open().read(), python-docx paragraph text, pdfplumber
            extract_text, RapidOCR on the image) — what any script would pay at least;
  read      ``pipeline.formats.read`` (sniffing, limits, blocks with style hints, OCR fallback);
  parse     ``pipeline.parse.parse_file`` (read + GB/T 9704 structure + genre), when importable.
Each is the median of N runs of the whole file set; the table reports files/s and MB/s for
``parse`` (``read`` when parse is unavailable) and the overhead as a ratio to the baseline.

    .venv/bin/python benchmarks/parse_speed.py [--runs 3] [--ocr-runs 1] [--only txt] [--no-write]

The markdown table goes to stdout and to benchmarks/results/parse_speed.md (benchmarks/README.md
quotes the current numbers by hand, with their date and commit).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from shared_corpus import CORPUS  # found beside this script
REPORT = ROOT / "benchmarks" / "results" / "parse_speed.md"
SECTION = "## Parse speed"
MB = 1024 * 1024


@dataclass
class FileSet:
    name: str
    files: list[Path]
    baseline: Callable[[Path], object] | None
    baseline_label: str
    ocr: bool = False  # OCR-bound: fewer runs, it is minutes per run on a shared machine


@dataclass
class Timing:
    baseline: float | None = None
    read: float | None = None
    parse: float | None = None
    failures: list[str] = field(default_factory=list)


def _read_text(path: Path) -> object:
    with open(path, "rb") as stream:
        return stream.read().decode("utf-8", "replace")


def _docx_text(path: Path) -> object:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _pdf_text(path: Path) -> object:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _ocr_raw(path: Path) -> object:
    """The OCR engine alone on each page image (PDF pages rendered at the reader's 200 dpi)."""
    import numpy as np

    from pipeline.formats.ocr import rapid_engine

    engine = rapid_engine()
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        images = [
            np.asarray(page.render(scale=200 / 72).to_pil().convert("RGB")) for page in document
        ]
        document.close()
    else:
        from PIL import Image

        images = [np.asarray(Image.open(path).convert("RGB"))]
    return [engine(image) for image in images]  # type: ignore[operator]


def file_sets(corpus: Path) -> list[FileSet]:
    fmt = corpus / "formats"

    def files(pattern: str, folder: Path) -> list[Path]:
        return sorted(p for p in folder.glob(pattern) if p.is_file())

    # GMT_0031 has a garbled text layer: all 11 pages go to OCR and hit the reader's time budget,
    # which would make its timing a measure of the budget; the scanned set covers OCR instead.
    text_pdfs = [p for p in files("*.pdf", fmt / "pdf") if "GMT_0031" not in p.name]
    return [
        FileSet("txt (state_council, work_reports)", files("*.txt", corpus / "state_council")
                + files("**/*.txt", corpus / "work_reports"), _read_text, "open().read()"),
        FileSet("md (laws)", files("**/*.md", corpus / "laws"), _read_text, "open().read()"),
        FileSet("docx (provincial_2025)", files("*.docx", corpus / "work_reports/provincial_2025/docx"),
                _docx_text, "python-docx paragraphs"),
        FileSet("pdf, text layer", text_pdfs + files("*.pdf", fmt / "format_parity_set"),
                _pdf_text, "pdfplumber extract_text"),
        FileSet("ofd", files("*.ofd", fmt / "ofd") + files("*.ofd", fmt / "format_parity_set"), None, "—"),
        FileSet("doc / wps (LibreOffice)", files("*.doc", fmt / "format_parity_set")
                + files("*.wps", fmt / "format_parity_set"), None, "—"),
        FileSet("png (OCR)", files("*.png", fmt / "format_parity_set"), _ocr_raw, "RapidOCR alone", ocr=True),
        FileSet("pdf, scanned (OCR)", files("*.pdf", fmt / "pdf_scanned_derived"), _ocr_raw,
                "RapidOCR alone", ocr=True),
    ]  # fmt: skip


def _parse_function() -> tuple[str, Callable[[Path], object] | None]:
    try:
        from pipeline.parse import parse_file

        return "parse_file", parse_file
    except Exception:  # noqa: BLE001 — structure not ready: time the readers only
        return "formats.read", None


def _time_pass(
    files: list[Path], call: Callable[[Path], object], failures: list[str] | None
) -> float:
    started = time.perf_counter()
    for path in files:
        try:
            call(path)
        except Exception as exc:  # noqa: BLE001 — a failing file is reported, and still costs its time
            message = f"{path.name}: {getattr(exc, 'reason', exc)}"
            if failures is not None and message not in failures:  # once, not once per run
                failures.append(message)
    return time.perf_counter() - started


def _median(
    files: list[Path],
    call: Callable[[Path], object] | None,
    runs: int,
    failures: list[str] | None = None,
) -> float | None:
    if call is None or not files:
        return None
    return statistics.median(_time_pass(files, call, failures) for _ in range(runs))


def measure(file_set: FileSet, runs: int, parse: Callable[[Path], object] | None) -> Timing:
    from pipeline import formats

    timing = Timing()
    # Warm-up, untimed: imports, the OCR engine, LibreOffice's first start.
    _time_pass(file_set.files[:1], parse or formats.read, None)
    timing.baseline = _median(file_set.files, file_set.baseline, runs)
    if file_set.ocr and parse is not None:
        # OCR is >99 % of the time: time the full parse only (read ≈ parse here), collecting failures.
        timing.parse = _median(file_set.files, parse, runs, timing.failures)
    else:
        timing.read = _median(file_set.files, formats.read, runs, timing.failures)
        timing.parse = _median(file_set.files, parse, runs)
    return timing


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(value: float | None, base: float | None) -> str:
    return "—" if value is None or not base else f"{value / base:.1f}×"


def table(rows: list[tuple[FileSet, Timing, int]], parse_label: str) -> str:
    head = (
        f"| format | files | MB | runs | baseline | baseline s | read s | {parse_label} s | files/s | MB/s "
        f"| read / baseline | {parse_label} / baseline | failed |\n"
        "|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    lines = []
    for file_set, timing, runs in rows:
        size = sum(p.stat().st_size for p in file_set.files) / MB
        main = timing.parse if timing.parse is not None else timing.read
        lines.append(
            f"| {file_set.name} | {len(file_set.files)} | {size:.1f} | {runs} | {file_set.baseline_label} "
            f"| {_fmt(timing.baseline)} | {_fmt(timing.read)} | {_fmt(timing.parse)} "
            f"| {_fmt(len(file_set.files) / main if main else None, 1)} | {_fmt(size / main if main else None)} "
            f"| {_ratio(timing.read, timing.baseline)} | {_ratio(timing.parse, timing.baseline)} "
            f"| {len(timing.failures)} |"
        )
    return head + "\n".join(lines) + "\n"


def write_report(body: str) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(body.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--ocr-runs", type=int, default=1, help="runs for OCR-bound sets")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--no-write", action="store_true", help="print only, write no report file")
    parser.add_argument("--only", default="", help="time only the sets whose name contains this")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    parse_label, parse = _parse_function()
    rows = []
    for file_set in file_sets(args.corpus):
        if not file_set.files or args.only not in file_set.name:
            continue
        runs = args.ocr_runs if file_set.ocr else args.runs
        print(
            f"timing {file_set.name} ({len(file_set.files)} files, {runs} runs)…", file=sys.stderr
        )
        rows.append((file_set, measure(file_set, runs, parse), runs))
    result = table(rows, parse_label)
    failures = [f"- {fs.name}: {f}" for fs, timing, _ in rows for f in timing.failures]
    command = (
        "`.venv/bin/python benchmarks/parse_speed.py"
        + (
            ""
            if (args.runs, args.ocr_runs) == (3, 1)
            else f" --runs {args.runs} --ocr-runs {args.ocr_runs}"
        )
        + "`"
    )
    body = (
        f"{SECTION}\n\n"
        f"Produced by {command} on {time.strftime('%Y-%m-%d')} ({platform.python_version()}, "
        f"{platform.machine()}, a 2-core machine shared with other jobs — compare ratios, not seconds).\n"
        "Seconds are the median over the runs of the whole file set. *baseline* is the raw library call\n"
        "alone; *read* is `pipeline.formats.read` (sniffing, limits, blocks with style hints, page-number\n"
        f"and header removal, OCR fallback); *{parse_label}* adds the GB/T 9704 structure and genre.\n"
        "files/s and MB/s are for the full parse. OCR sets run once (they take minutes) and time the full\n"
        "parse only (OCR is nearly all of it); the OCR reader stops at its time budget (75 % of\n"
        "`GONGWEN_READ_TIMEOUT`), the raw OCR baseline does not.\n\n"
        f"{result}"
        + (
            ("\nFiles that failed (with the reason users see):\n" + "\n".join(failures) + "\n")
            if failures
            else ""
        )
    )
    print(body)
    if not args.no_write:
        write_report(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
