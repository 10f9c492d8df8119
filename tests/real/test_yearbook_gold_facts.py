"""The whole-document statistics gold (benchmarks/yearbook_gold_facts.tsv) stays true to its files
and its own rules, and its scorer places and pairs facts as it says (the gold checks skip with a
reason when ../shared/corpus is absent)."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
import unicodedata
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
GOLD = PROJECT / "benchmarks" / "yearbook_gold_facts.tsv"
CHINESE_RUN = re.compile(r"[零〇一二两三四五六七八九十百千]+")
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
PLACES = {"十": 10, "百": 100, "千": 1000}


def _scorer():
    spec = importlib.util.spec_from_file_location("yearbook_facts_gold",
                                                  PROJECT / "benchmarks" / "yearbook_facts_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _chinese(run: str) -> float:
    """一百二十 -> 120, 十 -> 10, 千 -> 1000, 三 -> 3 (enough for counts below ten thousand)."""
    total, digit = 0, None
    for char in run:
        if char in PLACES:
            total += (1 if digit is None else digit) * PLACES[char]
            digit = None
        else:
            digit = DIGITS[char]
    return float(total + (digit or 0))


def _printed_numbers(line: str) -> set[float]:
    return ({float(n) for n in re.findall(r"\d+(?:\.\d+)?", line)}
            | {_chinese(run) for run in CHINESE_RUN.findall(line)})


def _rows() -> list[dict[str, str]]:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_split_follows_the_md5_rule_with_three_documents_a_side() -> None:
    documents: dict[str, set[str]] = {"dev": set(), "heldout": set()}
    for row in _rows():
        first = hashlib.md5(row["file"].encode("utf-8")).hexdigest()[0]
        assert row["split"] == ("heldout" if first in "89abcdef" else "dev"), row
        documents[row["split"]].add(row["file"])
    assert len(documents["dev"]) >= 3 and len(documents["heldout"]) >= 3, documents


def test_columns_are_well_formed() -> None:
    for row in _rows():
        assert row["metric"] and row["unit"], row
        assert re.fullmatch(r"-|\d+(\.\d+)?(-\d+(\.\d+)?)?", row["value"]), row
        assert re.fullmatch(r"-|(up|down):\d+(\.\d+)?(pt)?", row["change"]), row
        assert row["qualifier"] in {"-", "多", "余", "近", "约", "超"}, row
        assert re.fullmatch(r"\d{4}(-\d{4})?", row["year"]), row
        assert row["value"] != "-" or row["change"] != "-", row  # a fact has a level or a change


def test_every_row_points_at_a_number_printed_on_its_line(shared_corpus: Path) -> None:
    texts: dict[str, list[str]] = {}
    for row in _rows():
        lines = texts.setdefault(row["file"], (shared_corpus / row["file"]).read_text(encoding="utf-8")
                                 .splitlines())
        line = unicodedata.normalize("NFKC", lines[int(row["line"]) - 1])
        printed = _printed_numbers(line)
        if row["value"] != "-":
            value = float(row["value"].split("-")[0])
            # 超万亿元: a magnitude printed without a numeral counts one of it.
            assert value in printed or (value == 1 and f"超{row['unit']}" in line), row
        else:
            amount = float(re.sub(r"[^\d.]", "", row["change"].split(":")[1]))
            assert amount in printed or re.search("番|倍", line), row  # 翻番 is up:100


def test_a_sentence_over_two_lines_is_placed_on_the_line_of_its_number() -> None:
    index = _scorer().LineIndex(["全年粮食总产量", "308525吨，比上年增长1.1%。", "其他"])
    assert index.place("全年粮食总产量308525吨，比上年增长1.1%。", 308525) == 2
    assert index.place("没有这句话。", 1) is None


def test_pairs_need_line_value_and_unit_and_prefer_the_agreeing_metric() -> None:
    scorer = _scorer()
    gold = [{"line": 3, "metric": "省人大代表", "value": "2", "unit": "名", "change": None},
            {"line": 3, "metric": "市人大代表", "value": "9", "unit": "名", "change": None},
            {"line": 3, "metric": "规上工业增加值", "value": "-", "unit": "-",
             "change": {"direction": "up", "percent": 7.5}}]
    predicted = [{"line": 3, "metric": "市人大代表", "value": 9, "unit": "名", "change": None},
                 {"line": 3, "metric": "省人大代表", "value": 2, "unit": "人", "change": None},
                 {"line": 3, "metric": "工业", "value": None, "unit": None,
                  "change": {"direction": "down", "percent": 7.5}}]
    pairs, missed, extra = scorer.match_document(gold, predicted)
    assert [(row["metric"], fact["metric"]) for row, fact in pairs] == [("市人大代表", "市人大代表"),
                                                                       ("规上工业增加值", "工业")]
    assert [row["metric"] for row in missed] == ["省人大代表"] and extra == [predicted[1]]
    assert scorer.related("规上工业增加值", "工业") and not scorer.related("省人大代表", "")
    assert len(scorer.match_document(gold, predicted, scorer.value_key)[0]) == 3
