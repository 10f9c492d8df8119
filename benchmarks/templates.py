"""Templates mined from real documents, and how well their fixed text holds on unseen documents.

    .venv/bin/python benchmarks/templates.py [--corpus ../shared/corpus] [--replies 400]

Template sets (all from ../shared/corpus, never copied into the project):
  决议      npc_resolutions (20) + renda_pages/resolutions (8)
  审议意见  renda_pages/deliberation_opinions
  纪要      renda_pages/minutes_and_meeting_news (minutes and meeting news mixed)
  讲话稿    renda_pages/speeches
  建议答复  renda_pages/suggestion_replies + state_council 答复 documents
  答复      replies/ (JSON Lines; the official replies to citizens' messages, first N)
  通知 意见 函 批复   state_council, by the 文种 in labels.tsv

Held-out check: every document is held out once (leave-one-out up to 30 documents, else 5
folds); a template is mined from the others and we measure the share of its fixed phrases found
in the held-out document (masked the same way, so slot values may differ). Baseline in the same
run: "copy one document" — the sentences of one training document (the first) used as the fixed
text; ablation: the same mining without slot masking. Goal: a held-out share of at least 60 %.
Writes the templates and the table to benchmarks/templates.md (``--markdown`` elsewhere: run_all.py
sends it to benchmarks/results/, so a benchmark run leaves the committed page alone) and the
numbers to benchmarks/results/templates.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from statistics import mean, median

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
from shared_corpus import CORPUS  # found beside this script

from pipeline.model import Document
from pipeline.templates import outline as outline_module
from pipeline.templates import skeleton as skeleton_module
from pipeline.templates.api import documents_from_files
from pipeline.templates.mine import DEFAULT_SHARE, mine_template
from pipeline.templates.outline import doc_units
from pipeline.templates.slots import Masked, normalise

LOO_MAX = 30
FOLDS = 5


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


def load_sets(corpus: Path, replies: int) -> dict[str, list[tuple[str, Document]]]:
    renda = corpus / "renda_pages"
    sets: dict[str, list[tuple[str, Document]]] = {}

    def add(genre: str, paths: list[Path]) -> None:
        items, failed = documents_from_files(paths, genre=genre)
        for item in failed:
            print(f"skip {item['path']}: {item['error']}", file=sys.stderr)
        sets.setdefault(genre, []).extend(items)

    add("决议", _files(corpus / "npc_resolutions") + _files(renda / "resolutions"))
    add("审议意见", _files(renda / "deliberation_opinions"))
    add("纪要", _files(renda / "minutes_and_meeting_news"))
    add("讲话稿", _files(renda / "speeches"))
    add("建议答复", _files(renda / "suggestion_replies"))
    labels = corpus / "state_council" / "labels.tsv"
    if labels.exists():
        by_genre: dict[str, list[Path]] = {}
        with labels.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                genre = {"答复": "建议答复"}.get(row["wenzhong"], row["wenzhong"])
                by_genre.setdefault(genre, []).append(corpus / "state_council" / row["file"])
        for genre in ("建议答复", "通知", "意见", "函", "批复"):
            add(genre, by_genre.get(genre, []))
    jsonl = corpus / "replies" / "messages_with_official_replies.jsonl"
    if jsonl.exists():
        items = []
        with jsonl.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                paragraphs = [p.strip() for p in str(record["reply"]).splitlines() if p.strip()]
                doc = Document(path=f"replies#{record['msg_id']}", format="jsonl", title=record["topic"],
                               genre="答复", paragraphs=paragraphs, body="\n".join(paragraphs))
                items.append((doc.path, doc))
                if len(items) >= replies:
                    break
        sets["答复"] = items
    return {g: v for g, v in sets.items() if len(v) >= 3}


def masked_text(doc: Document) -> str:
    return "\n".join(u.masked for u in doc_units(doc) if not u.kind.startswith("header:"))


def share_found(phrases: list[str], doc: Document) -> float | None:
    if not phrases:
        return None
    text = masked_text(doc)
    return sum(1 for p in phrases if p in text) / len(phrases)


def copy_baseline(train: list[tuple[str, Document]]) -> list[str]:
    """The sentences of one training document used as 'fixed text' (what copying gives)."""
    text = masked_text(train[0][1])
    sentences = [s.strip("，、；") for s in text.replace("\n", "。").split("。")]
    return [s for s in sentences if len(s) >= 4]


def held_out(genre: str, items: list[tuple[str, Document]], min_share: float) -> dict[str, float | int | None]:
    n = len(items)
    folds = [[i] for i in range(n)] if n <= LOO_MAX else [list(range(k, n, FOLDS)) for k in range(FOLDS)]
    mined, base, empty = [], [], 0
    for fold in folds:
        test = set(fold)
        train = [items[i] for i in range(n) if i not in test]
        if len(train) < 2:
            continue
        template = mine_template(genre, train, min_share=min_share)
        phrases = [f["masked"] for f in template["fixed"]]
        if not phrases:
            empty += 1
        baseline = copy_baseline(train)
        for i in fold:
            value = share_found(phrases, items[i][1])
            if value is not None:
                mined.append(value)
            value = share_found(baseline, items[i][1])
            if value is not None:
                base.append(value)
    return {"scheme": "leave-one-out" if n <= LOO_MAX else f"{FOLDS}-fold", "mined": mean(mined) if mined else None,
            "baseline_copy": mean(base) if base else None, "folds_without_fixed": empty}


@contextmanager
def no_masking():
    """Ablation: mine the raw wording, slot values left in place."""
    masking = (outline_module, skeleton_module)  # the modules that mask units and headings
    originals = [module.mask for module in masking]
    for module in masking:
        module.mask = lambda text: Masked(normalise(text), [])
    try:
        yield
    finally:
        for module, original in zip(masking, originals):
            module.mask = original


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def markdown(results: list[dict]) -> str:
    lines = ["# Templates mined from real documents (../shared/corpus)", "",
             ("Generated by `.venv/bin/python benchmarks/templates.py`. Fixed phrases show slots as 〈…〉; "
             "support = documents containing the phrase. Held-out share = average share of a template's fixed "
             "phrases found in real documents of the genre that were left out of mining (goal ≥ 60 %); "
             "without slot masking = the same mining on the raw wording (ablation); baseline = "
             "the sentences of one training document used as the template (copying)."), "",
             ("| genre | documents | fixed phrases | held-out share | without slot masking | "
             "baseline (copy one document) | scheme | mining s |"),
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    for r in results:
        h = r["held_out"]
        fmt = (lambda v: "—" if v is None else f"{v:.0%}")
        lines.append(f"| {r['genre']} | {r['documents']} | {len(r['template']['fixed'])} | {fmt(h['mined'])} | "
                     f"{fmt(h['unmasked'])} | {fmt(h['baseline_copy'])} | {h['scheme']} | {r['seconds']:.2f} |")
    scored = [r["held_out"]["mined"] for r in results if r["held_out"]["mined"] is not None]
    if scored:
        lines += ["", (f"Mean held-out share over templates: **{mean(scored):.0%}** "
                      f"(median {median(scored):.0%}).")]
    for r in results:
        t = r["template"]
        lines += ["", f"## {t['genre']} — {t['documents']} documents", "",
                  f"Layout: {t['layout']}; {t['outline_documents']} of {t['documents']} documents follow the whole outline; "
                  f"variants: " + "; ".join(f"{v['name']} ({v['documents']} docs: {'、'.join(v['outline'])})"
                                            for v in t["variants"]), "",
                  "**Outline**: " + " → ".join(f"{o['part']} ({o['documents']})" for o in t["outline"]), "",
                  "**Fixed text** (document order):", "", "| # | phrase | support | position |", "|---:|---|---:|---|"]
        lines += [f"| {i} | {_cell(f['text'])} | {f['support']} | {f['zone']} |" for i, f in enumerate(t["fixed"], 1)]
        lines += ["", "**Slots**:", "", "| slot | kind | examples |", "|---|---|---|"]
        for s in t["slots"]:
            if s["kind"] == "text" and not s["examples"]:
                continue
            examples = "；".join(_cell(e)[:40] for e in s["examples"][:3])
            lines.append(f"| {s['name']} | {s['kind']} | {examples} |")
        free = [s["name"] for s in t["slots"] if s["kind"] == "text" and not s["examples"]]
        if free:
            lines.append(f"| free text ×{len(free)} | text | {'、'.join(free[:6])}{'…' if len(free) > 6 else ''} |")
        lines += ["", "**Skeleton** (what `gongwen draft` fills):", "", "```"]
        lines += t["skeleton"] + (["", t["adoption_note"]] if t.get("adoption_note") else [])
        lines += ["```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--replies", type=int, default=400, help="how many official replies to mine")
    parser.add_argument("--min-share", type=float, default=DEFAULT_SHARE,
                        help="share of documents a fixed phrase needs (the templates' default)")
    parser.add_argument("--only", nargs="*", default=None, help="only these genres")
    parser.add_argument("--markdown", type=Path, default=PROJECT / "benchmarks" / "templates.md",
                        help="where the mined templates go as markdown")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"找不到语料目录：{args.corpus}", file=sys.stderr)
        return 2
    sets = load_sets(args.corpus, args.replies)
    results = []
    for genre, items in sets.items():
        if args.only and genre not in args.only:
            continue
        start = time.perf_counter()
        template = mine_template(genre, items, min_share=args.min_share)
        seconds = time.perf_counter() - start
        scores = held_out(genre, items, args.min_share)
        with no_masking():
            scores["unmasked"] = held_out(genre, items, args.min_share)["mined"]
        results.append({"genre": genre, "documents": len(items), "seconds": seconds, "template": template,
                        "held_out": scores})
        h = results[-1]["held_out"]
        print(f"{genre}: {len(items)} docs, {len(template['fixed'])} fixed, held-out {h['mined']}, "
              f"unmasked {h['unmasked']}, baseline {h['baseline_copy']}, {seconds:.2f}s", file=sys.stderr)
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(markdown(results), encoding="utf-8")
    out = PROJECT / "benchmarks" / "results" / "templates.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = [{"genre": r["genre"], "documents": r["documents"], "fixed": len(r["template"]["fixed"]),
                "seconds": round(r["seconds"], 3), **r["held_out"]} for r in results]
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
