"""版头 and 版记 rules (GB/T 9704-2012 §7.2, §7.4, §10): the red 发文机关标志 and separator line,
the 发文字号's form (〔〕, no 第, no leading zero, the year of the 成文日期), 签发人 on upward
documents, 份号, a speech without 版头, and the 版记's order and form (抄送 then 印发, 印发日期 not
before the 成文日期)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.check.docmodel import Para
from pipeline.check.findings import ERROR, HINT, Finding
from pipeline.check.fonts import family
from pipeline.check.registry import Context, found, rule
from pipeline.structure.footer import CC, ISSUED, KEYWORDS, MAIN_TO
from pipeline.structure.header import DOC_NUMBER
from pipeline.structure.normalise import clean_line
from pipeline.text.dates import CHINESE_DATE, find_date
from pipeline.text.numerals import digits

# a month or day written with a leading zero (2024年03月, 3月05日): 月、日不编虚位
LEADING_ZERO = re.compile(r"(?:19|20)\d{2}\s*年\s*0\d\s*月|月\s*0\d\s*日")


def written_date(ctx: Context) -> str | None:
    """The 成文日期 as ISO: the date line, else what the recogniser found (纪要: the masthead)."""
    if ctx.zones.date is not None:
        return find_date(ctx.zones.date.text)
    return ctx.zones.doc.date


# --- 版头 ----------------------------------------------------------------------------------


@rule("mark_red", "header", styled=True)
def mark_red(ctx: Context) -> Iterator[Finding]:
    """发文机关标志用红色。"""
    for para in ctx.zones.marks:
        if not para.red:
            yield found(para, ERROR, "发文机关标志不是红色", "发文机关标志用红色小标宋体字")


def _separator(ctx: Context) -> tuple[bool, bool]:
    """(a separator line is drawn under the 版头, it is red)."""
    header = ctx.zones.header
    last = header[-1]
    following = [p for p in ctx.model.paras if p.order > last.order][:2]
    colours = [p.borders.get("bottom") for p in header if "bottom" in p.borders]
    colours += [p.borders.get("top") for p in following if "top" in p.borders]
    if colours:
        return True, any(_red_hex(c) for c in colours)
    shapes = any(p.shape for p in header + following)
    return shapes, shapes


def _red_hex(colour: str | None) -> bool:
    if not colour or len(colour) != 6:
        return False
    try:
        r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0xB0 and g <= 0x60 and b <= 0x60


@rule("separator_line", "header", styled=True)
def separator_line(ctx: Context) -> Iterator[Finding]:
    """版头与主体之间有一条红色分隔线（发文字号之下4毫米）。"""
    zones = ctx.zones
    if not zones.has_header or ctx.genre == "讲话稿":
        return
    drawn, red = _separator(ctx)
    anchor = zones.doc_number or zones.header[-1]
    if not drawn:
        yield found(anchor, HINT if zones.minutes else ERROR, "版头之下没有红色分隔线",
                    "在发文字号之下4毫米处加一条与版心等宽的红色分隔线")
    elif not red:
        yield found(anchor, HINT, "版头分隔线不是红色", "将版头分隔线改为红色")


def _number_parts(text: str) -> tuple[str, str, str, str, str, str, str] | None:
    """(as written, 机关代字, opening bracket, year, closing bracket, 第, serial) of the 文号 the
    recogniser's pattern finds in ``text`` (it takes any brackets, or none, and a 第)."""
    match = DOC_NUMBER.search(text)
    if match is None:
        return None
    def between(a: int, b: int) -> str:
        return text[match.end(a):match.start(b)].strip()

    after_year = between(2, 3)
    di = "第" if after_year.endswith("第") else ""
    return (match.group(0), match.group(1), between(1, 2), match.group(2),
            after_year.removesuffix("第").strip(), di, match.group(3))


@rule("docnum_form", "header")
def docnum_form(ctx: Context) -> Iterator[Finding]:
    """发文字号：机关代字＋年份＋发文顺序号，年份用六角括号〔〕，不加“第”，序号不编虚位。"""
    para = ctx.zones.doc_number
    if para is None:
        return
    text = clean_line(para.text)
    parts = _number_parts(digits(text))
    if parts is None:
        return
    shown, code, opening, year, closing, di, serial = parts
    fixed = f"{code}〔{year}〕{int(serial)}号"
    if (opening, closing) != ("〔", "〕"):
        brackets = (opening + closing) or "无括号"
        yield found(para, ERROR, f"发文字号“{shown}”的年份用了“{brackets}”，应用六角括号〔〕",
                    f"改为“{fixed}”", text=shown, rule_id="docnum_brackets")
    if di:
        yield found(para, ERROR, f"发文字号“{shown}”的序号前加了“第”", f"改为“{fixed}”",
                    text=shown, rule_id="docnum_di")
    if serial.startswith("0"):
        yield found(para, ERROR, f"发文字号“{shown}”的序号编了虚位（前导零）", f"改为“{fixed}”",
                    text=shown, rule_id="docnum_leading_zero")
    written = written_date(ctx)
    if written and written[:4] != year:
        yield found(para, ERROR, f"发文字号“{shown}”的年份{year}与成文日期的年份{written[:4]}不一致",
                    f"发文字号的年份应为{written[:4]}", text=shown, rule_id="docnum_year")
    if text != digits(text):
        yield found(para, HINT, "发文字号中用了全角数字", "发文字号用半角阿拉伯数字", text=shown,
                    rule_id="docnum_digits")


@rule("docnum_position", "header", styled=True)
def docnum_position(ctx: Context) -> Iterator[Finding]:
    """发文字号居中（上行文居左空一字，与右侧的签发人同行）。"""
    para = ctx.zones.doc_number
    if para is None or ctx.genre == "函" or para not in ctx.zones.header:
        return
    if ctx.zones.signer is para:
        if para.align == "center":
            yield found(para, HINT, "上行文的发文字号居中了，应居左空一字，签发人居右空一字",
                        "发文字号左空一字，签发人右空一字，同处一行")
    elif ctx.zones.signer is None and para.align not in ("center", "right", None):
        # 信函格式 sets the 文号 right; otherwise it is centred
        yield found(para, HINT, "发文字号没有居中", "发文字号在发文机关标志下空二行居中编排")


@rule("signer_missing", "header")
def signer_missing(ctx: Context) -> Iterator[Finding]:
    """上行文（请示、报告）应标注签发人。"""
    zones = ctx.zones
    if zones.genre in ("请示", "报告") and zones.has_header and zones.signer is None:
        anchor = zones.doc_number or zones.header[-1]
        # a 请示 asks for a decision and must name who signed it; offices differ on 报告
        yield found(anchor, ERROR if zones.genre == "请示" else HINT, f"{zones.genre}是上行文，版头缺少签发人",
                    "在发文字号同一行右侧标注“签发人：”和签发人姓名（姓名用楷体）")


@rule("signer_font", "header", styled=True)
def signer_font(ctx: Context) -> Iterator[Finding]:
    """签发人姓名用三号楷体。"""
    para = ctx.zones.signer
    if para is None:
        return
    colon = max(para.text.find("："), para.text.find(":"))
    position, faces = 0, set()
    for run in para.runs:
        if position > colon and any("\u4e00" <= ch <= "\u9fff" for ch in run.text):
            faces.add(family(run.east_asia))
        position += len(run.text)
    if faces and faces != {"楷体"}:
        yield found(para, HINT, "签发人姓名不是楷体", "签发人姓名用三号楷体")


@rule("speech_header", "genre")
def speech_header(ctx: Context) -> Iterator[Finding]:
    """讲话稿不编排版头（发文机关标志、发文字号）。"""
    if ctx.genre != "讲话稿":
        return
    for para in ctx.zones.marks + ([ctx.zones.doc_number] if ctx.zones.doc_number else []):
        what = "发文字号" if para is ctx.zones.doc_number else "发文机关标志（红头）"
        yield found(para, ERROR, f"讲话稿不应编排版头，此处有{what}", "删去版头，讲话稿只有标题、日期和讲话人")


@rule("copy_number_form", "header")
def copy_number_form(ctx: Context) -> Iterator[Finding]:
    """份号用6位阿拉伯数字。"""
    for para in ctx.zones.top_marks:
        flat = re.sub(r"\s|份号[：:]?", "", clean_line(para.text))
        if flat.isdigit() and len(flat) != 6:
            yield found(para, ERROR, f"份号“{flat}”不是6位数字", f"份号用6位阿拉伯数字，如“{flat.zfill(6)[-6:]}”")


# --- 版记 ----------------------------------------------------------------------------------


def _banji(ctx: Context) -> tuple[list[Para], Para | None]:
    """(the 抄送 lines, the 印发 line)."""
    cc: list[Para] = []
    issued = None
    in_cc = False
    for para in ctx.zones.banji:
        text = clean_line(para.text)
        if CC.match(text):
            cc, in_cc = [para], True
        elif ISSUED.match(text) if "印" in text else None:
            issued, in_cc = para, False
        elif MAIN_TO.match(text):
            in_cc = False
        elif in_cc:
            cc.append(para)
    return cc, issued


@rule("banji_order", "footer")
def banji_order(ctx: Context) -> Iterator[Finding]:
    """版记中抄送机关在上，印发机关和印发日期在下。"""
    cc, issued = _banji(ctx)
    if cc and issued is not None and issued.order < cc[0].order:
        yield found(issued, ERROR, "版记中印发机关和印发日期排在了抄送机关之上",
                    "版记依次为抄送机关、印发机关和印发日期")


@rule("cc_form", "footer")
def cc_form(ctx: Context) -> Iterator[Finding]:
    """抄送：全角冒号，机关间用逗号，最后一个机关后标句号。"""
    cc, _ = _banji(ctx)
    if not cc:
        return
    first = clean_line(cc[0].text)
    if re.match(r"^抄\s*送\s*:", first):
        yield found(cc[0], ERROR, "“抄送”后用了半角冒号", "改为全角冒号“抄送：”")
    last = clean_line(cc[-1].text)
    if not last.endswith("。"):
        yield found(cc[-1], ERROR, "抄送机关最后没有标句号", "在最后一个抄送机关名称后标句号")


@rule("issued_form", "footer")
def issued_form(ctx: Context) -> Iterator[Finding]:
    """印发日期用阿拉伯数字，年份标全称，月、日不编虚位，后加“印发”。"""
    _, issued = _banji(ctx)
    if issued is None:
        return
    text = clean_line(issued.text)
    if CHINESE_DATE.search(text):
        yield found(issued, ERROR, "印发日期用了汉字数字", "印发日期用阿拉伯数字，如“2024年3月1日印发”")
    elif LEADING_ZERO.search(text):
        yield found(issued, ERROR, "印发日期的月或日编了虚位（前导零）", "月、日不编虚位，如“2024年3月1日”")


@rule("issued_before_written", "footer")
def issued_before_written(ctx: Context) -> Iterator[Finding]:
    """印发日期不能早于成文日期。"""
    _, issued = _banji(ctx)
    written = written_date(ctx)
    when = find_date(issued.text) if issued is not None else None
    if issued is not None and when and written and when < written:
        yield found(issued, ERROR, f"印发日期{when}早于成文日期{written}",
                    "核对印发日期：公文印发不能早于成文日期")


@rule("keywords_line", "footer")
def keywords_line(ctx: Context) -> Iterator[Finding]:
    """2012年起公文不再标注主题词。"""
    for para in ctx.zones.banji:
        if KEYWORDS.match(clean_line(para.text)):
            yield found(para, HINT, "版记中有“主题词”，GB/T 9704-2012起已取消", "删去主题词一行")


@rule("banji_last", "footer")
def banji_last(ctx: Context) -> Iterator[Finding]:
    """版记置于公文最后一页的末尾。"""
    banji = [p for p in ctx.zones.banji if p.where == "body"]
    if not banji:
        return
    after = [p for p in ctx.model.paras if p.order > banji[-1].order and p.text.strip()
             and p.where == "body"]
    if after:
        yield found(banji[-1], HINT, "版记之后还有内容，版记应在公文最后一页的末尾",
                    "把版记移到最后一页（附件之后）的末尾")
