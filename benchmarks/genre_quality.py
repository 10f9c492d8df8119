"""Genre (文种) quality on real documents, rules alone and rules + the archive-trained textcat.

    .venv/bin/python benchmarks/genre_quality.py [--corpus ../shared/corpus] [--folds 5]

1. state_council (labels.tsv ``wenzhong``; 条例 -> 法规, 令 -> 命令, 答复 -> 建议答复):
   a. with titles: the document as parsed (metadata block dropped, title and 文号 found in the text);
   b. without: the metadata block, the title lines and the 文号 line removed — the body only;
   c. without, rules blended with a spaCy textcat trained, fold by fold, the way an archive trains it:
      on the *other* folds' bodies labelled by their titles' rule (never the gold label), plus the
      NPC resolutions and 40 regulations from laws/ labelled the same way.
2. renda_pages (collected genre -> the contract labels it may sensibly get) and npc_resolutions (决议).
The comparison in the same run is the textcat alone on the same folds (1c): what a model trained
on the archive's own labels gives without the rules. No numeric goal is set.
Prints markdown (accuracy and confusion tables); writes benchmarks/results/genre_quality.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
from shared_corpus import CORPUS  # found beside this script

from pipeline.classify import textcat
from pipeline.classify.api import classify_genre
from pipeline.classify.genre import title_genre
from pipeline.classify.textdoc import document_from_text

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


def accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def confusion(pairs: list[tuple[str, str]], title: str) -> str:
    golds = sorted({g for g, _ in pairs})
    preds = sorted({p for _, p in pairs})
    counts = Counter(pairs)
    lines = [f"**{title}** (rows: gold, columns: predicted)", "",
             "| gold \\ pred | " + " | ".join(preds) + " |", "|---|" + "---|" * len(preds)]
    for gold in golds:
        lines.append(f"| {gold} | " + " | ".join(str(counts[(gold, p)] or "") for p in preds) + " |")
    return "\n".join(lines)


def _parsed_with_real_parser(corpus: Path, items: list[tuple[str, str, str]]) -> list[tuple[str, str]] | None:
    """Genre of each file as ``pipeline.parse.parse_file`` reads it (None while it is unavailable)."""
    from pipeline.parse import parse_file

    pairs = []
    for name, gold, _ in items:
        try:
            pairs.append((gold, classify_genre(parse_file(corpus / "state_council" / name))[0]))
        except NotImplementedError:
            return None
        except Exception as error:  # noqa: BLE001 — a reader failure counts as a miss
            print(f"{name}: {error}", file=sys.stderr)
            pairs.append((gold, "（解析失败）"))
    return pairs


def evaluate_state_council(corpus: Path, folds: int) -> dict:
    items = state_council(corpus)
    with_title = [(gold, classify_genre(document_from_text(text, name))[0]) for name, gold, text in items]
    parsed = _parsed_with_real_parser(corpus, items)
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
        nlp = textcat.train([t for t, _ in train], [l for _, l in train], epochs=10)
        for i in test:
            blended[i] = (items[i][1], classify_genre(bodies[i], nlp)[0])
            model_only[i] = (items[i][1], next(iter(textcat.predict(nlp, bodies[i].body))))
    train_seconds = time.perf_counter() - started
    return {"with_title": with_title, "with_title_parser": parsed, "without_title_rules": without, "without_title_blended": blended,
            "without_title_model": model_only,
            "textcat_seconds": train_seconds, "n": len(items)}


def evaluate_renda(corpus: Path) -> dict:
    root = corpus / "renda_pages"
    with open(root / "MANIFEST.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    pairs = []
    for row in rows:
        doc = document_from_text((root / row["path"]).read_text("utf-8"), row["path"])
        pairs.append((row["collected_genre"], classify_genre(doc)[0]))
    sensible = sum(pred in RENDA_OK[gold] for gold, pred in pairs)
    npc = []
    for path in sorted((corpus / "npc_resolutions").glob("*.txt")):
        text = path.read_text("utf-8")
        npc.append(("决议", classify_genre(document_from_text(text, path.name))[0]))
        npc.append(("决议(无标题)", classify_genre(document_from_text(text, path.name, with_title=False))[0]))
    return {"renda": pairs, "renda_sensible": sensible, "npc": npc}


def evaluate_other(corpus: Path) -> dict:
    """Speeches (讲话 -> 讲话稿) and 60 sampled laws (-> 法规, 决定 or 决议), read by the real parser."""
    import random

    from pipeline.parse import parse_file

    def genre_of(path: Path) -> str:
        try:
            return classify_genre(parse_file(path))[0]
        except NotImplementedError:
            return classify_genre(document_from_text(path.read_text("utf-8"), str(path)))[0]
        except Exception:  # noqa: BLE001 — a reader failure counts as a miss
            return "（解析失败）"

    speeches = [genre_of(p) for p in sorted((corpus / "speeches").glob("*_讲话.txt"))]
    laws = sorted((corpus / "laws").glob("*/*.md"))
    random.Random(1).shuffle(laws)
    law_genres = [genre_of(p) for p in laws[:60]]
    return {"speeches": (sum(g == "讲话稿" for g in speeches), len(speeches)),
            "laws": (sum(g in ("法规", "决定", "决议") for g in law_genres), len(law_genres))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    sc = evaluate_state_council(args.corpus, args.folds)
    renda = evaluate_renda(args.corpus)
    other = evaluate_other(args.corpus)
    out = [
        "## Genre quality (benchmarks/genre_quality.py)", "",
        f"state_council, {sc['n']} documents:", "",
        "| setting | accuracy |", "|---|---|",
        f"| with titles (rules; title found by textdoc) | {accuracy(sc['with_title']):.1%} |",
        (f"| with titles (rules; file read by pipeline.parse.parse_file) | "
         f"{accuracy(sc['with_title_parser']):.1%} |") if sc["with_title_parser"] else "",
        f"| title and 文号 removed, rules only | {accuracy(sc['without_title_rules']):.1%} |",
        (f"| title and 文号 removed, rules + textcat ({args.folds}-fold, trained on title-rule labels) "
         f"| {accuracy(sc['without_title_blended']):.1%} |"),
        f"| title and 文号 removed, textcat alone (same folds) | {accuracy(sc['without_title_model']):.1%} |", "",
        f"textcat training, {args.folds} models: {sc['textcat_seconds']:.1f} s", "",
        confusion(sc["without_title_rules"], "state_council without titles, rules only"), "",
        (f"renda_pages: {renda['renda_sensible']}/{len(renda['renda'])} labelled sensibly "
         f"({renda['renda_sensible'] / len(renda['renda']):.0%}); npc_resolutions: "
         f"{sum(g.startswith(p) for g, p in renda['npc'])}/{len(renda['npc'])} 决议 (with and without titles)"), "",
        confusion(renda["renda"], "renda_pages (rows: collected genre)"), "",
        (f"Other real documents (real parser): speeches `*_讲话.txt` → 讲话稿 "
         f"{other['speeches'][0]}/{other['speeches'][1]}; 60 sampled laws/ files → 法规/决定/决议 "
         f"{other['laws'][0]}/{other['laws'][1]} (the others are court cases and a 检察院 意见, which are "
         "not regulations). The speech openings (`在……上的讲话`, `主席先生，各位同事：`, `刚才……发言`) "
         "were added after looking at 8 speech misses, so the speech figure is partly tuned."),
    ]
    print("\n".join(out))
    results = PROJECT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "genre_quality.json").write_text(json.dumps({
        "with_title": accuracy(sc["with_title"]),
        "without_title_rules": accuracy(sc["without_title_rules"]),
        "without_title_blended": accuracy(sc["without_title_blended"]),
        "renda_sensible": renda["renda_sensible"], "renda_total": len(renda["renda"]),
    }, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
