"""Genre (文种) quality on real documents, rules alone and rules + the archive-trained textcat,
before and after in the same run.

    .venv/bin/python benchmarks/genre_quality.py [--corpus ../shared/corpus] [--folds 5] [--baseline REV]

1. state_council (labels.tsv ``wenzhong``; 条例 -> 法规, 令 -> 命令, 答复 -> 建议答复):
   a. with titles: the document as parsed (metadata block dropped, title and 文号 found in the text);
   b. without: the metadata block, the title lines and the 文号 line removed — the body only;
   c. without, rules blended with a spaCy textcat trained, fold by fold, the way an archive trains it:
      on the *other* folds' bodies labelled by their titles' rule (never the gold label), plus the
      NPC resolutions and 40 regulations from laws/ labelled the same way.
2. renda_more (local 人大 web texts, hand labels in labels.tsv: what each text *is*), read by the
   real parser; renda_pages (collected genre -> the contract labels it may sensibly get), read as
   text and by the real parser; npc_resolutions (决议), speeches (讲话稿), 60 sampled laws, the
   government and party congress work reports (报告).
   Development and held-out halves: a file is held out when the first hex digit of the MD5 of its
   path relative to its set (``meeting_news/001.txt``) is 8-f; genre rules were written reading
   the development half only.
The comparison in the same run: the textcat alone on the same folds (1c), and every number again
with the ``pipeline`` package of commit ``--baseline`` (default c2f678e, the rules before the
structural cues; ``--baseline none`` skips it). Prints markdown; writes
benchmarks/results/genre_quality.json.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline_code import code_dir, measure_with  # found beside this script

sys.path.insert(0, str(code_dir()))
from shared_corpus import CORPUS
from spacy.util import fix_random_seed

from pipeline.classify import textcat
from pipeline.classify.api import classify_genre
from pipeline.classify.genre import title_genre
from pipeline.classify.textdoc import document_from_text
from pipeline.parse import parse_file

BASELINE = "c2f678e"
GOLD_MAP = {"条例": "法规", "令": "命令", "答复": "建议答复"}
RENDA_OK = {
    "简报/信息/会议报道": {"简报"},
    "工作报告/要点/总结/调研报告": {"报告", "工作计划", "工作总结", "调研报告"},
    "代表建议答复": {"建议答复"},
    "讲话": {"讲话稿"},
    "会议纪要": {"纪要", "简报"},  # the folder mixes minutes and meeting news
    "决议决定": {"决议", "决定"},
    "任免名单": {"任免", "简报"},  # appointment lists and news of appointment sessions
    "审议意见": {"审议意见"},
}


def state_council(corpus: Path) -> list[tuple[str, str, str]]:
    root = corpus / "state_council"
    with open(root / "labels.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(r["file"], GOLD_MAP.get(r["wenzhong"], r["wenzhong"]), (root / r["file"]).read_text("utf-8"))
            for r in rows]


def extra_training(corpus: Path) -> list[tuple[str, str]]:
    """(body, title-rule label) from NPC resolutions and 40 administrative regulations."""
    items = []
    for path in sorted((corpus / "npc_resolutions").glob("*.txt")):
        doc = document_from_text(path.read_text("utf-8"), str(path))
        label = title_genre(doc.title or path.stem)
        if label:
            items.append((doc.body, label))
    for path in sorted((corpus / "laws" / "行政法规").glob("*.md"))[:40]:
        text = path.read_text("utf-8").split("<!-- INFO END -->")[-1].replace("#", "")
        label = title_genre(path.stem.split("(")[0])
        if label:
            items.append((text, label))
    return items


def half(relative: str) -> str:
    """``heldout`` when the first hex digit of the MD5 of the path (relative to its set) is 8-f."""
    return "heldout" if hashlib.md5(relative.encode("utf-8")).hexdigest()[0] in "89abcdef" else "dev"


def confusion(pairs: list[tuple[str, str]], title: str) -> str:
    golds = sorted({g for g, _ in pairs})
    preds = sorted({p for _, p in pairs})
    counts = Counter(pairs)
    lines = [f"**{title}** (rows: gold, columns: predicted)", "",
             "| gold \\ pred | " + " | ".join(preds) + " |", "|---|" + "---|" * len(preds)]
    for gold in golds:
        lines.append(f"| {gold} | " + " | ".join(str(counts[(gold, p)] or "") for p in preds) + " |")
    return "\n".join(lines)


def parsed_genre(path: Path) -> str:
    """The genre of a file as ``pipeline.parse.parse_file`` reads it; a reader failure is a miss."""
    try:
        return classify_genre(parse_file(path))[0]
    except Exception as error:  # noqa: BLE001 — a reader failure counts as a miss
        print(f"{path}: {error}", file=sys.stderr)
        return "（解析失败）"


def evaluate_state_council(corpus: Path, folds: int) -> dict:
    items = state_council(corpus)
    with_title = [(gold, classify_genre(document_from_text(text, name))[0]) for name, gold, text in items]
    parsed = [(gold, parsed_genre(corpus / "state_council" / name)) for name, gold, _ in items]
    bodies = [document_from_text(text, name, with_title=False) for name, _, text in items]
    rule_labels = [title_genre(document_from_text(text, name).title) for name, _, text in items]
    without = [(gold, classify_genre(doc)[0]) for (_, gold, _), doc in zip(items, bodies)]
    extra = extra_training(corpus)
    blended: list[tuple[str, str] | None] = [None] * len(items)
    model_only: list[tuple[str, str] | None] = [None] * len(items)
    started = time.perf_counter()
    for fold in range(folds):
        test = [i for i in range(len(items)) if i % folds == fold]
        train = [(bodies[i].body, rule_labels[i]) for i in range(len(items)) if i % folds != fold and rule_labels[i]]
        train += extra
        fix_random_seed(0)  # numpy and thinc too (as textcat.train seeds them): same data, same model
        nlp = textcat.train([t for t, _ in train], [l for _, l in train], epochs=10)
        for i in test:
            blended[i] = (items[i][1], classify_genre(bodies[i], nlp)[0])
            model_only[i] = (items[i][1], next(iter(textcat.predict(nlp, bodies[i].body))))
    return {"with_title": with_title, "with_title_parser": parsed, "without_title_rules": without,
            "without_title_blended": blended, "without_title_model": model_only,
            "textcat_seconds": time.perf_counter() - started}


def evaluate_renda(corpus: Path) -> dict:
    """renda_pages (collected genre; text and parser) and renda_more (hand labels; parser), each
    pair tagged with its half."""
    root = corpus / "renda_pages"
    with open(root / "MANIFEST.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    pages, pages_parsed = [], []
    for row in rows:
        doc = document_from_text((root / row["path"]).read_text("utf-8"), row["path"])
        pages.append((half(row["path"]), row["collected_genre"], classify_genre(doc)[0]))
        pages_parsed.append((half(row["path"]), row["collected_genre"], parsed_genre(root / row["path"])))
    more_root = corpus / "renda_more"
    with open(more_root / "labels.tsv", encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle, delimiter="\t"))
    more = [(half(row["path"]), row["genre"], parsed_genre(more_root / row["path"])) for row in labels]
    npc = []
    for path in sorted((corpus / "npc_resolutions").glob("*.txt")):
        text = path.read_text("utf-8")
        npc.append(("决议", classify_genre(document_from_text(text, path.name))[0]))
        npc.append(("决议", classify_genre(document_from_text(text, path.name, with_title=False))[0]))
    return {"pages": pages, "pages_parsed": pages_parsed, "more": more, "npc": npc}


def evaluate_other(corpus: Path) -> dict:
    """Speeches (讲话 -> 讲话稿) and 60 sampled laws (-> 法规, 决定 or 决议), read by the real parser."""
    speeches = [parsed_genre(p) for p in sorted((corpus / "speeches").glob("*_讲话.txt"))]
    laws = sorted((corpus / "laws").glob("*/*.md"))
    random.Random(1).shuffle(laws)
    law_genres = [parsed_genre(p) for p in laws[:60]]
    reports = [parsed_genre(p) for p in sorted((corpus / "work_reports").glob("*/*.txt"))]
    return {"speeches": [sum(g == "讲话稿" for g in speeches), len(speeches)],
            "laws": [sum(g in ("法规", "决定", "决议") for g in law_genres), len(law_genres)],
            "reports": [sum(g == "报告" for g in reports), len(reports)]}


def _count(pairs: list, right=lambda gold, pred: gold == pred) -> list[int]:
    return [sum(bool(right(gold, pred)) for gold, pred in pairs), len(pairs)]


def _halves(tagged: list[tuple[str, str, str]], right=lambda gold, pred: gold == pred) -> dict:
    found = {"all": _count([(g, p) for _, g, p in tagged], right)}
    for name in ("dev", "heldout"):
        found[name] = _count([(g, p) for h, g, p in tagged if h == name], right)
    return found


def numbers(sc: dict, renda: dict, other: dict) -> dict[str, list[int]]:
    """Every measured figure as [right, total], by a stable name."""
    sensible = lambda gold, pred: pred in RENDA_OK[gold]
    found = {
        "state_council with titles (textdoc)": _count(sc["with_title"]),
        "state_council with titles (parser)": _count(sc["with_title_parser"]),
        "state_council without titles, rules": _count(sc["without_title_rules"]),
        "state_council without titles, rules + textcat": _count(sc["without_title_blended"]),
        "state_council without titles, textcat alone": _count(sc["without_title_model"]),
    }
    for label, tagged, right in (("renda_more (parser, hand labels)", renda["more"], None),
                                 ("renda_pages sensible (text)", renda["pages"], sensible),
                                 ("renda_pages sensible (parser)", renda["pages_parsed"], sensible)):
        for name, value in _halves(tagged, right or (lambda gold, pred: gold == pred)).items():
            found[f"{label}, {name}"] = value
    found["npc_resolutions 决议 (with and without titles)"] = _count(renda["npc"])
    found["speeches 讲话稿 (parser)"] = other["speeches"]
    found["60 sampled laws 法规/决定/决议 (parser)"] = other["laws"]
    found["work_reports 报告 (government and party congress reports, parser)"] = other["reports"]
    return found


def _cell(value: list[int] | None) -> str:
    if not value:
        return "—"
    right, total = value
    return f"{right}/{total} ({right / total:.1%})" if total else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare with, or none")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)  # read by code_dir()
    parser.add_argument("--numbers", type=Path, help=argparse.SUPPRESS)  # write the numbers only
    args = parser.parse_args()
    sc = evaluate_state_council(args.corpus, args.folds)
    renda = evaluate_renda(args.corpus)
    other = evaluate_other(args.corpus)
    after = numbers(sc, renda, other)
    if args.numbers:
        args.numbers.write_text(json.dumps(after, ensure_ascii=False), encoding="utf-8")
        return
    before = {}
    if args.baseline != "none":
        before = measure_with(args.baseline, Path(__file__).resolve(),
                              ["--corpus", str(args.corpus), "--folds", str(args.folds)])
    out = ["## Genre quality (benchmarks/genre_quality.py)", "",
           f"| set | before ({args.baseline}) | after |", "|---|--:|--:|"]
    out += [f"| {name} | {_cell(before.get(name))} | {_cell(value)} |" for name, value in after.items()]
    more = [(g, p) for _, g, p in renda["more"]]
    out += ["", f"textcat training, {args.folds} models: {sc['textcat_seconds']:.1f} s", "",
            confusion(sc["without_title_rules"], "state_council without titles, rules only"), "",
            confusion([(g, p) for _, g, p in renda["pages_parsed"]],
                      "renda_pages, parser (rows: collected genre)"), "",
            confusion(more, "renda_more, parser (rows: hand label)")]
    print("\n".join(out))
    results = PROJECT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "genre_quality.json").write_text(json.dumps(
        {"baseline": args.baseline, "before": before, "after": after}, ensure_ascii=False, indent=1),
        encoding="utf-8")


if __name__ == "__main__":
    main()
