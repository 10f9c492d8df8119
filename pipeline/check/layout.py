"""Layout rules (GB/T 9704-2012 §5, §7): A4, margins and 版心, 22 lines a page, the font and size
of each element, the title's alignment, page numbers (— 1 —, 4号宋体, odd pages right and even
pages left, one character in)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from pipeline.check.docmodel import Para, Run, Section, line_pitch
from pipeline.check.elements import HEADING_FAMILY, LEVEL_NAMES, Element, elements
from pipeline.check.findings import ERROR, HINT, Finding
from pipeline.check.fonts import GBT_FAMILIES, LATIN_NEUTRAL, describe, family
from pipeline.check.registry import Context, found, rule
from pipeline.layout.metrics import (
    FOOTER_PT,
    LINES_PER_PAGE,
    TEXT_HEIGHT_MM,
    TEXT_WIDTH_MM,
)

PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 297.0 - 37.0 - TEXT_HEIGHT_MM, "left": 28.0,
              "right": 210.0 - 28.0 - TEXT_WIDTH_MM}
MM_TOLERANCE = 1.0  # GB/T 9704 §5.2.1: 天头 37 mm ± 1 mm, 订口 28 mm ± 1 mm
SIZE_TOLERANCE = 0.25
TEXT_HEIGHT_PT = TEXT_HEIGHT_MM / 25.4 * 72
# 22 lines in the 225 mm block: a pitch that gives 21.9–23 lines passes
PITCH_RANGE = (TEXT_HEIGHT_PT / 23.0, TEXT_HEIGHT_PT / 21.9)
_SIDE_NAMES = {"top": "上", "bottom": "下", "left": "左", "right": "右"}


# --- page set-up ---------------------------------------------------------------------------


def _landscape(section: Section) -> bool:
    return bool(section.width_mm and section.height_mm and section.width_mm > section.height_mm)


@rule("page_size", "layout", styled=True)
def page_size(ctx: Context) -> Iterator[Finding]:
    """纸张应为A4（210毫米×297毫米）。"""
    for number, section in enumerate(ctx.model.sections, start=1):
        if section.width_mm is None or section.height_mm is None:
            continue
        size = sorted((section.width_mm, section.height_mm))
        if abs(size[0] - PAGE_MM[0]) > MM_TOLERANCE or abs(size[1] - PAGE_MM[1]) > MM_TOLERANCE:
            yield found(None, ERROR,
                        f"纸张大小为{section.width_mm:.0f}×{section.height_mm:.0f}毫米，不是A4（210×297毫米）",
                        "页面设置中将纸张改为A4", part=_section_part(ctx, number))


@rule("page_margins", "layout", styled=True)
def page_margins(ctx: Context) -> Iterator[Finding]:
    """页边距：上37、下35、左28、右26毫米，版心156×225毫米。"""
    for number, section in enumerate(ctx.model.sections, start=1):
        if _landscape(section) or section.top_mm is None:
            continue
        actual = {"top": section.top_mm, "bottom": section.bottom_mm,
                  "left": (section.left_mm or 0) + section.gutter_mm, "right": section.right_mm}
        wrong = [side for side, want in MARGINS_MM.items()
                 if actual[side] is None or abs(actual[side] - want) > MM_TOLERANCE]
        if wrong:
            now = "、".join(f"{_SIDE_NAMES[s]}{actual[s] or 0:.1f}" for s in wrong)
            want = "、".join(f"{_SIDE_NAMES[s]}{MARGINS_MM[s]:.0f}" for s in wrong)
            yield found(None, ERROR, f"页边距不符合版心要求：{now}毫米（应为{want}毫米，版心156×225毫米）",
                        "页面设置中将页边距设为上37毫米、下35毫米、左28毫米、右26毫米",
                        part=_section_part(ctx, number))


def _section_part(ctx: Context, number: int) -> str:
    return "页面设置" if len(ctx.model.sections) == 1 else f"页面设置（第{number}节）"


def _pitch_words(para: Para, section: Section | None) -> str:
    if para.line_rule == "exact":
        return f"行距为固定值{para.line_value:g}磅"
    if para.line_rule == "atLeast":
        return f"行距为最小值{para.line_value:g}磅"
    multiple = para.line_value or 1.0
    words = "单倍行距" if abs(multiple - 1) < 0.01 else f"{multiple:g}倍行距"
    if section and section.grid_type in ("lines", "linesAndChars") and para.snap and section.grid_pitch_pt:
        words += f"（文档网格每行{section.grid_pitch_pt:g}磅）"
    return words


@rule("line_pitch", "layout", styled=True)
def line_pitch_rule(ctx: Context) -> Iterator[Finding]:
    """正文每页22行：行距约28.95磅（固定值，或单倍行距对齐每行28.95磅的文档网格）。"""
    sections = ctx.model.sections
    groups: dict[str, list[tuple[Para, float]]] = defaultdict(list)
    for para in _gridded_text(ctx):
        section = sections[min(para.section, len(sections) - 1)] if sections else None
        pitch = line_pitch(para, section)
        if not PITCH_RANGE[0] <= pitch <= PITCH_RANGE[1]:
            groups[_pitch_words(para, section)].append((para, pitch))
    for words, paras in groups.items():
        first, pitch = paras[0]
        count = f"等{len(paras)}段" if len(paras) > 1 else ""
        yield found(first, ERROR,
                    f"正文{words}{count}，每行约{pitch:.1f}磅、每页约{TEXT_HEIGHT_PT / pitch:.0f}行，"
                    f"不是每页{LINES_PER_PAGE}行",
                    "将行距设为固定值28.95磅（或单倍行距并使用每页22行的文档网格）")


def _gridded_text(ctx: Context) -> list[Para]:
    zones = ctx.zones
    paras = [p for p in (zones.recipient, zones.salutation, zones.date) if p is not None]
    paras += zones.body + zones.attach_note + zones.signature
    return [p for p in paras if p.where == "body" and p.text.strip()]


# --- fonts and sizes of the elements -------------------------------------------------------------


def _covers(runs: list[Run], start: int, end: int) -> Iterator[tuple[Run, str]]:
    """Each run with the part of its text that lies in characters ``start``..``end``."""
    position = 0
    for run in runs:
        text = run.text
        low, high = max(start, position), min(end, position + len(text))
        if low < high:
            yield run, text[low - position : high - position]
        position += len(text)


def _chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _font_problems(element: Element) -> list[tuple[str, str, str, str]]:
    """(what, face, expected family, severity) of the runs set in another family.

    A heading's number and first sentence may be in the level's face or the body's (offices
    differ on how far the 黑体 reaches), but the heading must start in the level's face; the
    rest of the paragraph is body text."""
    label = len(element.para.label)
    problems: dict[tuple[str, str], tuple[str, str, str, str]] = {}

    def note(what: str, face: str | None, families: tuple[str, ...], severity: str) -> None:
        if family(face) in families:
            return
        if what != element.name and family(face) in GBT_FAMILIES:
            severity = HINT  # a heading in another of the standard's faces: a slip of level
        problems.setdefault((what, describe(face)), (what, describe(face), "或".join(families), severity))

    end = element.heading[1] if element.heading else 0
    if element.heading:
        level = element.heading[0]
        what, own = LEVEL_NAMES[level], HEADING_FAMILY[level]
        heading_runs = [(run, text) for run, text in _covers(element.para.runs, 0, max(0, end - label))
                        if _chinese(text)]
        if heading_runs:
            note(what, heading_runs[0][0].east_asia, (own,), ERROR)
        for run, _ in heading_runs[1:]:
            note(what, run.east_asia, (own, *element.families), ERROR)
    for run, text in _covers(element.para.runs, max(0, end - label), 10**9):
        if _chinese(text):
            note(element.name, run.east_asia, element.families, element.severity)
    return list(problems.values())


@rule("font_family", "layout", styled=True)
def font_family(ctx: Context) -> Iterator[Finding]:
    """各要素字体：标题小标宋，正文仿宋，一级标题黑体，二级标题楷体，三、四级标题仿宋。"""
    groups: dict[tuple[str, str, str, str], list[Para]] = defaultdict(list)
    for element in elements(ctx.zones):
        for problem in _font_problems(element):
            groups[problem].append(element.para)
    for (what, face, want, severity), paras in groups.items():
        yield found(paras[0], severity, f"{what}字体为{face}{_more(paras)}，应为{want}",
                    f"将{what}改为{want}（如{_face_example(want)}）")


def _more(paras: list[Para]) -> str:
    """“（等N段）” when a finding stands for several paragraphs (located at the first)."""
    return f"（此段等{len(paras)}段）" if len(paras) > 1 else ""


def _face_example(want: str) -> str:
    return {"小标宋": "方正小标宋简体", "仿宋": "仿宋_GB2312", "楷体": "楷体_GB2312", "黑体": "黑体"}.get(
        want.split("或")[0], want)


SIZE_NAMES = {42: "初号", 26: "一号", 24: "小一", 22: "二号", 18: "小二", 16: "三号", 15: "小三", 14: "四号",
              12: "小四", 10.5: "五号"}


def _size_name(points: float) -> str:
    return SIZE_NAMES.get(points, f"{points:g}磅")


@rule("font_size", "layout", styled=True)
def font_size(ctx: Context) -> Iterator[Finding]:
    """字号：标题二号（22磅），正文和各级标题三号（16磅），版记和页码四号（14磅）。"""
    groups: dict[tuple[str, tuple[float, ...], float, str], list[Para]] = defaultdict(list)
    for element in elements(ctx.zones):
        if element.size is None:
            continue
        sizes = {run.size for run in element.para.runs if _chinese(run.text) and run.size is not None}
        wrong = tuple(sorted(s for s in sizes if abs(s - element.size) > SIZE_TOLERANCE))
        if wrong:
            groups[(element.name, wrong, element.size, element.severity)].append(element.para)
    for (name, wrong, want, severity), paras in groups.items():
        now = "、".join(f"{_size_name(s)}（{s:g}磅）" for s in wrong)
        yield found(paras[0], severity,
                    f"{name}字号为{now}{_more(paras)}，应为{_size_name(want)}（{want:g}磅）",
                    f"将{name}字号改为{_size_name(want)}")


@rule("font_undeclared", "layout", styled=True)
def font_undeclared(ctx: Context) -> Iterator[Finding]:
    """文字未声明中文字体，或只引用主题字体：打开时会以别的字体显示。"""
    paras = [p for p in ctx.model.paras if p.where == "body"
             and any(_chinese(r.text) and not r.declared for r in p.runs)]
    if paras:
        faces = {r.east_asia for p in paras for r in p.runs if _chinese(r.text) and not r.declared}
        shown = "、".join(sorted(f for f in faces if f)) or "默认字体"
        count = f"等{len(paras)}段" if len(paras) > 1 else ""
        yield found(paras[0], HINT, f"此段{count}文字未指定中文字体，将以{shown}显示（字体被替换）",
                    "为文字明确指定公文字体（如仿宋_GB2312），不要依赖主题或默认字体")


_FULL_PUNCT = set("，。、；：？！“”‘’（）《》〔〕【】—…·")


def _odd_face(run: Run, families: tuple[str, ...]) -> str | None:
    """The face digits, letters or punctuation of ``run`` are drawn in, when it is not the text's."""
    if any(ch in _FULL_PUNCT for ch in run.text) and not _chinese(run.text):
        face = run.east_asia  # full-width punctuation is drawn in the East Asian face
        return face if face and family(face) not in families else None
    if any(ch.isascii() and ch.isalnum() for ch in run.text) and run.latin:
        face = run.latin
        return face if family(face) not in families and face.lower() not in LATIN_NEUTRAL else None
    return None


@rule("digit_font", "layout", styled=True)
def digit_font(ctx: Context) -> Iterator[Finding]:
    """数字、字母和标点的字体与所在文字一致（数字、字母也可用Times New Roman）。"""
    faces: dict[str, list[Para]] = defaultdict(list)
    for element in elements(ctx.zones):
        if element.name not in ("正文", "主送机关", "署名和成文日期", "附件说明"):
            continue
        families = element.families + ((HEADING_FAMILY[element.heading[0]],) if element.heading else ())
        for run in element.para.runs:
            face = _odd_face(run, families)
            if face and element.para not in faces[face]:
                faces[face].append(element.para)
    for face, paras in faces.items():
        count = f"等{len(paras)}段" if len(paras) > 1 else ""
        yield found(paras[0], HINT, f"此段{count}的数字、字母或标点字体为{face}，与所在文字的字体不一致（字体被替换）",
                    "将数字、字母和标点的字体设为与文字相同的公文字体（数字、字母也可用Times New Roman）")


# --- alignment ---------------------------------------------------------------------------------


@rule("title_align", "layout", styled=True)
def title_align(ctx: Context) -> Iterator[Finding]:
    """标题居中排布，不缩进。"""
    for para in ctx.zones.title:
        if para.align is not None and para.align != "center":
            words = {"left": "左对齐", "right": "右对齐", "justify": "两端对齐"}.get(para.align, para.align)
            yield found(para, ERROR, f"标题{words}，应居中", "将标题设为居中，去掉缩进")
        elif ctx.model.styled and (abs(para.first_chars) > 0.5 or abs(para.left_chars - para.right_chars) > 0.5):
            yield found(para, ERROR, "标题有缩进，居中后偏离版心中线",
                        "去掉标题的首行缩进和左右缩进，居中排布")


@rule("body_indent", "layout", styled=True)
def body_indent(ctx: Context) -> Iterator[Finding]:
    """正文段落首行缩进二字。"""
    off = [p for p in ctx.zones.body if p.where == "body" and abs(p.first_chars - 2) > 0.3
           and abs(p.left_chars) < 0.3 and p.align != "center"]
    if off:
        count = f"等{len(off)}段" if len(off) > 1 else ""
        yield found(off[0], HINT, f"正文首行缩进{round(off[0].first_chars, 1):g}字{count}，应缩进2字",
                    "将正文段落设为首行缩进2字符")


@rule("recipient_indent", "layout", styled=True)
def recipient_indent(ctx: Context) -> Iterator[Finding]:
    """主送机关顶格编排。"""
    para = ctx.zones.recipient
    if para is not None and (para.first_chars > 0.3 or para.left_chars > 0.3):
        yield found(para, HINT, "主送机关没有顶格", "去掉主送机关的缩进，左侧顶格")


@rule("date_position", "layout", styled=True)
def date_position(ctx: Context) -> Iterator[Finding]:
    """成文日期一般右空四字编排。"""
    para = ctx.zones.date
    if para is None or para.where != "body":
        return
    if para.align not in ("right",) and para.left_chars < 10:
        yield found(para, HINT, "成文日期没有居右编排", "成文日期右对齐并右空四字，署名以成文日期为准居中")
    elif para.align == "right" and not 1.5 <= para.right_chars <= 6:
        yield found(para, HINT, f"成文日期右空{round(para.right_chars, 1):g}字，一般应右空四字",
                    "将成文日期设为右缩进4字符")


# --- page numbers -----------------------------------------------------------------------------


_DASHES = "—―"


def _page_form_ok(text: str) -> bool:
    compact = text.replace(" ", "").replace("\u3000", "").replace("\t", "")
    return (len(compact) == 5 and compact[0] in _DASHES and compact[-1] in _DASHES
            and compact[1:-1] == "{页}")


@rule("page_number", "layout", styled=True)
def page_number(ctx: Context) -> Iterator[Finding]:
    """页码用4号半角宋体阿拉伯数字，两边各一条一字线（— 1 —），单页居右、双页居左，各空一字。"""
    lines = [line for line in ctx.model.footers if line.has_page]
    formal = ctx.zones.has_header or ctx.genre not in ("讲话稿", "工作总结", "工作计划", None)
    if not lines:
        yield found(None, ERROR if formal else HINT, "没有页码（页脚中没有页码域）",
                    "在页脚插入页码，格式为“— 1 —”", part="页脚")
        return
    formats = {s.page_format for s in ctx.model.sections} - {None, "decimal", "numberInDash"}
    if formats:
        yield found(None, ERROR, f"页码不是阿拉伯数字（页码格式为{'、'.join(sorted(formats))}）",
                    "页码用4号半角宋体阿拉伯数字", part="页脚")
    seen: set[str] = set()
    for line in lines:
        shown = line.text.replace("{页}", "1").strip()
        if shown in seen:  # odd and even footers alike: one finding
            continue
        seen.add(shown)
        if not _page_form_ok(line.text):
            yield found(None, ERROR, f"页码格式为“{shown}”，应为“— 1 —”（数码两侧各一条一字线）",
                        "将页码改为“— 1 —”形式：数码左右各放一条一字线", part="页脚", text=shown)
        sizes = {r.size for r in line.runs if r.size and r.text.strip()}
        faces = {family(r.east_asia or r.latin) for r in line.runs if r.text.strip()}
        if sizes and any(abs(s - FOOTER_PT) > SIZE_TOLERANCE for s in sizes):
            yield found(None, HINT, f"页码字号为{'、'.join(f'{s:g}磅' for s in sorted(sizes))}，应为四号（14磅）",
                        "将页码设为4号半角宋体", part="页脚", text=shown)
        elif faces and faces != {"宋体"}:
            yield found(None, HINT, "页码字体不是宋体", "将页码设为4号半角宋体", part="页脚", text=shown)
    yield from _page_sides(ctx, lines)


def _page_sides(ctx: Context, lines: list) -> Iterator[Finding]:
    kinds = {line.kind: line for line in lines}
    if not ctx.model.even_odd:
        line = lines[0]
        yield found(None, HINT, "页码没有区分单双页（应单页居右、双页居左）",
                    "在页眉页脚设置中勾选“奇偶页不同”，单页页码居右空一字，双页居左空一字",
                    part="页脚", text=line.text.replace("{页}", "1").strip())
        return
    odd, even = kinds.get("odd"), kinds.get("even")
    if odd is not None and odd.align not in ("right",):
        yield found(None, HINT, "单页页码没有居右", "单页页码居右空一字", part="页脚（单页）")
    if even is not None and even.align not in ("left", None):
        yield found(None, HINT, "双页页码没有居左", "双页页码居左空一字", part="页脚（双页）")

