"""Run the goal benchmarks one after another and print a summary table.

    .venv/bin/python benchmarks/run_all.py [NAME ...] [--quick] [--list] [--corpus DIR]
    make bench

Each benchmark runs as its own subprocess (``python benchmarks/NAME.py ARGS``, this checkout first
on ``PYTHONPATH``); its standard output goes to ``benchmarks/results/NAME.out`` and its standard
error to ``benchmarks/results/NAME.log`` (the folder is git-ignored). NAMEs pick a subset, in the
order given. ``--quick`` is a smoke run (fewer queries, documents, folds and repeats): it shows
that every benchmark still runs, its numbers are not the goals' numbers. The table at the end
gives, per benchmark, its exit status, wall seconds and headline numbers: ours, then the
baseline measured in the same run. It is also written to ``benchmarks/results/summary.md``.
The real documents are read from ``../shared/corpus`` beside the checkout, or from ``--corpus``
(passed on as ``GONGWEN_CORPUS``, see shared_corpus.py).

The whole run takes about an hour on two cores (the 100 k latency index alone ~10 minutes,
search quality ~5, ingest speed ~3); timing benchmarks mean little while other jobs load the box.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results"


@dataclass(frozen=True)
class Benchmark:
    name: str
    full: tuple[str, ...]  # arguments of the goal's measurement
    quick: tuple[str, ...]  # arguments of the smoke run
    headline: Callable[[str], str]  # the numbers to show, read from the benchmark's stdout


def _json_tail(text: str) -> Any:
    """The JSON document a benchmark prints last (after any other lines)."""
    start = 0 if text.startswith("{") else text.rfind("\n{") + 1
    return json.loads(text[start:])


def _results_json(name: str) -> Any:
    return json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))


def _search(text: str) -> str:
    report = _json_tail(text)
    parts = []
    if "policy_qa" in report:
        qa = report["policy_qa"]
        ours = qa["ours"]
        line = f"policy_qa MRR@10 {ours['mrr@10']:.4f} R@10 {ours['recall@10']:.4f}"
        baselines = [f"{name} {qa[name]['mrr@10']:.3f}"
                     for name in ("char_bigrams", "whoosh_jieba", "whoosh_standard") if name in qa]
        parts.append(line + (f" ({', '.join(baselines)})" if baselines else ""))
    if "drafters" in report:
        for name in ("ours", "holdout", "unseen"):
            for bucket in ("all", "split=dev", "split=heldout"):
                kept = report["drafters"].get(name, {}).get(bucket)
                if kept is None or (name == "unseen") == (bucket == "all"):
                    continue
                label = name if bucket == "all" else f"{name} {bucket[6:]}"
                parts.append(f"drafters {label} MRR {kept['gongwen']['mrr@10']:.3f} "
                             f"top-1 {kept['gongwen']['top1']:.0%} (jieba AND "
                             f"{kept['naive_and']['mrr@10']:.3f}, OR {kept['naive_or']['mrr@10']:.3f})")
    return "; ".join(parts)


def _ingest(text: str) -> str:
    report = _json_tail(text)
    return (f"{report['speedup']:.2f}x: ours {report['ours_seconds']:.1f} s, naive "
            f"{report['naive_seconds']:.1f} s ({report['files']} files, CPU "
            f"{report['ours_cpu_seconds']:.0f} / {report['naive_cpu_seconds']:.0f} s)")


def _latency(text: str) -> str:
    report = _json_tail(text)
    parts = [f"{report['docs']} docs"]
    for label in ("numpy", "numpy_no_sidecars", "whoosh"):
        if label in report:
            first = report[label]["first_pass"]
            parts.append(f"{label} p50 / p95 {first['p50_ms']} / {first['p95_ms']} ms")
    return ", ".join(parts)


def _parse(text: str) -> str:
    rows = [line.split("|") for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| format")]
    return "files/s: " + "; ".join(f"{row[1].strip().split(' (')[0]} {row[9].strip()}"
                                   for row in rows)


def _genre(text: str) -> str:
    def after(setting: str) -> str:
        found = re.search(rf"\| {re.escape(setting)} \| [^|]* \| (\d+/\d+) \(([\d.]+%)\) \|", text)
        return found.group(2) if found else "?"

    return (f"body only: rules {after('state_council without titles, rules')} "
            f"(textcat alone {after('state_council without titles, textcat alone')}); "
            f"renda_more held out {after('renda_more (parser, hand labels), heldout')}; "
            f"renda_pages {after('renda_pages sensible (text), all')} sensible")


def _titles(text: str) -> str:
    row = r"^\| (renda_more|renda_pages) \| \d+ \| [^|]* \| (\d+) \|"
    rows = dict(re.findall(row, text, re.MULTILINE))
    queries = re.search(r"dev title queries \((\d+)\): target first (\d+)", text)
    return (f"no title: renda_more {rows.get('renda_more', '?')}, renda_pages "
            f"{rows.get('renda_pages', '?')}; dev title queries first "
            f"{queries.group(2) + '/' + queries.group(1) if queries else '?'}")


def _topic(_text: str) -> str:
    report = _results_json("topic_quality")
    by_start = {name.split(":")[0]: scores["macro_f1"] for name, scores in report.items()}
    tuned = by_start["baseline A'"]
    return (f"macro-F1 ours {by_start['ours']:.3f} (baseline A' {tuned:.3f}, "
            f"A {by_start['baseline A']:.3f}, paperless-ngx {by_start['baseline B']:.3f})")


def _templates(_text: str) -> str:
    rows = {row["genre"]: row for row in _results_json("templates")}

    def held(genre: str, system: str) -> str:
        value = rows.get(genre, {}).get(system, {}).get("heldout")
        return "—" if value is None else f"{value:.0%}"

    return "held-out coverage " + ", ".join(
        f"{g} {held(g, 'refined')} (miner {held(g, 'miner')})" for g in ("审议意见", "决议", "纪要") if g in rows)


def _yearbook(text: str) -> str:
    report = _json_tail(text)

    def pr(scores: dict) -> str:
        return f"{scores['precision']:.3f} / {scores['recall']:.3f}"

    stats = report["held_out_3"]["stats"]
    chronicle = report["held_out"]["chronicle"]
    return (f"stats metric P/R, untouched held-out set {pr(stats['ours']['metric'])} "
            f"(naive {pr(stats['naive']['metric'])}); chronicle held out "
            f"{pr(chronicle['ours'])} (naive {pr(chronicle['naive'])})")


# Cheapest first, so that a smoke run fails early on the quick ones.
BENCHMARKS = (
    Benchmark("parse_speed", (), ("--runs", "1", "--only", "txt"), _parse),
    Benchmark("genre_quality", (), ("--folds", "2"), _genre),
    Benchmark("title_coverage", (), ("--baseline", "none", "--show", "0"), _titles),
    Benchmark("topic_quality", (), ("--folds", "2"), _topic),
    Benchmark("templates", ("--markdown", "benchmarks/results/templates.md"),
              ("--markdown", "benchmarks/results/templates.md"), _templates),
    Benchmark("yearbook_quality", (), ("--repeat", "1"), _yearbook),
    Benchmark("search_quality", (), ("--limit-queries", "100", "--skip-drafters", "--skip-cli"),
              _search),
    Benchmark("ingest_speed", ("--repeat", "2"), ("--folders", "speeches"), _ingest),
    Benchmark("query_latency",
              ("--docs", "100000", "--batch", "10000", "--engines", "numpy,whoosh",
               "--baseline-queries", "100", "--sidecars", "off,on"),
              ("--docs", "1000", "--batch", "500", "--queries", "50", "--baseline-queries", "20"),
              _latency),
)
BY_NAME = {bench.name: bench for bench in BENCHMARKS}


@dataclass
class Outcome:
    name: str
    status: str
    seconds: float
    headline: str


def run(bench: Benchmark, quick: bool, corpus: Path | None) -> Outcome:
    """Run one benchmark as a subprocess, its output kept in benchmarks/results/."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out_path, log_path = RESULTS / f"{bench.name}.out", RESULTS / f"{bench.name}.log"
    command = [sys.executable, str(PROJECT / "benchmarks" / f"{bench.name}.py"),
               *(bench.quick if quick else bench.full)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(PROJECT), os.environ.get("PYTHONPATH", "")) if p)}
    if corpus:
        env["GONGWEN_CORPUS"] = str(corpus.resolve())
    print(f"== {bench.name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    with out_path.open("w", encoding="utf-8") as out, log_path.open("w", encoding="utf-8") as log:
        code = subprocess.run(command, cwd=PROJECT, env=env, stdout=out, stderr=log,
                              check=False).returncode
    seconds = time.perf_counter() - started
    if code != 0:
        return Outcome(bench.name, f"exit {code}", seconds, f"see {log_path.relative_to(PROJECT)}")
    try:
        headline = bench.headline(out_path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, IndexError, OSError, ZeroDivisionError) as error:
        headline = f"output not understood ({type(error).__name__}: {error}); see {out_path.name}"
    return Outcome(bench.name, "ok", seconds, headline)


def summary(outcomes: list[Outcome], quick: bool) -> str:
    kind = "Smoke run (--quick): not the goals' numbers" if quick else "Goal benchmarks"
    lines = [f"{kind}, {time.strftime('%Y-%m-%d %H:%M %Z')}, commit {_commit()}", "",
             "| benchmark | status | seconds | ours (baseline in the same run) |",
             "|---|---|--:|---|"]
    lines += [f"| {o.name} | {o.status} | {o.seconds:.0f} | {o.headline} |" for o in outcomes]
    return "\n".join(lines) + "\n"


def _commit() -> str:
    """HEAD's short hash, marked when the measured code differs from it."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT,
                          capture_output=True, text=True, check=False)
    changed = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "pipeline", "benchmarks"],
                             cwd=PROJECT, check=False).returncode != 0
    return (done.stdout.strip() or "unknown") + (" with uncommitted changes" if changed else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BY_NAME)}")
    parser.add_argument("--quick", action="store_true", help="a short smoke run of each")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their arguments")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="the shared corpus, when it is not ../shared/corpus")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BY_NAME]
    if unknown:
        print(f"未知的基准：{'、'.join(unknown)}（可选：{'、'.join(BY_NAME)}）", file=sys.stderr)
        return 2
    chosen = [BY_NAME[name] for name in args.names] or list(BENCHMARKS)
    if args.list:
        for bench in chosen:
            print(f"{bench.name}: {' '.join(bench.full) or '(no arguments)'}; "
                  f"--quick: {' '.join(bench.quick)}")
        return 0
    outcomes = [run(bench, args.quick, args.corpus) for bench in chosen]
    table = summary(outcomes, args.quick)
    (RESULTS / "summary.md").write_text(table, encoding="utf-8")
    print("\n" + table, end="")
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
