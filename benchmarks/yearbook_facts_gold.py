"""Yearbook statistics against a gold of every countable fact of whole documents.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/yearbook_facts_gold.py [--corpus ../shared/corpus]
        [--misses dev|heldout]   # also list the missed gold facts and the unmatched predictions

Gold: benchmarks/yearbook_gold_facts.tsv (its header gives the conventions and the dev/heldout rule).
Each gold document is read as the yearbook tool reads an archived one (``pipeline.parse.parse_file``)
and its facts come from ``pipeline.excerpts.stats.document_facts``. A fact is placed on the line of
the file where its sentence stands (the line holding its number when the sentence spans lines).
Reported per split:
- recall / precision of (line, value, unit) matches; a change printed alone matches on
  (line, changed amount, percent or points); ``*_value_only``: the same, the unit left out;
- of the matched facts: metric (the gold metric inside the predicted one or the reverse), change
  (same direction and amount, or both none), parent, year, qualifier (both sides folded to 多 余 近 约 超);
  ``*_on_gold`` rates are over the matched facts whose gold has a change or a parent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from yearbook_quality import gold_change, read_tsv, same_change

from pipeline.excerpts.stats import document_facts
from pipeline.parse import parse_file

GOLD = PROJECT / "benchmarks" / "yearbook_gold_facts.tsv"
RANGE_LINE = re.compile(r"^#\s*range\t(?P<file>[^\t]+)\t(?P<lo>\d+)-(?P<hi>\d+)\s*$")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
QUALIFIERS = {"多": "多", "余": "余", "有余": "余", "近": "近", "接近": "近", "将近": "近",
              "约": "约", "大约": "约", "左右": "约", "超": "超", "超过": "超", "突破": "超",
              "以上": "超", "逾": "超"}
RATES = ("metric", "change", "parent", "year", "qualifier")


def fold(text: str) -> str:
    """Compare texts the way a reader would: full-width forms folded, spaces dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def default_corpus() -> Path:
    for candidate in (PROJECT.parent / "shared" / "corpus", Path("/work/shared/corpus")):
        if candidate.is_dir():
            return candidate
    return PROJECT.parent / "shared" / "corpus"


# --- gold --------------------------------------------------------------------------------------
def read_gold(path: Path) -> tuple[dict[str, list[dict[str, Any]]], dict[str, tuple[int, int]]]:
    """Gold rows grouped by file, and the line range of each document annotated only in part."""
    ranges = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = RANGE_LINE.match(line)
        if match:
            ranges[match["file"]] = (int(match["lo"]), int(match["hi"]))
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_tsv(path):
        by_file[row["file"]].append({**row, "line": int(row["line"]), "change": gold_change(row["change"])})
    return by_file, ranges


# --- placing a predicted fact on a line of its file --------------------------------------------
class LineIndex:
    """The file's lines folded and joined, with the line each character came from."""

    def __init__(self, lines: list[str]) -> None:
        self.starts: list[int] = []
        parts = []
        offset = 0
        for line in lines:
            folded = fold(line)
            self.starts.append(offset)
            parts.append(folded)
            offset += len(folded)
        self.text = "".join(parts)
        self.cursor = 0

    def line_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def place(self, sentence: str, value: Any) -> int | None:
        """1-based line of the fact: where its number stands inside its sentence."""
        span = self._find(fold(sentence))
        if span is None:
            return None
        start, end = span
        self.cursor = start
        if value is not None:
            # a number never runs on from one line into the next (table cells: 15767 / 18.64)
            for line in range(self.line_at(start), self.line_at(max(start, end - 1)) + 1):
                low = max(start, self.starts[line - 1])
                high = min(end, self.starts[line] if line < len(self.starts) else len(self.text))
                for match in NUMBER.finditer(self.text, low, high):
                    if _same_number(match.group(), value):
                        return line
        return self.line_at(start)

    def _find(self, sentence: str) -> tuple[int, int] | None:
        for probe in (sentence, sentence[:24], sentence[:12]):
            if not probe:
                continue
            at = self.text.find(probe, self.cursor)
            if at < 0:
                at = self.text.find(probe)
            if at >= 0:
                return at, at + len(sentence)
        return None


def _same_number(text: str, value: Any) -> bool:
    try:
        return float(text) == float(value)
    except (TypeError, ValueError):
        return False


# --- matching ----------------------------------------------------------------------------------
def fact_key(value: Any, unit: Any, change: dict[str, Any] | None) -> tuple:
    """(value, unit) for a level; (None, changed amount, kind) for a change printed alone."""
    if value not in (None, "-", ""):
        try:
            number: Any = float(value)
        except (TypeError, ValueError):
            number = str(value)
        return number, _unit(unit)
    if change:
        kind = "points" if change.get("points") is not None else "percent"
        amount = change.get(kind)
        return None, float(amount) if amount is not None else None, kind
    return None, None, None


def _unit(unit: Any) -> str:
    text = (unit or "").replace("％", "%").strip()
    return "" if text == "-" else text


def qualifier(text: Any) -> str:
    return QUALIFIERS.get((text or "").strip(), "-" if text in (None, "", "-") else str(text))


def related(gold: str, predicted: Any) -> bool:
    """A name holds the other (after folding); empty or '-' never matches a real name."""
    gold, predicted = fold(gold), fold(predicted or "")
    if gold in ("", "-") or predicted in ("", "-"):
        return gold in ("", "-") and predicted in ("", "-")
    return gold in predicted or predicted in gold


def judge(gold: dict[str, Any], fact: dict[str, Any]) -> dict[str, bool]:
    year = fact.get("year")
    return {"metric": related(gold["metric"], fact.get("metric")),
            "change": same_change(fact.get("change") or None, gold["change"]),
            "parent": related(gold["parent"], fact.get("parent")),
            "year": gold["year"] == ("-" if year is None else str(year)),
            "qualifier": qualifier(gold["qualifier"]) == qualifier(fact.get("qualifier"))}


def value_key(value: Any, unit: Any, change: dict[str, Any] | None) -> tuple:
    """``fact_key`` without the unit: how many misses are a unit read differently."""
    return fact_key(value, None, change)


def match_document(gold: list[dict[str, Any]], predicted: list[dict[str, Any]],
                   key=fact_key) -> tuple[list, list, list]:
    """Pair predictions with gold rows of the same line and key; prefer a pair whose metric agrees."""
    free: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in gold:
        free[(row["line"], *key(row["value"], row["unit"], row["change"]))].append(row)
    pairs, extra = [], []
    for fact in predicted:
        candidates = free.get((fact["line"], *key(fact["value"], fact["unit"], fact["change"])), [])
        if not candidates:
            extra.append(fact)
            continue
        row = next((r for r in candidates if related(r["metric"], fact.get("metric"))), candidates[0])
        candidates.remove(row)
        pairs.append((row, fact))
    matched = {id(row) for row, _ in pairs}
    return pairs, [row for row in gold if id(row) not in matched], extra


# --- one run -----------------------------------------------------------------------------------
def predicted_facts(path: Path, lines: range) -> list[dict[str, Any]]:
    """Today's facts of one document, each placed on a line; those outside ``lines`` are dropped."""
    index = LineIndex(path.read_text(encoding="utf-8").splitlines())
    facts = []
    for fact in document_facts(path.name, parse_file(path)):
        line = index.place(fact.get("sentence") or "", fact.get("value"))
        if line is None or line in lines:
            facts.append({**fact, "line": line})
    return facts


def score(corpus: Path, gold_path: Path, misses: str | None) -> dict[str, Any]:
    by_file, ranges = read_gold(gold_path)
    splits: dict[str, dict[str, Any]] = {}
    for file, gold in sorted(by_file.items()):
        split = gold[0]["split"]
        path = corpus / file
        total = len(path.read_text(encoding="utf-8").splitlines())
        low, high = ranges.get(file, (1, total))
        predicted = predicted_facts(path, range(low, high + 1))
        pairs, missed, extra = match_document(gold, predicted)
        counts = splits.setdefault(split, {"documents": {}, "tally": defaultdict(int)})
        counts["documents"][file] = {"gold": len(gold), "predicted": len(predicted), "matched": len(pairs)}
        _tally(counts["tally"], gold, predicted, pairs)
        counts["tally"]["matched_value_only"] += len(match_document(gold, predicted, value_key)[0])
        if misses == split:
            _print_misses(file, missed, extra, pairs)
    return {split: {**_rates(data["tally"]), "documents": data["documents"]}
            for split, data in sorted(splits.items())}


def _tally(tally: dict[str, int], gold: list, predicted: list, pairs: list) -> None:
    tally["gold"] += len(gold)
    tally["predicted"] += len(predicted)
    tally["unplaced"] += sum(1 for fact in predicted if fact["line"] is None)
    tally["matched"] += len(pairs)
    for row, fact in pairs:
        verdict = judge(row, fact)
        for name in RATES:
            tally[f"{name}_right"] += verdict[name]
        if row["change"]:
            tally["change_gold"] += 1
            tally["change_gold_right"] += verdict["change"]
        if row["parent"] != "-":
            tally["parent_gold"] += 1
            tally["parent_gold_right"] += verdict["parent"]


def _rates(tally: dict[str, int]) -> dict[str, Any]:
    def share(part: str, whole: str) -> float:
        return round(tally[part] / tally[whole], 3) if tally[whole] else 0.0

    rates = {"recall": share("matched", "gold"), "precision": share("matched", "predicted"),
             "recall_value_only": share("matched_value_only", "gold"),
             "precision_value_only": share("matched_value_only", "predicted")}
    rates.update({name: share(f"{name}_right", "matched") for name in RATES})
    rates["change_on_gold"] = share("change_gold_right", "change_gold")
    rates["parent_on_gold"] = share("parent_gold_right", "parent_gold")
    rates["counts"] = dict(tally)
    return rates


def _print_misses(file: str, missed: list, extra: list, pairs: list) -> None:
    print(f"== {file}", file=sys.stderr)
    for row in missed:
        print(f"  missed  {row['line']}\t{row['metric']}\t{row['value']}\t{row['unit']}\t"
              f"{row['change'] or '-'}", file=sys.stderr)
    for fact in extra:
        print(f"  extra   {fact['line']}\t{fact.get('metric')}\t{fact.get('value')}\t{fact.get('unit')}\t"
              f"{fact.get('change') or '-'}", file=sys.stderr)
    for row, fact in pairs:
        wrong = [name for name, right in judge(row, fact).items() if not right]
        if wrong:
            print(f"  wrong   {row['line']}\t{','.join(wrong)}\tgold {row['metric']} {row['change'] or '-'} "
                  f"{row['parent']} {row['year']} | ours {fact.get('metric')} {fact.get('change') or '-'} "
                  f"{fact.get('parent', '-')} {fact.get('year')}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--misses", choices=("dev", "heldout"))
    args = parser.parse_args()
    print(json.dumps(score(args.corpus, args.gold, args.misses), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
