"""Titles: how many documents have none, how many get a composed one (自拟题名, ``title_derived``),
and whether the composed titles help title queries — before and after in the same run.

    .venv/bin/python benchmarks/title_coverage.py [--corpus ../shared/corpus] [--baseline REV] [--show 20]

Sets, each file read by ``pipeline.parse.parse_file``: renda_more and renda_pages (local 人大 web
texts, many without a title line) and the sample corpus (corpus/generated, bad inputs excluded).
Title queries: the ``title`` rows of benchmarks/drafter_queries_unseen.tsv marked ``dev`` (the
held-out rows are never read), searched in an archive of renda_more + renda_pages built in the run;
a query counts when its target is the first hit (and in the top 10). ``--baseline REV`` (default
c2f678e, before titles were composed) runs the same measurement with that commit's ``pipeline``;
``none`` skips it. ``--show N`` lists N composed titles (renda_more and renda_pages, in file order).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline_code import code_dir, measure_with  # found beside this script

sys.path.insert(0, str(code_dir()))
from shared_corpus import CORPUS

from pipeline import Archive
from pipeline.parse import parse_file

PROJECT = Path(__file__).resolve().parents[1]
BASELINE = "c2f678e"
QUERIES = PROJECT / "benchmarks" / "drafter_queries_unseen.tsv"


def files_of(corpus: Path) -> dict[str, list[Path]]:
    sample = PROJECT / "corpus" / "generated"
    return {
        "renda_more": sorted((corpus / "renda_more").glob("*/*.txt")),
        "renda_pages": sorted((corpus / "renda_pages").glob("*/*.txt")),
        "sample corpus": sorted(p for p in sample.rglob("*")
                                if p.is_file() and "bad" not in p.relative_to(sample).parts),
    }


def coverage(paths: list[Path]) -> dict:
    counts = {"documents": 0, "failed": 0, "no title": 0, "composed": 0}
    composed = []
    for path in paths:
        try:
            doc = parse_file(path)
        except Exception:  # noqa: BLE001 — a reader failure is counted, not measured
            counts["failed"] += 1
            continue
        counts["documents"] += 1
        counts["no title"] += not doc.title
        if getattr(doc, "title_derived", False):
            counts["composed"] += 1
            composed.append([path.parent.name + "/" + path.name, doc.title])
    return {"counts": counts, "composed": composed}


def dev_title_queries() -> list[tuple[str, list[str]]]:
    """(query, target paths) of the dev ``title`` rows; held-out rows are skipped unread."""
    rows = []
    with open(QUERIES, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(parts) != 4 or parts[3] != "dev" or parts[2] != "title":
                continue
            rows.append((parts[0], parts[1].split("|")))
    return rows


def title_queries(corpus: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="gongwen-titles-") as tmp:
        archive = Archive(tmp)
        archive.ingest([corpus / "renda_more", corpus / "renda_pages"], workers=2, progress=False)
        first = top10 = 0
        queries = dev_title_queries()
        for query, targets in queries:
            hits = archive.search(query, limit=10)["hits"]
            found = [i for i, hit in enumerate(hits)
                     if any(str(hit.get("path", "")).endswith(target) for target in targets)]
            first += bool(found) and found[0] == 0
            top10 += bool(found)
    return {"queries": len(queries), "first": first, "top10": top10}


def measure(corpus: Path) -> dict:
    sets = {name: coverage(paths) for name, paths in files_of(corpus).items()}
    return {"sets": sets, "queries": title_queries(corpus)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)  # read by code_dir()
    parser.add_argument("--numbers", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    after = measure(args.corpus)
    if args.numbers:
        args.numbers.write_text(json.dumps(after, ensure_ascii=False), encoding="utf-8")
        return
    before = (measure_with(args.baseline, Path(__file__).resolve(), ["--corpus", str(args.corpus)])
              if args.baseline != "none" else None)
    out = ["## Titles (benchmarks/title_coverage.py)", "",
           f"| set | documents | no title before ({args.baseline}) | no title after | composed after |",
           "|---|--:|--:|--:|--:|"]
    for name, found in after["sets"].items():
        was = before["sets"][name]["counts"]["no title"] if before else "—"
        counts = found["counts"]
        out.append(f"| {name} | {counts['documents']} | {was} | {counts['no title']} | {counts['composed']} |")
    q = after["queries"]
    was = before["queries"] if before else None
    out += ["", f"dev title queries ({q['queries']}): target first {q['first']}, in top 10 {q['top10']}"
            + (f" (before: first {was['first']}, top 10 {was['top10']})" if was else ""), ""]
    shown = [row for name in ("renda_more", "renda_pages") for row in after["sets"][name]["composed"]]
    out += [f"- {path}: ［{title}］" for path, title in shown[: args.show]]
    print("\n".join(out))
    results = PROJECT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "title_coverage.json").write_text(
        json.dumps({"baseline": args.baseline, "before": before, "after": after}, ensure_ascii=False,
                   indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
