"""Acceptance: 60 State Council documents parsed as plain text WITHOUT their gov.cn metadata.

Gold: title / issuer / 文号 from ``labels.tsv``; 成文日期 = the first line of the text that is
nothing but a date (checked by eye for all 60: the 署名 date of the main document, or the
promulgation date of a 令); 主送 = the line ending in ``：`` right under the 文号 line (令 have
none). Each field must be right for at least 97 % of the documents.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.model import Block, RawDocument
from pipeline.structure import recognise
from pipeline.structure.normalise import split_organs
from pipeline.text.dates import find_date, is_date_line

FIELDS = ("title", "doc_number", "issuer", "date", "recipients")
THRESHOLD = 0.97


def _body_lines(path: Path) -> list[str]:
    """The file's text after its leading metadata block (everything up to the first blank line)."""
    text = path.read_text(encoding="utf-8")
    _, _, rest = text.partition("\n\n")
    return [line.strip() for line in rest.splitlines() if line.strip()]


def _gold(row: dict[str, str], lines: list[str]) -> dict[str, object]:
    date = next((find_date(line) for line in lines if is_date_line(line)), None)
    recipients: list[str] = []
    number_at = next((i for i, line in enumerate(lines) if line == row["doc_number"]), None)
    if number_at is not None:
        for line in lines[number_at + 1 : number_at + 3]:
            if line.endswith("："):
                recipients = split_organs(line)
                break
    return {
        "title": row["title"],
        "doc_number": row["doc_number"],
        "issuer": row["issuer"].split("、"),
        "date": date,
        "recipients": recipients,
    }


def _cases(corpus: Path) -> list[tuple[str, dict[str, object], dict[str, object]]]:
    folder = corpus / "state_council"
    with open(folder / "labels.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    cases = []
    for row in rows:
        lines = _body_lines(folder / row["file"])
        raw = RawDocument(
            path=row["file"], format="txt", blocks=[Block(text=line) for line in lines]
        )
        doc = recognise(raw)
        got = {field: getattr(doc, field) for field in FIELDS}
        cases.append((row["file"], _gold(row, lines), got))
    return cases


def test_state_council_fields(shared_corpus: Path) -> None:
    cases = _cases(shared_corpus)
    assert len(cases) == 60
    accuracy: dict[str, float] = {}
    misses: list[str] = []
    for field in FIELDS:
        right = 0
        for name, gold, got in cases:
            if gold[field] == got[field]:
                right += 1
            else:
                misses.append(f"{field:10} {name[:40]}: want {gold[field]!r} got {got[field]!r}")
        accuracy[field] = right / len(cases)
    print("\nfield       accuracy")
    for field, value in accuracy.items():
        print(f"{field:10}  {value:.3f}")
    print("\n".join(misses))
    for field, value in accuracy.items():
        assert value >= THRESHOLD, f"{field}: {value:.3f} < {THRESHOLD}"


def test_gold_dates_exist_for_every_document(shared_corpus: Path) -> None:
    """The gold derivation itself: every document has a date line and (but for 令) a 主送 line."""
    for name, gold, _ in _cases(shared_corpus):
        assert gold["date"], name
        if "国令" not in name:
            assert gold["recipients"], name
