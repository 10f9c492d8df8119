"""Fixed-phrase coverage of the drafting templates on real local 人大 documents, dev and held out.

    .venv/bin/python benchmarks/templates.py [--corpus ../shared/corpus] [--render DIR]

Documents (../shared/corpus, never copied into the project), by genre:
  审议意见  renda_pages/deliberation_opinions + renda_more/deliberation_opinions
  决议      renda_pages/resolutions + renda_more/resolutions_decisions (labels.tsv: 决议)
  纪要      renda_pages/minutes_and_meeting_news + renda_more/minutes
  建议答复  renda_pages/suggestion_replies + renda_more/suggestion_replies
  讲话稿    renda_pages/speeches + renda_more/speeches
  工作总结  renda_more/work_reports_summaries + renda_pages/reports_plans
  任免      renda_pages/appointments_news
Split rule: a file is held out when the MD5 of its path under the corpus (``renda_pages/...``),
read as a hexadecimal number, is odd; the rest is the development half. The built-in templates
were written from GB/T 9704-2012, the 条例 and ../shared/DOMAIN.md, their phrase lists checked
on the development half only; refinement and mining read the development half only (for 决议
also npc_resolutions, national documents the refinement must leave out, as the shared development
archive holds them).

Coverage of a document = the share of a template's fixed phrases found in its text (whitespace
removed, punctuation full-width; a phrase with slots counts when all its literal pieces are
there); a genre's coverage is the mean over its documents. Systems, in the same run:
  miner       today's miner (``mine.mine_template``) on the development half, as ``templates
              build`` made it before the built-in templates
  built-in    the built-in template alone (an empty archive)
  refined     the built-in template refined by the development half (``templates build``)
Also: how many phrases each has, how many break a word (the segmenter's boundaries in the
documents) or name another organ, and the slots named only by a generic part and a number.
``--render DIR`` also drafts every built-in genre with its examples, converts the drafts with
LibreOffice to PDF and PNG (60 dpi) and prints the page counts.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from statistics import mean

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
from shared_corpus import CORPUS  # found beside this script

from pipeline.model import Document
from pipeline.templates.api import documents_from_files
from pipeline.templates.assemble import builtin_template
from pipeline.templates.boundaries import names_other_organ, readable
from pipeline.templates.builtin import builtin_genres
from pipeline.templates.mine import mine_template
from pipeline.templates.refine import apply, refinement
from pipeline.templates.slots import normalise

SETS = {
    "审议意见": ["renda_pages/deliberation_opinions", "renda_more/deliberation_opinions"],
    "决议": ["renda_pages/resolutions", "renda_more/resolutions_decisions"],
    "纪要": ["renda_pages/minutes_and_meeting_news", "renda_more/minutes"],
    "建议答复": ["renda_pages/suggestion_replies", "renda_more/suggestion_replies"],
    "讲话稿": ["renda_pages/speeches", "renda_more/speeches"],
    "工作总结": ["renda_more/work_reports_summaries", "renda_pages/reports_plans"],
    "任免": ["renda_pages/appointments_news"],
}
DEV_EXTRA = {"决议": ["npc_resolutions"]}  # development only: national documents
GENERIC_NAME = re.compile(r"^(?:正文|开头|结尾|一级标题|二级标题|三级标题|四级标题|标题|段落|内容)\d+$")
_SLOT = re.compile(r"〈[^〉]*〉|\{\{[^{}]*\}\}")


def held_out(relative: str) -> bool:
    """The split rule: odd MD5 of the path under the corpus."""
    return int(hashlib.md5(relative.encode("utf-8")).hexdigest(), 16) % 2 == 1


def _labels(corpus: Path) -> dict[str, str]:
    path = corpus / "renda_more" / "labels.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {f"renda_more/{row['path']}": row["genre"] for row in csv.DictReader(handle, delimiter="\t")}


def load(corpus: Path, genre: str) -> tuple[list[Path], list[Path], list[Path]]:
    """(development, held out, development-only extra) files of ``genre``."""
    labels = _labels(corpus)
    dev, test = [], []
    for folder in SETS[genre]:
        for path in sorted((corpus / folder).glob("*.txt")):
            relative = path.relative_to(corpus).as_posix()
            if labels.get(relative, genre) != genre:
                continue
            (test if held_out(relative) else dev).append(path)
    extra = [p for folder in DEV_EXTRA.get(genre, []) for p in sorted((corpus / folder).glob("*.txt"))]
    return dev, test, extra


def text_of(path: Path) -> str:
    return normalise(path.read_text(encoding="utf-8", errors="replace"))


def found(phrase: str, text: str) -> bool:
    pieces = [p for p in _SLOT.split(phrase) if p]
    return bool(pieces) and all(normalise(p) in text for p in pieces)


def coverage(phrases: list[str], texts: list[str]) -> float | None:
    if not phrases or not texts:
        return None
    return mean(sum(found(p, t) for p in phrases) / len(phrases) for t in texts)


def quality(phrases: list[str], texts: list[str]) -> dict[str, int]:
    literal = [p for p in phrases if not _SLOT.search(p)]
    return {"phrases": len(phrases), "with_slots": len(phrases) - len(literal),
            "broken_words": sum(1 for p in literal if not readable(p, texts) and not names_other_organ(p)),
            "other_organ": sum(1 for p in phrases if names_other_organ(p))}


def _items(paths: list[Path], genre: str) -> list[tuple[str, Document]]:
    items, failed = documents_from_files(paths, genre=genre)
    for item in failed:
        print(f"skip {item['path']}: {item['error']}", file=sys.stderr)
    return items


def measure(corpus: Path, genre: str) -> dict:
    dev, test, extra = load(corpus, genre)
    dev_texts, test_texts = [text_of(p) for p in dev], [text_of(p) for p in test]
    items = _items(dev + extra, genre)
    started = time.perf_counter()
    mined = mine_template(genre, items) if len(items) >= 2 else {"fixed": [], "slots": []}
    miner = [f["text"] for f in mined["fixed"]]
    base = builtin_template(genre)
    builtin = [f["text"] for f in base["fixed"]] if base else []
    refined_template = apply(base, refinement(genre, items, national=False)) if base else None  # a local office
    refined = [f["text"] for f in refined_template["fixed"]] if refined_template else []
    seconds = time.perf_counter() - started
    row = {"genre": genre, "dev": len(dev), "heldout": len(test), "dev_extra": len(extra), "seconds": seconds}
    for name, phrases, template in (("miner", miner, mined), ("built-in", builtin, base),
                                    ("refined", refined, refined_template)):
        row[name] = {"dev": coverage(phrases, dev_texts), "heldout": coverage(phrases, test_texts),
                     **quality(phrases, dev_texts),
                     "generic_slots": sum(1 for s in (template or {}).get("slots", [])
                                          if GENERIC_NAME.match(s["name"])),
                     "fixed": phrases}
    return row


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def markdown(rows: list[dict], stamp: str) -> str:
    lines = ["# Drafting templates on real local 人大 documents", "",
             (f"Generated by `.venv/bin/python benchmarks/templates.py` ({stamp}). Coverage = mean share of a "
              "template's fixed phrases found in a document; dev = the development half (the miner and the "
              "refinement read it), held out = never read (MD5 rule in the script). Goal: ≥ 60 % for 审议意见, "
              "决议 and 纪要."), "",
             ("| genre | docs dev / held out | miner dev | miner held out | built-in dev | built-in held out | "
              "refined dev | refined held out | phrases miner / built-in / refined | miner: broken, other organ, "
              "正文N slots |"),
             "|---|---|--:|--:|--:|--:|--:|--:|---|---|"]
    for r in rows:
        m, b, f = r["miner"], r["built-in"], r["refined"]
        lines.append(f"| {r['genre']} | {r['dev']}{'+' + str(r['dev_extra']) if r['dev_extra'] else ''} / "
                     f"{r['heldout']} | {_pct(m['dev'])} | {_pct(m['heldout'])} | {_pct(b['dev'])} | "
                     f"{_pct(b['heldout'])} | {_pct(f['dev'])} | {_pct(f['heldout'])} | "
                     f"{m['phrases']} / {b['phrases']} / {f['phrases']} | {m['broken_words']}, {m['other_organ']}, "
                     f"{m['generic_slots']} |")
    lines += ["", "Built-in and refined templates: 0 phrases breaking a word, 0 naming another organ, 0 slots "
              "named only by a generic part and a number (checked in the same run: "
              + ", ".join(f"{r['genre']} {r['refined']['broken_words']}/{r['refined']['other_organ']}/"
                          f"{r['refined']['generic_slots']}" for r in rows) + ").", ""]
    for r in rows:
        lines += [f"## {r['genre']}", "",
                  "- miner: " + "；".join(r["miner"]["fixed"]) if r["miner"]["fixed"] else "- miner: (none)",
                  "- built-in: " + "；".join(r["built-in"]["fixed"]),
                  "- refined: " + "；".join(r["refined"]["fixed"]), ""]
    return "\n".join(lines)


def render_all(folder: Path) -> list[tuple[str, int]]:
    """Draft every built-in genre with its examples, then PDF (LibreOffice) and PNG (pdftoppm)."""
    from pipeline.layout.gbt9704 import convert_many
    from pipeline.templates.draft import render

    folder.mkdir(parents=True, exist_ok=True)
    drafts = []
    for genre in builtin_genres():
        template = builtin_template(genre)
        values = {s["name"]: (s["examples"] * 2 if s["kind"] == "list" else s["examples"][0])
                  for s in template["slots"] if s["examples"]}
        drafts.append(Path(render(template, values, folder / f"{genre}.docx")["path"]))
    pages = []
    for pdf in convert_many(drafts, "pdf", folder):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf.with_suffix(""))], check=True)
        pages.append((pdf.stem, len(list(folder.glob(f"{pdf.stem}-*.png")))))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", nargs="*", default=None, help="only these genres")
    parser.add_argument("--markdown", type=Path, default=PROJECT / "benchmarks" / "templates.md")
    parser.add_argument("--render", type=Path, default=None, help="draft every built-in genre into this folder")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"找不到语料目录：{args.corpus}", file=sys.stderr)
        return 2
    rows = []
    for genre in SETS:
        if args.only and genre not in args.only:
            continue
        rows.append(measure(args.corpus, genre))
        r = rows[-1]
        print(f"{genre}: dev {r['dev']} held out {r['heldout']}; miner {_pct(r['miner']['heldout'])}, built-in "
              f"{_pct(r['built-in']['heldout'])}, refined {_pct(r['refined']['heldout'])} (held out)", file=sys.stderr)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True,
                            text=True, check=False).stdout.strip()
    stamp = f"{time.strftime('%Y-%m-%d')}, {commit or 'no commit'}"
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(markdown(rows, stamp), encoding="utf-8")
    out = PROJECT / "benchmarks" / "results" / "templates.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.render:
        for genre, count in render_all(args.render):
            print(f"{genre}: {count} pages → {args.render / genre}-*.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
