"""The whole seeded-error set built from the shared corpus (benchmarks/check_seeded/make_set.py)."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "check_seeded"


def test_set_has_the_documents_and_kinds_it_promises(shared_corpus: Path, tmp_path: Path):
    out = tmp_path / "seeded"
    subprocess.run([sys.executable, str(BENCH / "make_set.py"), str(out), "--corpus",
                    str(shared_corpus)], check=True, capture_output=True, timeout=600)
    with (out / "manifest.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    correct = [r for r in rows if r["correct"] == "yes"]
    kinds = Counter(r["kind"] for r in rows if r["correct"] == "no")
    assert len(correct) >= 36
    assert len(kinds) >= 24 and min(kinds.values()) >= 3
    genres = {r["genre"] for r in correct}
    assert {"通知", "意见", "请示", "报告", "函", "批复", "决定", "审议意见", "纪要", "讲话稿"} <= genres
    assert sum(r["genre"] == "讲话稿" for r in correct) >= 2
    for r in rows:
        assert (out / r["file"]).is_file()
        if r["correct"] == "no":
            assert r["severity"] in ("错误", "提示") and (r["para"] or r["scope"] != "paragraph")
    # one kind never twice into the same document
    bases = Counter((r["kind"], r["base"]) for r in rows if r["correct"] == "no")
    assert max(bases.values()) == 1
