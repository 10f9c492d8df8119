"""Fixed-phrase coverage of the drafting templates on real local 人大 documents, dev and held out.

    .venv/bin/python benchmarks/templates.py [--corpus ../shared/corpus] [--render DIR]

Documents: ``template_sets`` (beside this script) labels every local document of renda_pages,
renda_more and laws/DLC_* by fixed rules and splits each genre by the MD5 of the path; national
resolutions (npc_resolutions) and the government's replies to citizens (replies/, 留言答复, measured
with the 建议答复 template) are reported apart, never in a local set. Only the development half is
read to choose or refine phrases; the held-out half is never read.

Coverage of a document = the share of a template's fixed phrases found in its text (whitespace
removed, punctuation full-width; a phrase with slots counts when all its literal pieces are there);
a genre's coverage is the mean over its documents. A phrase is found either as written (exact) or
in any of its general forms (``phrase_forms.pattern``: conjunctions, particles, level characters,
numerals, equivalent terms). Systems, in the same run:
  miner       today's miner (``mine.mine_template``) on the development half, as ``templates
              build`` made it before the built-in templates (forms)
  earlier     the built-in phrase lists of 8ab6f45, before phrases were chosen by dev-half support
              (exact and forms)
  built-in    the built-in template alone (an empty archive): its phrases are the ones
              ``phrase_forms.choose_for`` keeps on the development half (exact and forms)
  refined     the built-in template refined by the development half (``templates build``; for 决议
              the development half also holds npc_resolutions, national documents the refinement
              must leave out, as the shared development archive holds them)
Also: how many phrases each has, how many break a word (the segmenter's boundaries in the
documents) or name another organ, and the slots named only by a generic part and a number.
``--render DIR`` also drafts every built-in genre with its examples, converts the drafts with
LibreOffice to PDF and PNG (60 dpi) and prints the page counts.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from statistics import mean

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_corpus import CORPUS  # found beside this script
from template_sets import Entry, local_sets, message_replies, national_resolutions, split

from pipeline.model import Document
from pipeline.templates.api import documents_from_files
from pipeline.templates.assemble import builtin_template
from pipeline.templates.boundaries import names_other_organ, readable
from pipeline.templates.builtin import builtin_genres
from pipeline.templates.mine import mine_template
from pipeline.templates.phrase_forms import present
from pipeline.templates.refine import apply, refinement
from pipeline.templates.slots import normalise

LOCAL = ("审议意见", "决议", "决定", "纪要", "建议答复", "讲话稿", "工作总结", "任免")
APART = {"决议（全国）": "决议", "留言答复": "建议答复"}  # row -> the template measured
EARLIER = {  # the built-in phrase lists of 8ab6f45
    "审议意见": ["审议意见", "听取和审议了", "存在的问题", "研究处理情况"],
    "决议": ["会议充分肯定", "决定批准这个报告", "会议要求", "习近平新时代中国特色社会主义思想"],
    "决定": ["有关规定"], "纪要": ["主任会议", "会议听取"], "建议答复": ["您提出的", "现答复如下", "关心和支持"],
    "讲话稿": ["各位代表"], "工作总结": ["坚强领导下", "主要工作", "存在的问题", "工作打算"], "任免": ["决定任命", "决定免去"],
}
GENERIC_NAME = re.compile(r"^(?:正文|开头|结尾|一级标题|二级标题|三级标题|四级标题|标题|段落|内容)\d+$")
_SLOT = re.compile(r"〈[^〉]*〉|\{\{[^{}]*\}\}")
Phrase = tuple[str, ...]  # written forms of one fixed phrase, the drafted one first


def forms_of(fixed: list[dict]) -> list[Phrase]:
    """A template's fixed phrases as their accepted forms."""
    return [(f["text"],) for f in fixed]  # the drafted text; its other forms come from phrase_forms


def load(corpus: Path, genre: str) -> tuple[list[Entry], list[Entry], list[Path]]:
    """(development, held out, development-only extra files) of ``genre`` (a local genre or a row
    of ``APART``)."""
    if genre == "决议（全国）":
        dev, test = split(national_resolutions(corpus))
        return dev, test, []
    if genre == "留言答复":
        dev, test = split(message_replies(corpus))
        return dev, test, []
    dev, test = split(local_sets(corpus).get(genre, []))
    extra = [e.path for e in national_resolutions(corpus)] if genre == "决议" else []
    return dev, test, extra


def found(phrase: str, text: str, general: bool = True) -> bool:
    """``phrase`` (its literal pieces around slots) in ``text``: in any general form, or as written."""
    pieces = [p for p in _SLOT.split(phrase) if p]
    return bool(pieces) and all(present(p, text) if general else normalise(p) in text for p in pieces)


def coverage(phrases: list[Phrase], texts: list[str], general: bool = True) -> float | None:
    if not phrases or not texts:
        return None
    return mean(sum(any(found(f, t, general) for f in forms) for forms in phrases) / len(phrases) for t in texts)


def quality(phrases: list[Phrase], texts: list[str]) -> dict[str, int]:
    drafted = [forms[0] for forms in phrases]
    literal = [p for p in drafted if not _SLOT.search(p)]
    return {"phrases": len(phrases), "with_slots": len(drafted) - len(literal),
            "broken_words": sum(1 for p in literal if not readable(p, texts) and not names_other_organ(p)),
            "other_organ": sum(1 for p in drafted if names_other_organ(p))}


def _items(paths: list[Path], genre: str) -> list[tuple[str, Document]]:
    items, failed = documents_from_files(paths, genre=genre)
    for item in failed:
        print(f"skip {item['path']}: {item['error']}", file=sys.stderr)
    return items


def _system(phrases: list[Phrase], template: dict | None, dev: list[str], test: list[str]) -> dict:
    return {"dev": coverage(phrases, dev), "heldout": coverage(phrases, test),
            "dev_exact": coverage(phrases, dev, False), "heldout_exact": coverage(phrases, test, False),
            **quality(phrases, dev),
            "generic_slots": sum(1 for s in (template or {}).get("slots", []) if GENERIC_NAME.match(s["name"])),
            "fixed": ["／".join(forms) for forms in phrases]}


def measure(corpus: Path, genre: str) -> dict:
    dev, test, extra = load(corpus, genre)
    dev_texts, test_texts = [e.text for e in dev], [e.text for e in test]
    template_genre = APART.get(genre, genre)
    base = builtin_template(template_genre)
    started = time.perf_counter()
    systems = {"earlier": ([(p,) for p in EARLIER.get(template_genre, [])], None),
               "built-in": (forms_of(base["fixed"]) if base else [], base)}
    if genre not in APART:  # the miner and the refinement read the local development files
        items = _items([e.path for e in dev if e.path] + extra, genre)
        mined = mine_template(genre, items) if len(items) >= 2 else {"fixed": [], "slots": []}
        refined = apply(base, refinement(genre, items, national=False)) if base else None  # a local office
        systems["miner"] = ([(f["text"],) for f in mined["fixed"]], mined)
        systems["refined"] = (forms_of(refined["fixed"]) if refined else [], refined)
    row = {"genre": genre, "template": template_genre, "dev": len(dev), "heldout": len(test),
           "dev_extra": len(extra), "seconds": time.perf_counter() - started}
    for name, (phrases, template) in systems.items():
        row[name] = _system(phrases, template, dev_texts, test_texts)
    return row


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _pair(row: dict, system: str, exact: bool = False) -> str:
    found = row.get(system)
    if not found:
        return "—"
    key = "_exact" if exact else ""
    return f"{_pct(found['dev' + key])} / {_pct(found['heldout' + key])}"


def _count(row: dict, system: str) -> str:
    return str(row[system]["phrases"]) if system in row else "—"


def markdown(rows: list[dict], stamp: str) -> str:
    lines = ["# Drafting templates on real local 人大 documents", "",
             (f"Generated by `.venv/bin/python benchmarks/templates.py` ({stamp}). Coverage = mean share of a "
              "template's fixed phrases found in a document, each cell dev / held out; exact = as written, "
              "forms = in any general form (phrase_forms.pattern); dev = the development half (phrase choice, "
              "the miner and the refinement read it), held out = never read (rules in template_sets.py). Goal: ≥ 60 % for 审议意见, 决议 and 纪要. Rows "
              "below the line are not local 人大 documents: national resolutions, and the government's replies "
              "to citizens measured with the 建议答复 template."), "",
             ("| genre | docs dev / held out | miner | earlier (8ab6f45) exact | earlier forms | built-in exact | "
              "built-in forms | refined forms | phrases miner / earlier / built-in / refined | "
              "miner: broken, other organ, 正文N slots |"),
             "|---|---|--:|--:|--:|--:|--:|--:|---|---|"]
    for r in rows:
        if r["genre"] in APART and not any(x["genre"] in APART for x in rows[:rows.index(r)]):
            lines.append("| | | | | | | | | | |")
        m = r.get("miner")
        flaws = f"{m['broken_words']}, {m['other_organ']}, {m['generic_slots']}" if m else "—"
        lines.append(f"| {r['genre']} | {r['dev']}{'+' + str(r['dev_extra']) if r['dev_extra'] else ''} / "
                     f"{r['heldout']} | {_pair(r, 'miner')} | {_pair(r, 'earlier', True)} | {_pair(r, 'earlier')} | "
                     f"{_pair(r, 'built-in', True)} | {_pair(r, 'built-in')} | {_pair(r, 'refined')} | {' / '.join(_count(r, s) for s in ('miner', 'earlier', 'built-in', 'refined'))}"
                     f" | {flaws} |")
    checked = [r for r in rows if "refined" in r]
    lines += ["", "Built-in and refined templates: phrases breaking a word, naming another organ, slots named only "
              "by a generic part and a number (checked in the same run): "
              + ", ".join(f"{r['genre']} {r['refined']['broken_words']}/{r['refined']['other_organ']}/"
                          f"{r['refined']['generic_slots']}" for r in checked) + ".", ""]
    for r in rows:
        lines += [f"## {r['genre']}", ""]
        for system in ("miner", "earlier", "built-in", "refined"):
            if system in r:
                lines.append(f"- {system}: " + ("；".join(r[system]["fixed"]) or "(none)"))
        lines.append("")
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
    for genre in (*LOCAL, *APART):
        if args.only and genre not in args.only:
            continue
        rows.append(measure(args.corpus, genre))
        r = rows[-1]
        print(f"{genre}: dev {r['dev']} held out {r['heldout']}; held out: "
              + ", ".join(f"{s} {_pct(r[s]['heldout'])} ({r[s]['phrases']})"
                          for s in ("miner", "earlier", "built-in", "refined") if s in r), file=sys.stderr)
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
