"""Run the PyPI checker ``gongwen-skill`` over the seeded set and write its findings in the
``gongwen check --json`` shape, one JSON line a file, for ``score.py``.

    python3 -m venv /tmp/gwskill && /tmp/gwskill/bin/pip install gongwen-skill
    python benchmarks/check_seeded/run_gongwen_skill.py /tmp/seeded /tmp/seeded/gwskill.jsonl

gongwen-skill is installed in a venv of its own (it brings its own ``gongwen`` command and
python-docx); this script only calls that command, ``gongwen check FILE -t TYPE --json``.
Its issues carry ``severity`` P0/P1/P2, ``rule_id``, ``name``, ``location`` ("paragraph:N",
0-based over python-docx paragraphs, or "page_setup"/"document"), ``original``, ``suggested``,
``reason``.  The message is the rule's name and reason, with ``original`` when it is a measured
value; a longer ``original`` (an excerpt of the text) goes to ``text``.  P0 becomes 错误 and P1/P2 提示 (``--p1-as-error`` makes P1 a 错误 too); the rule is
mapped onto this set's error kinds by the words of its name where they plainly say the same
thing, otherwise kept as ``gongwen-skill:RULE_ID``.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

# our genre → gongwen-skill's document type (``gongwen list-types``)
DOC_TYPE = {"通知": "notice", "意见": "opinion", "请示": "request", "报告": "report",
            "函": "letter", "批复": "reply", "决定": "decision", "决议": "resolution",
            "纪要": "minutes", "讲话稿": "speech", "审议意见": "opinion", "通报": "bulletin"}

# words of a gongwen-skill rule name → the error kind of this set it checks
RULE_WORDS = [("边距", "page_margins"), ("纸张", "page_size"), ("页码", "page_number_form"),
              ("正文字体", "body_font_family"), ("正文字号", "body_font_size"),
              ("正文行距", "line_pitch"), ("大标题字号", "title_size"), ("标题字号检查（讲话稿）", "title_size"),
              ("大标题居中", "title_align"), ("请示结语", "qingshi_no_closing"),
              ("主送机关检查", "qingshi_multi_recipient"), ("附件说明", "attachment_mismatch")]


def convert(issue: dict, p1_error: bool) -> dict:
    name = issue.get("name", "")
    kind = next((k for words, k in RULE_WORDS if words in name), None)
    severe = issue.get("severity") == "P0" or (p1_error and issue.get("severity") == "P1")
    original = str(issue.get("original", ""))
    message = f"{name}：{issue.get('reason', '')}"
    if len(original) <= 20:       # a measured value belongs to the complaint ("原：25mm")
        message += f"（原：{original}）"
    return {"rule": kind or f"gongwen-skill:{issue.get('rule_id', '')}",
            "severity": "错误" if severe else "提示", "message": message,
            "location": str(issue.get("location", "")), "fix": str(issue.get("suggested", "")),
            "text": original, "tool_rule": issue.get("rule_id", ""),
            "tool_severity": issue.get("severity", "")}


def check(gongwen: str, path: Path, doc_type: str) -> tuple[list[dict], str]:
    proc = subprocess.run([gongwen, "check", str(path), "-t", doc_type, "--json"], check=False,
                          capture_output=True, text=True, timeout=120)
    try:
        return json.loads(proc.stdout), ""
    except json.JSONDecodeError:
        return [], (proc.stderr.strip().splitlines() or [f"退出码 {proc.returncode}"])[-1]


def convert_raw(raw: Path, out: Path, p1_error: bool) -> int:
    with raw.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            item = json.loads(line)
            findings = [convert(i, p1_error) for i in item["issues"]]
            dst.write(json.dumps({"path": item["path"], "findings": findings},
                                 ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="用 gongwen-skill 检查评测集并转换为 findings JSONL")
    ap.add_argument("set_dir", type=Path, help="make_set.py 的输出目录（含 manifest.tsv）")
    ap.add_argument("out", type=Path, help="输出的 findings JSONL")
    ap.add_argument("--gongwen", default="/tmp/gwskill/bin/gongwen", help="gongwen-skill 的命令")
    ap.add_argument("--p1-as-error", action="store_true", help="P1 也算“错误”")
    ap.add_argument("--raw", type=Path, help="另存 gongwen-skill 的原始输出（JSONL）")
    ap.add_argument("--from-raw", type=Path, help="不再运行，只转换先前 --raw 存下的原始输出")
    args = ap.parse_args(argv)
    if args.from_raw:
        return convert_raw(args.from_raw, args.out, args.p1_as_error)
    with (args.set_dir / "manifest.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    failures = 0
    raw_fh = args.raw.open("w", encoding="utf-8") if args.raw else None
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            path = args.set_dir / row["file"]
            issues, error = check(args.gongwen, path, DOC_TYPE.get(row["genre"], "notice"))
            if error:
                failures += 1
                print(f"{row['file']}: gongwen-skill 未能检查：{error}", file=sys.stderr)
            if raw_fh:
                raw_fh.write(json.dumps({"path": row["file"], "issues": issues},
                                        ensure_ascii=False) + "\n")
            findings = [convert(i, args.p1_as_error) for i in issues]
            out.write(json.dumps({"path": row["file"], "findings": findings},
                                 ensure_ascii=False) + "\n")
    if raw_fh:
        raw_fh.close()
    print(f"{len(rows)} 份文件，{failures} 份检查失败 → {args.out}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
