"""Score a checker's findings on the seeded-error set.

    python benchmarks/check_seeded/score.py /tmp/seeded/manifest.tsv FINDINGS.jsonl [--json OUT]

FINDINGS is what ``gongwen check FILE... --json`` prints: one JSON object a line
``{"path", "findings": [{"rule", "severity", "message", "location", "fix"}]}`` (a JSON array of
such objects is read too).  A path is matched to a manifest row by its ending (``seeded/…docx``)
or, failing that, its file name.

A seeded error counts as found when one finding lands on it:
- paragraph errors: the finding's location names a paragraph within ±1 of one the manifest gives
  (0-based over python-docx ``Document.paragraphs``; ``--para-base 1`` for 1-based numbers), or
  one of the finding's short texts (location, message, fix or any other string of at most 120
  characters: a finding that quotes a whole page does not point at anything) contains the seeded
  text;
- page set-up (``section``) and footer errors: the finding's rule, message or location speaks of
  the same thing (words such as 页边距/margin, 纸张/A4, 行距, 页码/footer).
``strict`` also asks that the finding's rule or message speaks of the kind (its family's words);
a checker that reports anything at all on the right paragraph gets ``found`` but maybe not
``strict``.  ``new`` asks instead that the landing finding is not also reported, with the same
rule and message, at that place in the correct document the error was seeded into: a checker
that flags every paragraph for something else does not score there.  ``caught`` asks all three
(place, words of the kind, not in the correct document): it is the headline recall.  On the correct documents the score is the share with at least one 错误 finding; 提示
findings do not count against a correct document.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

# words a finding about each family of kinds is expected to use (rule id or Chinese message)
FAMILY_WORDS = {
    "docnum": r"文号|发文字号|字号|docnum|doc_number",
    "title": r"标题|title",
    "recipient": r"主送|recipient|冒号|colon",
    "heading": r"序号|序数|层次|层级|标题|编号|heading|numbering",
    "date": r"日期|成文|date|汉字|阿拉伯|虚位|前导|补零",
    "banji": r"版记|抄送|印发|banji|cc|issued",
    "signer": r"签发人|签发|signer",
    "font": r"字体|仿宋|宋体|黑体|font",
    "size": r"字号|大小|磅|pt|size",
    "align": r"居中|对齐|align|center|centre",
    "margins": r"边距|页边|margin",
    "page_size": r"纸张|纸型|幅面|页面大小|A4|Letter|page.?size",
    "line_pitch": r"行距|行间距|行高|每页.*行|网格|line.?(spacing|pitch|height)|grid",
    "page_number": r"页码|页脚|page.?num|footer",
    "punct": r"标点|半角|全角|逗号|冒号|分号|punct",
    "doubled": r"重复|叠字|连用|多字|doubl|repeat|duplicate",
    "bracket": r"括号|引号|书名号|配对|成对|不全|bracket|quote|pair|unbalanced",
    "relative": r"相对|今天|明天|后天|昨天|下周|时间词|relative|日期|date",
    "placeholder": r"占位|待填|未填|XX|××|placeholder|unfilled",
    "misused": r"错别字|别字|用词|误用|错用|typo|misused|截止|截至|布署|贯切|必需|反应",
    "weekday": r"星期|周[一二三四五六日]|weekday",
    "number": r"数字|汉字|阿拉伯|numeral|number",
    "qingshi": r"请示|一文一事|一事一文|主送|结束语|结语|批示|qingshi",
    "attachment": r"附件|attach",
    "speech": r"版头|文号|红头|发文机关标志|header",
}
KIND_FAMILY = {
    "docnum_brackets": "docnum", "docnum_di": "docnum", "docnum_leading_zero": "docnum",
    "docnum_year_mismatch": "docnum", "title_end_punct": "title", "title_genre_form": "title",
    "recipient_colon": "recipient", "heading_sequence": "heading", "heading_level_mix": "heading",
    "date_chinese_numerals": "date", "date_leading_zero": "date", "issued_before_written": "banji",
    "banji_order": "banji", "missing_signer": "signer", "body_font_family": "font",
    "body_font_size": "size", "title_size": "size", "title_align": "align",
    "page_margins": "margins", "page_size": "page_size", "line_pitch": "line_pitch",
    "page_number_form": "page_number", "halfwidth_punct": "punct", "doubled_char": "doubled",
    "unpaired_bracket": "bracket", "relative_date": "relative", "placeholder": "placeholder",
    "misused_word": "misused", "weekday_wrong": "weekday", "number_usage": "number",
    "qingshi_multi_matter": "qingshi", "qingshi_multi_recipient": "qingshi",
    "qingshi_no_closing": "qingshi", "attachment_mismatch": "attachment",
    "speech_with_header": "speech",
}
PARA_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"paragraph\s*[:#=_ ]?\s*(\d+)", r"\bpara\s*[:#=_ ]?\s*(\d+)", r"\bp\s*[:#]\s*(\d+)",
    r"第\s*(\d+)\s*段", r"段落?\s*[:：#]?\s*(\d+)")]
PARA_KEYS = ("paragraph", "para", "paragraph_index", "index", "p")
QUOTE_MAX = 120


def read_manifest(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def read_findings(path: Path) -> dict[str, list[dict]]:
    text = path.read_text(encoding="utf-8").strip()
    if text.startswith("["):
        items = json.loads(text)
    else:
        items = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {str(item.get("path", "")): item.get("findings") or [] for item in items}


def match_paths(rows: list[dict], found: dict[str, list[dict]]) -> dict[str, list[dict] | None]:
    """Manifest file → its findings (None when the checker printed nothing for it)."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in found:
        by_name[Path(p).name].append(p)
    out: dict[str, list[dict] | None] = {}
    for r in rows:
        f = r["file"]
        hit = next((p for p in found if p == f or p.endswith("/" + f)), None)
        if hit is None and len(by_name.get(Path(f).name, [])) == 1:
            hit = by_name[Path(f).name][0]
        out[f] = found[hit] if hit is not None else None
    return out


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def paragraphs_of(finding: dict, base: int) -> list[int]:
    """Paragraph numbers a finding's location names, as 0-based indices."""
    loc = finding.get("location")
    numbers: list[int] = []
    if isinstance(loc, int):
        numbers.append(loc)
    elif isinstance(loc, dict):
        numbers += [int(loc[k]) for k in PARA_KEYS if isinstance(loc.get(k), int)]
    for text in strings(loc):
        for pattern in PARA_PATTERNS:
            numbers += [int(m) for m in pattern.findall(text)]
    return [n - base for n in numbers]


def lands(finding: dict, row: dict, base: int) -> bool:
    """Is the finding at the seeded place (see the module docstring)?"""
    if row["scope"] in ("section", "footer"):
        words = FAMILY_WORDS[KIND_FAMILY[row["kind"]]]
        text = " ".join(strings({k: finding.get(k) for k in ("rule", "message", "location")}))
        return re.search(words, text, re.IGNORECASE) is not None
    paras = [int(p) for p in row["para"].split(";") if p]
    if any(abs(n - p) <= 1 for n in paragraphs_of(finding, base) for p in paras):
        return True
    seeded = row["seeded_text"]
    return len(seeded) >= 2 and any(seeded in s for s in strings(finding) if len(s) <= QUOTE_MAX)


def signature(finding: dict) -> tuple[str, str]:
    return str(finding.get("rule", "")), str(finding.get("message", ""))


def speaks_of(finding: dict, kind: str) -> bool:
    words = FAMILY_WORDS[KIND_FAMILY[kind]]
    return re.search(words, f"{finding.get('rule', '')} {finding.get('message', '')}", re.IGNORECASE) \
        is not None


def score(rows: list[dict], findings: dict[str, list[dict] | None], base: int) -> dict:
    kinds: dict[str, Counter] = defaultdict(Counter)
    correct = Counter()
    correct_rules: Counter = Counter()
    missing = []
    for r in rows:
        fs = findings[r["file"]]
        if fs is None:
            missing.append(r["file"])
            fs = []
        if r["correct"] == "yes":
            errors = [f for f in fs if f.get("severity") == "错误"]
            correct["documents"] += 1
            correct["with_error"] += bool(errors)
            correct["error_findings"] += len(errors)
            correct_rules.update(str(f.get("rule", "")) for f in errors)
            continue
        c = kinds[r["kind"]]
        c["seeded"] += 1
        landed = [f for f in fs if lands(f, r, base)]
        before = {signature(f) for f in findings.get(r["base"]) or [] if lands(f, r, base)}
        c["found"] += bool(landed)
        c["new"] += any(signature(f) not in before for f in landed)
        c["caught"] += any(signature(f) not in before and speaks_of(f, r["kind"]) for f in landed)
        c["strict"] += any(speaks_of(f, r["kind"]) for f in landed)
        c["severity_agrees"] += any(f.get("severity") == r["severity"] for f in landed)
    per_kind = {k: {"seeded": c["seeded"], "found": c["found"], "strict": c["strict"],
                    "new": c["new"], "caught": c["caught"],
                    "recall": round(c["found"] / c["seeded"], 3),
                    "recall_caught": round(c["caught"] / c["seeded"], 3),
                    "recall_new": round(c["new"] / c["seeded"], 3),
                    "recall_strict": round(c["strict"] / c["seeded"], 3),
                    "severity_agrees": c["severity_agrees"]}
                for k, c in sorted(kinds.items())}
    seeded = sum(v["seeded"] for v in per_kind.values())
    return {
        "seeded": seeded,
        "found": sum(v["found"] for v in per_kind.values()),
        "found_strict": sum(v["strict"] for v in per_kind.values()),
        "found_new": sum(v["new"] for v in per_kind.values()),
        "caught": sum(v["caught"] for v in per_kind.values()),
        "recall_caught_micro": round(sum(v["caught"] for v in per_kind.values()) / seeded, 3),
        "recall_caught_macro": round(sum(v["recall_caught"] for v in per_kind.values())
                                     / len(per_kind), 3),
        "kinds_caught_at_least_once": sum(v["caught"] > 0 for v in per_kind.values()),
        "recall_micro": round(sum(v["found"] for v in per_kind.values()) / seeded, 3),
        "recall_strict_micro": round(sum(v["strict"] for v in per_kind.values()) / seeded, 3),
        "recall_macro": round(sum(v["recall"] for v in per_kind.values()) / len(per_kind), 3),
        "kinds_with_any_find": sum(v["found"] > 0 for v in per_kind.values()),
        "kinds": len(per_kind),
        "correct_documents": correct["documents"],
        "correct_with_error": correct["with_error"],
        "correct_flagged_share": round(correct["with_error"] / max(correct["documents"], 1), 3),
        "error_findings_per_correct_doc": round(correct["error_findings"]
                                                / max(correct["documents"], 1), 2),
        "top_rules_on_correct": correct_rules.most_common(10),
        "files_without_output": missing,
        "per_kind": per_kind,
    }


def print_report(s: dict) -> None:
    print(f"{'kind':26s} {'seeded':>6s} {'found':>6s} {'strict':>6s} {'new':>6s} {'caught':>6s}")
    for k, v in s["per_kind"].items():
        print(f"{k:26s} {v['seeded']:6d} {v['found']:6d} {v['strict']:6d} {v['new']:6d} "
              f"{v['caught']:6d}")
    print(f"\ncaught (headline): {s['caught']}/{s['seeded']} = {s['recall_caught_micro']:.3f}; "
          f"macro over kinds {s['recall_caught_macro']:.3f}; "
          f"kinds caught at least once {s['kinds_caught_at_least_once']}/{s['kinds']}")
    print(f"seeded errors found: {s['found']}/{s['seeded']} (recall {s['recall_micro']:.3f}, "
          f"strict {s['found_strict']}/{s['seeded']} = {s['recall_strict_micro']:.3f}, "
          f"new {s['found_new']}/{s['seeded']} = {s['found_new'] / s['seeded']:.3f}; "
          f"macro over {s['kinds']} kinds {s['recall_macro']:.3f}; "
          f"kinds found at least once {s['kinds_with_any_find']}/{s['kinds']})")
    print(f"correct documents with a 错误 finding: {s['correct_with_error']}/"
          f"{s['correct_documents']} ({s['correct_flagged_share']:.3f}); "
          f"{s['error_findings_per_correct_doc']} 错误 findings per correct document")
    if s["top_rules_on_correct"]:
        print("rules firing 错误 on correct documents:",
              ", ".join(f"{r} ×{n}" for r, n in s["top_rules_on_correct"]))
    if s["files_without_output"]:
        print(f"files with no output line: {len(s['files_without_output'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="给公文校核结果打分（植入错误评测集）")
    ap.add_argument("manifest", type=Path)
    ap.add_argument("findings", type=Path)
    ap.add_argument("--para-base", type=int, default=0, choices=(0, 1),
                    help="检查器的段落编号从 0 还是 1 开始")
    ap.add_argument("--json", type=Path, help="另存打分结果（JSON）")
    args = ap.parse_args(argv)
    rows = read_manifest(args.manifest)
    result = score(rows, match_paths(rows, read_findings(args.findings)), args.para_base)
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
