"""Generate the seeded-error evaluation set for a 公文校核 (document checker).

    python benchmarks/check_seeded/make_set.py OUT_DIR [--corpus /work/shared/corpus] [--bases heldout]

writes OUT_DIR/correct/*.docx (documents laid out to GB/T 9704-2012 by ``gbt_writer``),
OUT_DIR/seeded/*.docx (copies of correct documents with exactly one planted error each) and
OUT_DIR/manifest.tsv (one row a file: what is wrong, how serious, and where).

The set, its error kinds and their places were fixed before any checking rule was written, and
the generator shares no code with the project's writer or checker.  Output is deterministic: the
same corpus gives the same files and manifest.  ``--bases heldout`` builds the same kinds of
documents and seeds from source texts the default set never reads (``heldout.py`` says which).
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import hashlib
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gbt_writer as gw
import heldout
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from texts import (
    Attachment,
    Block,
    Spec,
    arabic_date,
    classify,
    heading_number,
    load_npc_resolution,
    load_project_source,
    load_renda_resolution,
    load_state_council,
    omitted_attachments,
    to_cn,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CORPUS_CANDIDATES = [Path(p) for p in (os.environ.get("GONGWEN_CORPUS"),) if p] + [
    REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")]
DEFAULT_CORPUS = next((p for p in CORPUS_CANDIDATES if p.is_dir()), CORPUS_CANDIDATES[-1])
TEMPLATE = Path("formats/docx_templates/GongWen-Tamplate-Lite_template.dotx")

# ============================================================================ the correct set

# (key, file-name prefix, genre, layout); State Council texts from gov.cn
STATE_COUNCIL = [
    ("sc001", "001_", "意见", "standard"), ("sc002", "002_", "意见", "standard"),
    ("sc005", "005_", "意见", "standard"),
    ("sc006", "006_", "通知", "standard"), ("sc011", "011_", "决定", "standard"),
    ("sc016", "016_", "决定", "standard"), ("sc035", "035_", "意见", "standard"),
    ("sc037", "037_", "通知", "standard"), ("sc038", "038_", "通知", "standard"),
    ("sc046", "046_", "批复", "standard"), ("sc049", "049_", "通报", "standard"),
    ("sc053", "053_", "批复", "standard"), ("sc054", "054_", "通知", "standard"),
    ("sc055", "055_", "批复", "standard"), ("sc059", "059_", "通知", "standard"),
    ("sc060", "060_", "通知", "standard"),
    ("sc024", "024_", "函", "letter"), ("sc025", "025_", "函", "letter"),
    ("sc031", "031_", "函", "letter"),
    ("sc043", "043_", "函", "letter"),
]
# filled into the GB/T 9704 Word template
TEMPLATE_DOCS = [("tpl_sc012", "sc", "012_", "通知", "standard"),
                 ("tpl_sc039", "sc", "039_", "意见", "standard"),
                 ("tpl_src031", "src", "031_", "讲话稿", "speech")]
# the project's own sample sources (corpus/sources), by file-name prefix
PROJECT_SOURCES = ["017", "062", "063",          # 请示
                   "064", "065",                 # 报告
                   "020", "066", "067",          # 函 (信函格式)
                   "019", "068",                 # 批复
                   "001", "042", "043", "086",   # 审议意见
                   "007", "036", "083",          # 纪要
                   "010", "030", "080",          # 讲话稿
                   "014", "051",                 # 决定
                   "013", "048", "049",          # 决议
                   "059", "060", "061", "092",   # 通知
                   "026", "079"]                 # 意见
NPC = ["第十三届全国人民代表大会第一次会议关于政府工作报告的决议.txt",
       "第十四届全国人民代表大会第二次会议关于政府工作报告的决议.txt",
       "第十二届全国人民代表大会第三次会议关于政府工作报告的决议.txt"]
RENDA = [("rd_res007", "resolutions_decisions/007.txt", "决定"),
         ("rd_res004", "resolutions_decisions/004.txt", "决议")]

# 版记 of the gov.cn texts: the web copies omit it; the printed documents carry this 抄送 line
SC_CC = ["党中央各部门", "中央军委办公厅", "全国人大常委会办公厅", "全国政协办公厅", "国家监委",
         "最高人民法院", "最高人民检察院", "各民主党派中央"]


def load_correct(corpus: Path) -> list[Spec]:
    specs: list[Spec] = []
    sc_dir = corpus / "state_council"
    for key, prefix, genre, layout in STATE_COUNCIL:
        specs.append(state_council(sc_dir, key, prefix, genre, layout))
    for name in PROJECT_SOURCES:
        path = next((REPO / "corpus" / "sources").glob(name + "_*.txt"))
        spec = load_project_source(path, "src" + name)
        complete_banji(spec)
        specs.append(spec)
    for k, name in enumerate(NPC):
        specs.append(load_npc_resolution(corpus / "npc_resolutions" / name, f"npc{k + 1}"))
    for key, rel, genre in RENDA:
        specs.append(load_renda_resolution(corpus / "renda_more" / rel, key, genre))
    for key, kind, prefix, genre, layout in TEMPLATE_DOCS:
        if kind == "sc":
            spec = state_council(sc_dir, key, prefix, genre, layout)
        else:
            spec = load_project_source(next((REPO / "corpus" / "sources").glob(prefix + "*.txt")),
                                       key)
        spec.template = True
        specs.append(spec)
    return specs


def load_heldout(corpus: Path) -> list[Spec]:
    """The held-out bases (``heldout.plan``) as specs, loaded like their default counterparts."""
    used = {"state_council": {p for _, p, _, _ in STATE_COUNCIL}
            | {p for _, kind, p, _, _ in TEMPLATE_DOCS if kind == "sc"},
            "sources": set(PROJECT_SOURCES) | {p[:3] for _, kind, p, _, _ in TEMPLATE_DOCS
                                                if kind == "src"},
            "npc_resolutions": set(NPC), "renda_more": {rel for _, rel, _ in RENDA}}
    specs: list[Spec] = []
    for base in heldout.plan(corpus, REPO / "corpus" / "sources", used):
        if base.pool == "state_council":
            spec = state_council(base.path.parent, base.key, base.path.name[:4], base.genre,
                                 base.layout)
        elif base.pool == "npc_resolutions":
            spec = load_npc_resolution(base.path, base.key)
        elif base.pool == "renda_more":
            spec = load_renda_resolution(base.path, base.key, base.genre)
        else:
            spec = load_project_source(base.path, base.key)
            if base.pool == "written":
                spec.source = f"check_seeded/heldout_sources/{base.path.name}"
            if not base.template:
                complete_banji(spec)
        spec.template = base.template
        specs.append(spec)
    return specs


def state_council(sc_dir: Path, key: str, prefix: str, genre: str, layout: str) -> Spec:
    path = next(sc_dir.glob(prefix + "*.txt"))
    spec = load_state_council(path, key, genre, layout)
    if key == "sc060":
        attached_plan(spec, path)
        spec.added.append("所印发的方案排作附件并加附件说明")
    if len(spec.attachments) < len(spec.attachment_note):   # the web copy leaves them out
        spec.attachments += omitted_attachments(spec.attachment_note[len(spec.attachments):])
        spec.added.append("附件说明所列附件网页版未载，附件页写“（略）”")
    if layout == "standard":
        spec.cc = SC_CC if spec.date.year >= 2018 else [c for c in SC_CC if c != "国家监委"]
        spec.issued_by = "国务院办公厅"
        spec.issued_date = spec.date + dt.timedelta(days=2)
        spec.added.append("版记（抄送、印发机关和日期）由脚本补全")
    return spec


def attached_plan(spec: Spec, path: Path) -> None:
    """国办函〔2018〕71号 prints the plan it issues after the date; lay it out as its 附件."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    start = lines.index(spec.note) + 1 if spec.note in lines else None
    plan = lines[start:]
    spec.attachment_note = [plan[0]]
    spec.attachments = [Attachment(plan[0], [classify(ln) for ln in plan[1:]])]


def complete_banji(spec: Spec) -> None:
    """A document in 文件格式 ends with 印发机关 and 印发日期; where a sample source gives none,
    the organ's office issues it the day after it was signed."""
    if spec.layout in ("standard", "upward") and not spec.issued_by and spec.date:
        organ = spec.organ_mark
        spec.issued_by = organ if organ.endswith("办公室") else organ + "办公室"
        spec.issued_date = spec.date + dt.timedelta(days=1)
        spec.added.append("印发机关和印发日期由脚本补全")


# ============================================================================ screening

HALF_PUNCT = re.compile(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]")
DOUBLED = re.compile(r"(的的|了了|是是|在在|和和)")
PLACEHOLDER = re.compile(r"XX|××|ＸＸ|【待填|○○")
RELATIVE = re.compile(r"今天|明天|昨天|后天|下周|本周")
MISUSED = [("截止", "截至"), ("按装", "安装"), ("布署", "部署"), ("既使", "即使"), ("重迭", "重叠"),
           ("急燥", "急躁"), ("再接再励", "再接再厉"), ("迫不急待", "迫不及待")]
PAIRS = ["（）", "“”", "《》", "〔〕", "【】", "‘’"]
WEEKDAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日（星期([一二三四五六日天])）")
CN_COUNT = re.compile(r"(?<![第届一二三四五六七八九十百])([一二三四五六七八九十百]{2,})(个|名|项|件|家|处|条|所|户)")


def screen(spec: Spec) -> list[str]:
    """Text-level faults of the kinds this set seeds, found in a would-be correct document:
    such a document must not enter the correct set (or its text must be mended first)."""
    problems: list[str] = []
    for i, text in enumerate(all_texts(spec)):
        for name, pattern in (("half-width", HALF_PUNCT), ("doubled", DOUBLED),
                              ("placeholder", PLACEHOLDER), ("cn-count", CN_COUNT)):
            if pattern.search(text):
                problems.append(f"{name}: {pattern.search(text).group()} in «{text[:30]}»")
        if spec.genre == "通知" and RELATIVE.search(text):
            problems.append(f"relative date in a 通知: «{text[:30]}»")
        for wrong, _ in MISUSED:
            if wrong in text and not (wrong == "截止" and not re.search(r"截止\d|截止目前", text)):
                problems.append(f"misused {wrong}: «{text[:30]}»")
        for a, b in PAIRS:
            if text.count(a) != text.count(b):
                problems.append(f"unpaired {a}{b}: «{text[:40]}»")
        for m in WEEKDAY.finditer(text):
            year = int(m.group(1)) if m.group(1) else doc_year_for(spec, m)
            d = dt.date(year, int(m.group(2)), int(m.group(3)))
            if "星期" + "一二三四五六日"[d.weekday()] != "星期" + m.group(4).replace("天", "日"):
                problems.append(f"weekday: {m.group()}")
    return problems


def doc_year_for(spec: Spec, m: re.Match) -> int:
    """A weekday given without the year: the year the document speaks of (holidays notices are
    issued in December for the next year)."""
    years = [int(y) for y in re.findall(r"(\d{4})年", spec.title)]
    return years[0] if years else spec.date.year


def all_texts(spec: Spec) -> list[str]:
    out = [spec.title, spec.doc_number, "、".join(spec.recipients), spec.adoption_note, spec.note]
    out += [b.text for b in spec.blocks]
    for att in spec.attachments:
        out += [att.title] + [b.text for b in att.blocks]
    out += spec.attachment_note + spec.signature + list(spec.meeting.values())
    return [t for t in out if t]


# ============================================================================ seeding


@dataclass
class Seed:
    spec: Spec
    description: str
    targets: list            # writer references of the paragraphs that carry the error
    snippet: str             # the text planted (or the text where the error sits)
    scope: str = "paragraph"   # paragraph | section | footer
    post: Callable | None = None   # docx-level change applied after rendering


@dataclass
class Kind:
    kind: str
    severity: str
    label: str
    make: Callable[[Spec, int], Seed | None]
    per_kind: int = 4


def clone(spec: Spec) -> Spec:
    return copy.deepcopy(spec)


def body_paragraphs(spec: Spec, min_len: int = 30) -> list[int]:
    """Indices of running-text body paragraphs long enough to carry a planted error."""
    return [k for k, b in enumerate(spec.blocks)
            if b.level == 0 and b.role == "body" and len(b.text) >= min_len]


def pick(items: list, variant: int):
    """A stable choice among candidates: the middle one, shifted by the variant."""
    return items[(len(items) // 2 + variant) % len(items)] if items else None


# ---------------------------------------------------------------- 发文字号

DOCNUM = re.compile(r"^(.*?)〔(\d{4})〕(\d+)号$")


def has_docnum(spec: Spec) -> bool:
    return bool(DOCNUM.match(spec.doc_number)) and spec.layout in ("standard", "upward", "letter")


def seed_docnum_brackets(spec: Spec, v: int) -> Seed | None:
    if not has_docnum(spec):
        return None
    left, right = ["[]", "（）", "()", "［］"][v % 4]
    s = clone(spec)
    s.doc_number = spec.doc_number.replace("〔", left).replace("〕", right)
    return Seed(s, f"发文字号年份用{left}{right}括入，应为六角括号〔〕", ["docnum"], s.doc_number)


def seed_docnum_di(spec: Spec, v: int) -> Seed | None:
    if not has_docnum(spec):
        return None
    s = clone(spec)
    s.doc_number = re.sub(r"〕(\d+)号$", r"〕第\1号", spec.doc_number)
    return Seed(s, "发文字号序号前加了“第”字", ["docnum"], s.doc_number)


def seed_docnum_zero(spec: Spec, v: int) -> Seed | None:
    m = DOCNUM.match(spec.doc_number)
    if not has_docnum(spec) or int(m.group(3)) >= 100:
        return None
    s = clone(spec)
    s.doc_number = f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3)):03d}号" if v % 2 else \
        f"{m.group(1)}〔{m.group(2)}〕0{m.group(3)}号"
    return Seed(s, "发文字号序号编了虚位（前导零）", ["docnum"], s.doc_number)


def seed_docnum_year(spec: Spec, v: int) -> Seed | None:
    m = DOCNUM.match(spec.doc_number)
    if not has_docnum(spec) or spec.date is None or int(m.group(2)) != spec.date.year:
        return None
    s = clone(spec)
    year = spec.date.year - 1 if v % 2 == 0 else spec.date.year + 1
    s.doc_number = f"{m.group(1)}〔{year}〕{m.group(3)}号"
    return Seed(s, f"发文字号年份{year}与成文日期年份{spec.date.year}不一致",
                ["docnum", "date"], s.doc_number)


# ---------------------------------------------------------------- 标题

GENRE_END = re.compile(r"的(通知|意见|指导意见|请示|报告|批复|复函|函|决定|决议|审议意见|通报)$")


def seed_title_punct(spec: Spec, v: int) -> Seed | None:
    if spec.layout in ("speech",):
        return None
    s = clone(spec)
    s.title = spec.title + "。"
    return Seed(s, "标题末尾加了句号", ["title"], s.title[-8:])


def seed_title_genre(spec: Spec, v: int) -> Seed | None:
    m = GENRE_END.search(spec.title)
    if not m or spec.layout in ("speech", "minutes"):
        return None
    s = clone(spec)
    if spec.genre == "请示" and v % 2:
        s.title = spec.title + "报告"
        return Seed(s, "标题文种“请示报告”混用", ["title"], s.title[-8:])
    s.title = spec.title[:m.start()]
    return Seed(s, f"标题缺少文种（应以“的{m.group(1)}”结尾）", ["title"], s.title[-8:])


def seed_recipient_colon(spec: Spec, v: int) -> Seed | None:
    if not spec.recipients:
        return None
    s = clone(spec)
    s.recipient_colon = ":" if v % 2 else ""
    what = "半角冒号" if v % 2 else "没有冒号"
    text = "、".join(spec.recipients) + s.recipient_colon
    return Seed(s, f"主送机关后{what}，应为全角冒号“：”", ["recipients"], text[-8:])


# ---------------------------------------------------------------- 层次序数

def level1_headings(spec: Spec) -> list[int]:
    return [k for k, b in enumerate(spec.blocks) if b.level == 1]


def renumber(block: Block, n: int) -> None:
    block.text = re.sub(r"^[一二三四五六七八九十]+、", to_cn(n) + "、", block.text)


def seed_heading_sequence(spec: Spec, v: int) -> Seed | None:
    heads = level1_headings(spec)
    if len(heads) < 3 or spec.template or spec.layout == "speech":
        return None
    numbers = [heading_number(spec.blocks[k]) for k in heads]
    if numbers != list(range(1, len(heads) + 1)):
        return None
    s = clone(spec)
    at = 1 + v % (len(heads) - 2)
    if v % 2 == 0:      # skip a number: 一、三、四、
        for j, k in enumerate(heads[at:], start=at):
            renumber(s.blocks[k], j + 2)
        what = f"一级标题序号跳号（{to_cn(at)}、之后是{to_cn(at + 2)}、）"
    else:               # swap two: 一、三、二、四、
        renumber(s.blocks[heads[at]], at + 2)
        renumber(s.blocks[heads[at + 1]], at + 1)
        what = f"一级标题序号顺序颠倒（{to_cn(at + 2)}、在{to_cn(at + 1)}、之前）"
    k = heads[at]
    return Seed(s, what, [("body", k)], s.blocks[k].text[:6])


def sibling_series(spec: Spec) -> list[list[int]]:
    """Runs of level-2 or level-3 headings under one parent, numbered 1, 2, 3 …"""
    series: list[list[int]] = []
    current: dict[int, list[int]] = {}
    for k, b in enumerate(spec.blocks):
        if b.level == 1:
            series += current.values()
            current = {}
        elif b.level in (2, 3):
            if b.level == 2:
                series += [v for lv, v in current.items() if lv == 3]
                current.pop(3, None)
            current.setdefault(b.level, []).append(k)
    series += current.values()
    return [run for run in series if len(run) >= 3
            and [heading_number(spec.blocks[k]) for k in run] == list(range(1, len(run) + 1))]


def seed_heading_mix(spec: Spec, v: int) -> Seed | None:
    """One heading in a sibling run written in another level's form: （一）（二）3.（四）."""
    if spec.template or spec.layout == "speech":
        return None
    runs = sibling_series(spec)
    if not runs:
        return None
    run = runs[v % len(runs)]
    k = run[len(run) // 2]
    s = clone(spec)
    b = s.blocks[k]
    n = heading_number(b)
    if b.level == 2:
        b.text = re.sub(r"^（[一二三四五六七八九十]+）", f"{n}.", b.text)
        what = f"同级层次序数混用：（{to_cn(n - 1)}）之后用了“{n}.”"
    else:
        b.text = re.sub(r"^\d+\.", f"（{to_cn(n)}）", b.text)
        what = f"同级层次序数混用：“{n - 1}.”之后用了（{to_cn(n)}）"
    return Seed(s, what, [("body", k)], b.text[:6])


# ---------------------------------------------------------------- 日期

def seed_date_chinese(spec: Spec, v: int) -> Seed | None:
    if spec.date is None or spec.layout in ("speech", "resolution") or not spec.signature:
        return None
    s = clone(spec)
    d = spec.date
    s.date_text = "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year)) + \
        f"年{to_cn(d.month)}月{to_cn(d.day)}日"
    return Seed(s, "成文日期用汉字数字书写，应使用阿拉伯数字", ["date"], s.date_text)


def seed_date_zero(spec: Spec, v: int) -> Seed | None:
    if spec.date is None or spec.layout in ("speech", "resolution") or not spec.signature:
        return None
    d = spec.date
    if d.month >= 10 and d.day >= 10:
        return None
    s = clone(spec)
    s.date_text = f"{d.year}年{d.month:02d}月{d.day:02d}日"
    return Seed(s, "成文日期月、日编了虚位（前导零）", ["date"], s.date_text)


def seed_issued_before(spec: Spec, v: int) -> Seed | None:
    if not spec.issued_by or spec.date is None:
        return None
    s = clone(spec)
    s.issued_date = spec.date - dt.timedelta(days=3 + 4 * v)
    text = arabic_date(s.issued_date) + "印发"
    return Seed(s, f"印发日期{arabic_date(s.issued_date)}早于成文日期{arabic_date(spec.date)}",
                ["issued", "date"], text)


def seed_banji_order(spec: Spec, v: int) -> Seed | None:
    if not (spec.cc and spec.issued_by):
        return None
    s = clone(spec)
    s.banji_swapped = True
    return Seed(s, "版记中印发机关和印发日期排在抄送机关之上（次序颠倒）", ["issued", "cc"], "抄送：")


def seed_missing_signer(spec: Spec, v: int) -> Seed | None:
    if spec.layout != "upward" or not spec.signer:
        return None
    s = clone(spec)
    s.signer = ""
    return Seed(s, f"上行文（{spec.genre}）缺少签发人", ["docnum"], spec.doc_number)


# ---------------------------------------------------------------- 版式（docx 级）

def post_body_font(family: str | None = None, size: float | None = None):
    def apply(doc, placed, targets):
        p = doc.paragraphs[targets[0]]
        for run in p.runs:
            if family:
                gw.set_font(run, family, run.font.size.pt if run.font.size else gw.BODY_PT)
            if size:
                run.font.size = Pt(size)
    return apply


def seed_body_font(spec: Spec, v: int) -> Seed | None:
    cands = body_paragraphs(spec, 40)
    if not cands:
        return None
    k = pick(cands, v)
    family = ["宋体", "黑体", "宋体", "微软雅黑"][v % 4]
    return Seed(clone(spec), f"正文段落字体为{family}，应为仿宋（仿宋_GB2312）", [("body", k)],
                spec.blocks[k].text[:10], post=post_body_font(family=family))


def seed_body_size(spec: Spec, v: int) -> Seed | None:
    cands = body_paragraphs(spec, 40)
    if not cands:
        return None
    k = pick(cands, v)
    size = [14, 15, 18, 12][v % 4]
    return Seed(clone(spec), f"正文段落字号为{size}磅，应为三号（16磅）", [("body", k)],
                spec.blocks[k].text[:10], post=post_body_font(size=size))


def seed_title_size(spec: Spec, v: int) -> Seed | None:
    size = [18, 16, 24, 20][v % 4]

    def apply(doc, placed, targets):
        for run in doc.paragraphs[targets[0]].runs:
            gw.set_font(run, gw.XIAOBIAOSONG, size)
    return Seed(clone(spec), f"标题字号为{size}磅，应为二号（22磅）", ["title"], spec.title[:8],
                post=apply)


def seed_title_align(spec: Spec, v: int) -> Seed | None:
    how = ["left", "both", "indent", "left"][v % 4]

    def apply(doc, placed, targets):
        p = doc.paragraphs[targets[0]]
        if how == "indent":
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.first_line_indent = Pt(2 * gw.BODY_PT)
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if how == "left" else WD_ALIGN_PARAGRAPH.JUSTIFY
    label = {"left": "居左", "both": "两端对齐", "indent": "首行缩进两字居左"}[how]
    return Seed(clone(spec), f"标题{label}排布，应居中", ["title"], spec.title[:8], post=apply)


MARGINS = [(25, 25, 25, 25), (25.4, 25.4, 31.8, 31.8), (37, 35, 25, 26), (30, 35, 28, 26)]


def seed_margins(spec: Spec, v: int) -> Seed | None:
    top, bottom, left, right = MARGINS[v % 4]

    def apply(doc, placed, targets):
        sec = doc.sections[0]
        sec.top_margin, sec.bottom_margin = Mm(top), Mm(bottom)
        sec.left_margin, sec.right_margin = Mm(left), Mm(right)
    return Seed(clone(spec), f"页边距为上{top}/下{bottom}/左{left}/右{right}毫米，应为上37/下35/左28/右26毫米",
                [], "页边距", scope="section", post=apply)


def seed_page_size(spec: Spec, v: int) -> Seed | None:
    def apply(doc, placed, targets):
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(215.9), Mm(279.4)
    return Seed(clone(spec), "纸张为Letter（215.9×279.4毫米），应为A4（210×297毫米）", [], "Letter",
                scope="section", post=apply)


def seed_line_pitch(spec: Spec, v: int) -> Seed | None:
    variants = [("single", None, "行距为单倍行距（非固定值）"), ("exact", 25.0, "行距为固定值25磅，应为约28.95磅（每页22行）"),
                ("multiple", 1.5, "行距为1.5倍行距（非固定值）"), ("exact", 32.0, "行距为固定值32磅，应为约28.95磅（每页22行）")]
    rule, value, label = variants[v % 4]

    def apply(doc, placed, targets):
        for p in doc.paragraphs:
            spacing = p.paragraph_format.line_spacing
            if hasattr(spacing, "pt") and abs(spacing.pt - gw.LINE) < 0.1:
                set_spacing(p, rule, value)
        set_spacing(doc.styles["Normal"], rule, value)
        gw.set_grid(doc, int((value or 15.6) * 20) if rule == "exact" else 312, None)
    return Seed(clone(spec), label, [], "行距", scope="section", post=apply)


def set_spacing(obj, rule: str, value: float | None) -> None:
    pf = obj.paragraph_format
    if rule == "exact":
        pf.line_spacing = Pt(value)
    elif rule == "multiple":
        pf.line_spacing = value
    else:
        pf.line_spacing = 1.0


def seed_page_number(spec: Spec, v: int) -> Seed | None:
    forms = [("第", "页", "页码写成“第1页”"), ("", "", "页码只有数字，两侧没有一字线"),
             ("- ", " -", "页码两侧用半角连字符“- 1 -”，应为一字线“— 1 —”"), ("第", "页", "页码写成“第1页”")]
    before, after, label = forms[v % 4]

    def apply(doc, placed, targets):
        gw.write_page_numbers(doc, before, after)   # only the form changes, not the place
    return Seed(clone(spec), label, [], f"{before}1{after}".strip(), scope="footer", post=apply)


# ---------------------------------------------------------------- 文字

def replace_in_body(spec: Spec, cands: list[int], v: int, find: Callable[[str], re.Match | None],
                    make: Callable[[re.Match], str]) -> tuple[Spec, int, str] | None:
    """Replace the first match of ``find`` in one candidate body paragraph (chosen by
    ``v``); returns the new spec, the paragraph index and a snippet around the change."""
    usable = [k for k in cands if find(spec.blocks[k].text)]
    if not usable:
        return None
    k = pick(usable, v)
    s = clone(spec)
    text = spec.blocks[k].text
    m = find(text)
    new = make(m)
    s.blocks[k].text = text[:m.start()] + new + text[m.end():]
    start = max(0, m.start() - 3)
    snippet = s.blocks[k].text[start:m.start() + len(new) + 3]
    return s, k, snippet


def body_like(spec: Spec) -> list[int]:
    return [k for k, b in enumerate(spec.blocks) if b.role == "body"]


def seed_halfwidth(spec: Spec, v: int) -> Seed | None:
    full, half = [("，", ","), ("：", ":"), ("；", ";"), ("，", ",")][v % 4]
    pattern = re.compile(f"(?<=[\u4e00-\u9fff]){full}")
    r = replace_in_body(spec, body_like(spec), v, pattern.search, lambda m: half)
    if r is None and full != "，":
        full, half = "，", ","
        pattern = re.compile(f"(?<=[\u4e00-\u9fff]){full}")
        r = replace_in_body(spec, body_like(spec), v, pattern.search, lambda m: half)
    if r is None:
        return None
    s, k, snip = r
    return Seed(s, f"中文语句中用了半角标点“{half}”，应为全角“{full}”", [("body", k)], snip)


def seed_doubled(spec: Spec, v: int) -> Seed | None:
    ch = ["的", "了", "的", "是"][v % 4]
    pattern = re.compile(f"(?<=[\u4e00-\u9fff]){ch}(?=[\u4e00-\u9fff])")
    r = replace_in_body(spec, body_like(spec), v, pattern.search, lambda m: ch * 2)
    if r is None and ch != "的":
        ch = "的"
        pattern = re.compile(f"(?<=[\u4e00-\u9fff]){ch}(?=[\u4e00-\u9fff])")
        r = replace_in_body(spec, body_like(spec), v, pattern.search, lambda m: ch * 2)
    if r is None:
        return None
    s, k, snip = r
    return Seed(s, f"重复用字“{ch}{ch}”", [("body", k)], snip)


def seed_unpaired(spec: Spec, v: int) -> Seed | None:
    pair = ["（）", "“”", "《》", "（）"][v % 4]
    drop_open = v % 4 == 3
    pattern = re.compile(f"{pair[0]}[^{pair[1]}{pair[0]}]{{1,30}}{pair[1]}")
    cands = [k for k in body_like(spec) if pattern.search(spec.blocks[k].text)]
    if not cands:
        pair, drop_open = "（）", False
        pattern = re.compile(f"{pair[0]}[^{pair[1]}{pair[0]}]{{1,30}}{pair[1]}")
        cands = [k for k in body_like(spec) if pattern.search(spec.blocks[k].text)]
    r = replace_in_body(spec, cands, v, pattern.search,
                        lambda m: m.group()[1:] if drop_open else m.group()[:-1])
    if r is None:
        return None
    s, k, snip = r
    which = f"左{pair[0]}" if drop_open else f"右{pair[1]}"
    return Seed(s, f"括号或引号不成对（缺{which}）", [("body", k)], snip)


FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?!（星期)")


def seed_relative_date(spec: Spec, v: int) -> Seed | None:
    if spec.genre not in ("通知", "函"):
        return None
    word = ["明天", "今天", "下周一", "明天"][v % 4]
    pattern = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?!至|—|（)")
    cands = [k for k in body_like(spec) if spec.blocks[k].level == 0 or spec.blocks[k].runin]
    r = replace_in_body(spec, cands, v, pattern.search, lambda m: word)
    if r is None:
        return None
    s, k, snip = r
    return Seed(s, f"{spec.genre}中用了相对时间词“{word}”，应写明确切日期", [("body", k)], snip)


COUNT = re.compile(r"(?<![\d.年月第－—-])(\d{2})(?=个|名|项|件|家|处|条|所|户|人)")


def seed_placeholder(spec: Spec, v: int) -> Seed | None:
    token = ["XX", "××", "【待填】", "XX"][v % 4]
    pattern = re.compile(r"(?<![\d.年月第〔－—-])(\d{1,3})(?=个|名|项|件|家|处|条|所|户|人|万元|亿元)")
    r = replace_in_body(spec, body_like(spec), v, pattern.search, lambda m: token)
    if r is None:
        return None
    s, k, snip = r
    return Seed(s, f"未填写的占位符“{token}”", [("body", k)], snip)


MISUSE_SEEDS = [("截至", "截止", re.compile(r"截至(?=\d|目前)")), ("部署", "布署", re.compile("部署")),
                ("贯彻", "贯切", re.compile("贯彻")), ("必须", "必需", re.compile("必须")),
                ("反映", "反应", re.compile("反映"))]


def seed_misused(spec: Spec, v: int) -> Seed | None:
    right, wrong, pat = MISUSE_SEEDS[v % len(MISUSE_SEEDS)]
    r = replace_in_body(spec, body_like(spec), v, pat.search, lambda m: wrong)
    if r is None:
        return None
    s, k, snip = r
    return Seed(s, f"错用词语“{wrong}”，应为“{right}”", [("body", k)], snip)


def seed_weekday(spec: Spec, v: int) -> Seed | None:
    given = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日（星期([一二三四五六日])）")
    cands = body_like(spec)
    with_day = [k for k in cands if given.search(spec.blocks[k].text)]
    if with_day and v % 2:
        def make(m):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return m.group()[:-4] + "星期" + "一二三四五六日"[(d.weekday() + 3) % 7] + "）"
        s, k, snip = replace_in_body(spec, with_day, v, given.search, make)
        return Seed(s, "日期与所注星期不符", [("body", k)], snip)

    def add(m):
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        wrong = "一二三四五六日"[(d.weekday() + 2 + v) % 7]
        return f"{m.group()}（星期{wrong}）"
    r = replace_in_body(spec, cands, v, FULL_DATE.search, add)
    if r is None:
        return None
    s, k, snip = r
    return Seed(s, "日期与所注星期不符", [("body", k)], snip)


def seed_number_usage(spec: Spec, v: int) -> Seed | None:
    def find(text):
        for m in COUNT.finditer(text):
            if 11 <= int(m.group(1)) <= 99:
                return m
        return None
    r = replace_in_body(spec, body_like(spec), v, find, lambda m: to_cn(int(m.group(1))))
    if r is None:
        return None
    s, k, snip = r
    return Seed(s, "计量、计数用了汉字数字，应使用阿拉伯数字", [("body", k)], snip)


# ---------------------------------------------------------------- 请示、附件、讲话稿

SECOND_MATTER = {
    "src017": "另，区人大常委会机关办公楼电梯使用年限已久、故障频发，申请一并安排维修改造经费35万元。",
    "src062": "另，区人大常委会机关拟于明年更新公务用车2辆，所需购置经费一并请示。",
    "src063": "另，为推进区人大常委会机关档案数字化工作，申请一并安排专项经费20万元。",
    # held-out bases (heldout.py)
    "hwq1": "另，区人大常委会机关食堂设施老化，申请一并安排改造经费12万元。",
    "hwq2": "另，拟请区委同意区人大常委会于今年第四季度组织常委会组成人员赴外地学习考察。",
    "hwq3": "另，县人大常委会机关拟购置会议录音录像设备一套，所需经费6万元一并请示。",
}
SECOND_RECIPIENT = {"src017": "区财政局", "src062": "区人民政府", "src063": "区财政局",
                    "hwq1": "区财政局", "hwq2": "区人民政府", "hwq3": "县财政局"}


def closing_index(spec: Spec) -> int | None:
    for k in range(len(spec.blocks) - 1, -1, -1):
        if "请批示" in spec.blocks[k].text or "请审批" in spec.blocks[k].text:
            return k
    return None


def seed_qingshi_matters(spec: Spec, v: int) -> Seed | None:
    if spec.genre != "请示" or spec.key not in SECOND_MATTER:
        return None
    k = closing_index(spec)
    s = clone(spec)
    s.blocks.insert(k, Block(SECOND_MATTER[spec.key]))
    return Seed(s, "请示一文多事（正文末尾又请示了另一事项）", [("body", k)], SECOND_MATTER[spec.key][:10])


def seed_qingshi_recipients(spec: Spec, v: int) -> Seed | None:
    if spec.genre != "请示" or spec.key not in SECOND_RECIPIENT:
        return None
    s = clone(spec)
    s.recipients = spec.recipients + [SECOND_RECIPIENT[spec.key]]
    return Seed(s, "请示主送了两个机关（应只主送一个上级机关）", ["recipients"], "、".join(s.recipients))


def seed_qingshi_closing(spec: Spec, v: int) -> Seed | None:
    if spec.genre != "请示":
        return None
    k = closing_index(spec)
    if k is None:
        return None
    s = clone(spec)
    text = s.blocks[k].text
    rest = re.sub(r"[，,]?妥否，请批示。$", "。", text)
    if rest in ("。", "以上请示。"):
        del s.blocks[k]
        k -= 1
    else:
        s.blocks[k].text = rest
    last = s.blocks[k].text
    return Seed(s, "请示结尾缺少请示语（如“妥否，请批示”）", [("body", k), "signature"], last[-8:])


def seed_attachment(spec: Spec, v: int) -> Seed | None:
    if not spec.attachments or spec.layout == "speech":
        return None
    s = clone(spec)
    mode = v % 3
    if mode == 0:
        s.attachment_note = [re.sub(r"^\d+\.", "", n) for n in spec.attachment_note] + ["有关情况说明"]
        k = len(s.attachment_note) - 1
        return Seed(s, "附件说明列了附件“有关情况说明”，正文后没有该附件", [("attach_note", k)],
                    "有关情况说明")
    if mode == 1:
        s.attachments = []
        return Seed(s, "有附件说明，但正文后没有附件", [("attach_note", 0)], spec.attachment_note[0][:10])
    n = len(spec.attachments)
    s.attachments = spec.attachments + []
    return Seed(s, f"附件顺序号与附件说明不符（附件页标为“附件{n + 1}”）", [("attach", 0, "label")],
                f"附件{n + 1}", post=relabel_attachment(n + 1))


def relabel_attachment(number: int):
    def apply(doc, placed, targets):
        p = doc.paragraphs[targets[0]]
        p.runs[0].text = f"附件{number}"
    return apply


SPEECH_HEADER = {"src010": ("青岚区人大常委会办公室", "青人常办"),
                 "src030": ("云溪区人大常委会办公室", "云人常办"),
                 "tpl_src031": ("星湖区人大常委会办公室", "星人常办"),
                 # held-out bases (heldout.py)
                 "hsrc011": ("青岚区人大常委会办公室", "青人常办"),
                 "hsrc012": ("江屿区人大常委会办公室", "江人常办"),
                 "hsrc032": ("碧川区人大常委会办公室", "碧人常办"),
                 "hsrc033": ("柳汀区人大常委会办公室", "柳人常办"),
                 "hsrc034": ("鹤林区人大常委会办公室", "鹤人常办"),
                 "tpl_hsrc035": ("云溪区人大常委会办公室", "云人常办")}


def seed_speech_header(spec: Spec, v: int) -> Seed | None:
    if spec.genre != "讲话稿" or spec.key not in SPEECH_HEADER:
        return None
    s = clone(spec)
    organ, code = SPEECH_HEADER[spec.key]
    s.organ_mark = organ
    s.doc_number = f"{code}〔{spec.date.year}〕{3 + v}号"
    s.speech_header = True
    return Seed(s, "讲话稿加了版头和发文字号（讲话稿不编文号、不用红头）", ["mark", "docnum"], s.doc_number)


KINDS: list[Kind] = [
    Kind("docnum_brackets", "错误", "发文字号括号错误", seed_docnum_brackets),
    Kind("docnum_di", "错误", "发文字号加“第”", seed_docnum_di),
    Kind("docnum_leading_zero", "错误", "发文字号序号前导零", seed_docnum_zero),
    Kind("docnum_year_mismatch", "错误", "文号年份与成文日期不符", seed_docnum_year),
    Kind("title_end_punct", "错误", "标题末尾标点", seed_title_punct),
    Kind("title_genre_form", "错误", "标题文种缺失或混用", seed_title_genre),
    Kind("recipient_colon", "错误", "主送机关冒号", seed_recipient_colon),
    Kind("heading_sequence", "错误", "层次序数跳号或颠倒", seed_heading_sequence),
    Kind("heading_level_mix", "错误", "层次序数层级混用", seed_heading_mix),
    Kind("date_chinese_numerals", "错误", "成文日期用汉字", seed_date_chinese),
    Kind("date_leading_zero", "错误", "成文日期前导零", seed_date_zero),
    Kind("issued_before_written", "错误", "印发日期早于成文日期", seed_issued_before),
    Kind("banji_order", "错误", "版记次序颠倒", seed_banji_order),
    Kind("missing_signer", "错误", "上行文缺签发人", seed_missing_signer, per_kind=3),
    Kind("body_font_family", "错误", "正文字体", seed_body_font),
    Kind("body_font_size", "错误", "正文字号", seed_body_size),
    Kind("title_size", "错误", "标题字号", seed_title_size),
    Kind("title_align", "错误", "标题未居中", seed_title_align),
    Kind("page_margins", "错误", "页边距", seed_margins),
    Kind("page_size", "错误", "纸张大小", seed_page_size, per_kind=3),
    Kind("line_pitch", "错误", "行距", seed_line_pitch),
    Kind("page_number_form", "错误", "页码格式", seed_page_number),
    Kind("halfwidth_punct", "错误", "半角标点", seed_halfwidth),
    Kind("doubled_char", "错误", "重复用字", seed_doubled),
    Kind("unpaired_bracket", "错误", "括号引号不成对", seed_unpaired),
    Kind("relative_date", "错误", "通知用相对时间词", seed_relative_date),
    Kind("placeholder", "错误", "未填占位符", seed_placeholder),
    Kind("misused_word", "错误", "错用词语", seed_misused, per_kind=5),
    Kind("weekday_wrong", "错误", "星期与日期不符", seed_weekday),
    Kind("number_usage", "提示", "数字用法", seed_number_usage),
    Kind("qingshi_multi_matter", "错误", "请示一文多事", seed_qingshi_matters, per_kind=3),
    Kind("qingshi_multi_recipient", "错误", "请示多头主送", seed_qingshi_recipients, per_kind=3),
    Kind("qingshi_no_closing", "错误", "请示缺结束语", seed_qingshi_closing, per_kind=3),
    Kind("attachment_mismatch", "错误", "附件说明与附件不符", seed_attachment),
    Kind("speech_with_header", "错误", "讲话稿加版头文号", seed_speech_header, per_kind=3),
]


# ============================================================================ output


MANIFEST_FIELDS = ["file", "correct", "kind", "description", "severity", "para", "seeded_text",
                   "scope", "base", "genre", "source", "notes"]


def order_key(kind: str, key: str) -> str:
    return hashlib.sha1(f"{kind}|{key}".encode()).hexdigest()


def write_doc(spec: Spec, path: Path, template: Path, seed: Seed | None = None) -> list:
    doc, placed = gw.render(spec, template)
    refs = [p.ref for p in placed]
    wanted = seed.targets if seed else []
    if spec.layout == "minutes":     # a 纪要 carries its date in the masthead
        wanted = ["minutes_issuer" if t == "date" else t for t in wanted]
    targets = [refs.index(t) for t in wanted if t in refs]
    if seed and seed.post:
        seed.post(doc, placed, targets)
    gw.save(doc, path)
    return targets


def build(out: Path, corpus: Path, bases: str = "default") -> list[dict]:
    template = corpus / TEMPLATE
    specs = load_heldout(corpus) if bases == "heldout" else load_correct(corpus)
    rows: list[dict] = []
    correct: list[Spec] = []
    for spec in specs:
        problems = screen(spec)
        if problems:
            print(f"跳过 {spec.key}（{spec.source}）: {problems[:3]}", file=sys.stderr)
            continue
        correct.append(spec)
        name = f"correct/{spec.key}.docx"
        write_doc(spec, out / name, template)
        rows.append(row(name, spec, notes=synth_notes(spec)))
    for kind in KINDS:
        used: set[str] = set()
        for v in range(kind.per_kind):
            for spec in sorted(correct, key=lambda s: order_key(kind.kind, s.key)):
                if spec.key in used:
                    continue
                seed = kind.make(spec, v)
                if seed is None:
                    continue
                name = f"seeded/{kind.kind}__{spec.key}.docx"
                targets = write_doc(seed.spec, out / name, template, seed)
                if seed.scope == "paragraph" and len(targets) < len(seed.targets):
                    raise RuntimeError(f"{name}: seeded paragraph not found {seed.targets}")
                rows.append(row(name, spec, kind=kind, seed=seed, targets=targets))
                used.add(spec.key)
                break
        if len(used) < 3:
            raise RuntimeError(f"{kind.kind}: only {len(used)} documents could take this error")
    return rows


def synth_notes(spec: Spec) -> str:
    notes = list(spec.added)
    if spec.template:
        notes.append("套用GB/T 9704 Word模板，整段的层次标题由模板自动编号")
    return "；".join(notes)


def row(name: str, spec: Spec, *, kind: Kind | None = None, seed: Seed | None = None,
        targets: list[int] | None = None, notes: str = "") -> dict:
    return {"file": name, "correct": "no" if kind else "yes",
            "kind": kind.kind if kind else "", "description": seed.description if seed else "",
            "severity": kind.severity if kind else "",
            "para": ";".join(str(t) for t in targets or []),
            "seeded_text": seed.snippet if seed else "", "scope": seed.scope if seed else "",
            "base": f"correct/{spec.key}.docx" if kind else "", "genre": spec.genre,
            "source": spec.source, "notes": notes}


def write_manifest(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def self_check(out: Path, rows: list[dict]) -> None:
    """Each seeded file differs from its correct base only where the manifest says, and the
    manifest's paragraph holds the seeded text."""
    import docx

    def texts(path: Path) -> list[str]:
        return [p.text for p in docx.Document(str(path)).paragraphs]

    for r in rows:
        if r["correct"] == "yes":
            continue
        seeded, base = texts(out / r["file"]), texts(out / r["base"])
        paras = [int(x) for x in r["para"].split(";") if x]
        if paras and not any(r["seeded_text"] in seeded[k].replace("\n", "") for k in paras):
            raise RuntimeError(f"{r['file']}: «{r['seeded_text']}» not in paragraphs {paras}")
        changed = [t for t in seeded if t and t not in base]
        if r["scope"] != "paragraph" and changed:
            raise RuntimeError(f"{r['file']}: text changed by a layout seed: {changed[:2]}")
        if len(changed) > 2 and r["kind"] != "heading_sequence":   # a skip renumbers the rest
            raise RuntimeError(f"{r['file']}: more than the seeded paragraphs changed: {changed}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成公文校核的植入错误评测集")
    ap.add_argument("out", type=Path, help="输出目录")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="共享语料目录")
    ap.add_argument("--bases", choices=["default", "heldout"], default="default",
                    help="正确文档取自哪些来源：default（原评测集）或 heldout（原评测集未用过的来源，见 heldout.py）")
    args = ap.parse_args(argv)
    if not (args.corpus / "state_council").is_dir():
        print(f"错误：找不到语料目录 {args.corpus}/state_council", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    rows = build(args.out, args.corpus, args.bases)
    self_check(args.out, rows)
    write_manifest(rows, args.out / "manifest.tsv")
    n_ok = sum(r["correct"] == "yes" for r in rows)
    print(f"{n_ok} 份正确文档，{len(rows) - n_ok} 份植入错误文档 → {args.out}/manifest.tsv",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
