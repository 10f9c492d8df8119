"""Chinese numerals in real text: every run the callers meet in the corpus reads as it always did.

``numerals_old_readings.tsv`` holds, for each numeral run that a caller's pattern finds in the
corpus (the year, month and day of Chinese-numeral dates; congress terms and meetings; counts in
statistics), what the old converter returned for it (``structure.dates.chinese_number`` for dates,
``text.normalize.cn_to_int`` for the others). Only numerals are recorded, no document text.
``to_int`` reads them alike, except the runs ``CHANGED`` lists (decided in tests/test_numerals.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.excerpts.stats import FACT_RE
from pipeline.layout.gbt9704 import format_date
from pipeline.structure.normalise import digits
from pipeline.text.dates import CHINESE_DATE, find_date
from pipeline.text.normalize import SESSION_RE, fold
from pipeline.text.numerals import to_int
from tests.real.test_yearbook_gold_facts import _chinese

TEXT_DIRS = ("laws", "npc_resolutions", "renda_pages", "renda_more", "work_reports", "speeches",
             "state_council", "statistical_bulletins")
RECORDED = Path(__file__).with_name("numerals_old_readings.tsv")
# Counts where cn_to_int read a digit-by-digit run by its last digit (一五六项 -> 6), a range as
# one value (一两件 -> 2, 两三次 -> 3) or two units as a sum (百千 -> 1100).
CHANGED = {("count", text): value for text, value in (
    ("一五六", 156), ("九八", 98), ("六五", 65), ("四二", 42), ("一一", 11),
    ("一两", None), ("两三", None), ("一九八二两", None), ("百千", None))}


def _lines(corpus: Path) -> Iterator[str]:
    for folder in TEXT_DIRS:
        for path in sorted((corpus / folder).rglob("*")):
            if path.suffix in (".txt", ".md"):
                yield from path.read_text(encoding="utf-8", errors="replace").splitlines()


def _recorded() -> dict[tuple[str, str], int | None]:
    rows = {}
    for line in RECORDED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        caller, text, value = line.split("\t")
        rows[(caller, text)] = int(value) if value else None
    return rows


def _runs(corpus: Path) -> set[tuple[str, str]]:
    """(caller, numeral run) for every run a caller's pattern finds in the corpus."""
    found: set[tuple[str, str]] = set()
    for line in _lines(corpus):
        line_digits = digits(line)
        for match in CHINESE_DATE.finditer(line_digits):
            found.update(("date", group) for group in match.groups()[:3])
        for match in SESSION_RE.finditer(fold(line)):
            found.update(("session", match.group(k)) for k in ("term", "term2", "meeting", "meeting2")
                         if match.group(k))
        for match in FACT_RE.finditer(line_digits):
            if not match["num"][0].isdigit():
                found.add(("count", match["num"]))
    return found


def _place_value(text: str) -> float | None:
    """一百零五 -> 105, 七千三百三十 -> 7330 (the gold test's reader); None without a place (三四)."""
    return _chinese(text) if re.search("[十百千]", text) else None


def test_every_numeral_run_reads_as_recorded(shared_corpus: Path) -> None:
    recorded = _recorded()
    runs = _runs(shared_corpus)
    assert len(runs) >= 700
    # The statistics pattern has grown (more units, 九千二百多万): the counts it finds beyond the
    # recorded runs read as a place-value sum (a run without 十/百/千, 三四个, is no count to it).
    for kind, text in sorted(runs - recorded.keys()):
        assert kind == "count", text
        assert _place_value(text) is None or to_int(text) == _place_value(text), text
    now = {key: to_int(key[1]) for key in recorded}
    changed = {key: value for key, value in now.items() if value != recorded[key]}
    assert changed == CHANGED


def test_chinese_dates_print_back_as_written(shared_corpus: Path) -> None:
    """Each Chinese-numeral date of the corpus, read to ISO and printed in the Chinese style, is
    the text it came from (with its zeros written 〇)."""
    seen = 0
    for line in _lines(shared_corpus):
        for match in CHINESE_DATE.finditer(digits(line)):
            written = re.sub(r"\s", "", match.group(0)).translate(str.maketrans("○零Ｏ0", "〇〇〇〇"))
            iso = find_date(match.group(0))
            if iso is None or not written.endswith("日"):
                continue
            seen += 1
            assert format_date(iso, "chinese") == written, (match.group(0), iso)
    assert seen >= 50
