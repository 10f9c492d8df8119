"""Text rules on the GB/T 9704 elements: the title's form, the 主送's colon, the heading numbers
(一、 （一） 1. （1）: in order, none skipped, none in another level's form), the 附件说明 and the
attachments it announces, and the 成文日期 in Arabic numerals without leading zeros."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.check.docmodel import Para
from pipeline.check.elements import HEADING_MARKERS
from pipeline.check.findings import ERROR, HINT, Finding, excerpt
from pipeline.check.frame import LEADING_ZERO
from pipeline.check.registry import Context, found, rule
from pipeline.classify.genre import title_genre
from pipeline.structure.body import ATTACH_ITEM, ATTACH_NOTE, CHAPTER
from pipeline.structure.header import MASTHEAD
from pipeline.structure.lines import GENRE_END
from pipeline.structure.normalise import clean_line, close_up
from pipeline.text.dates import CHINESE_DATE
from pipeline.text.numerals import to_chinese, to_int

STATUTORY = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示",
             "批复", "议案", "函", "纪要")
TITLE_END_PUNCT = "。，；：！？、.,;:!?"
TITLE_ALLOWED = "《》〈〉“”‘’（）()〔〕、—·-"


# --- title ---------------------------------------------------------------------------------


@rule("title_punct", "text")
def title_punct(ctx: Context) -> Iterator[Finding]:
    """标题末尾不用标点；标题中除书名号、顿号、引号、括号外一般不用标点。"""
    title = ctx.zones.title_text
    if not title:
        return
    first, last = ctx.zones.title[0], ctx.zones.title[-1]
    if title[-1] in TITLE_END_PUNCT:
        yield found(last, ERROR, f"标题末尾用了标点“{title[-1]}”", "删去标题末尾的标点",
                    text=title, rule_id="title_end_punct")
    inner = sorted({ch for ch in title[:-1] if ch in TITLE_END_PUNCT and ch != "、"})
    if inner:
        yield found(first, HINT, f"标题中用了标点“{''.join(inner)}”", "标题中一般只用书名号、顿号、引号和括号",
                    text=title)


def _statutory_document(ctx: Context) -> bool:
    return ctx.zones.has_header or ctx.genre in STATUTORY


@rule("title_form", "text")
def title_form(ctx: Context) -> Iterator[Finding]:
    """标题由发文机关、事由和文种组成（“……关于……的通知”），末尾是文种，不混用文种。"""
    title = ctx.zones.title_text.rstrip(TITLE_END_PUNCT)
    if not title or ctx.genre in ("讲话稿", "简报") or ctx.zones.bulletin:
        return
    first = ctx.zones.title[0]
    if re.search(r"请示报告$|报告请示$", title):
        yield found(first, ERROR, "标题文种“请示报告”混用了请示和报告", "请示和报告分开行文，标题以“请示”或“报告”结尾",
                    text=title)
        return
    if not (title_genre(title) or GENRE_END.search(title)):
        yield found(first, ERROR if _statutory_document(ctx) else HINT,
                    "标题末尾没有文种（如“……的通知”“……的请示”）",
                    "标题应由发文机关名称、事由和文种组成，以文种结尾", text=title)
        return
    # a 函 issues too, to organs that are not under the sender (国办函 …关于印发……的函)
    if re.search(r"关于(?:印发|转发|批转)", title) and not title.endswith(("通知", "函")):
        yield found(first, ERROR, "印发、转发、批转文件的标题应以“的通知”（或“的函”）结尾",
                    "改为“关于印发……的通知”", text=title)
    about = title.find("关于")
    if about >= 0 and "的" not in title[about:]:
        yield found(first, HINT, "标题用了“关于”却没有“……的”与文种相接", "标题一般为“关于……的（文种）”",
                    text=title)


# --- 主送 ----------------------------------------------------------------------------------


@rule("recipient_colon", "text")
def recipient_colon(ctx: Context) -> Iterator[Finding]:
    """主送机关（讲话稿的称呼）后用全角冒号。"""
    for para, what in ((ctx.zones.recipient, "主送机关"), (ctx.zones.salutation, "称呼")):
        if para is None:
            continue
        text = clean_line(para.text)
        if text.endswith(":"):
            yield found(para, ERROR, f"{what}后用了半角冒号“:”", f"{what}后用全角冒号“：”")
        elif not text.endswith("："):
            yield found(para, ERROR, f"{what}后缺少冒号", f"在{what}最后加全角冒号“：”")


# --- heading numbers -------------------------------------------------------------------------


_GLUED_ITEM = re.compile(r"^(\d{1,3})[.．](?=\d)")


@dataclass
class Numbered:
    para: Para
    level: int
    number: int
    marker: str


def marker_text(level: int, number: int) -> str:
    cn = to_chinese(number)
    return {1: f"{cn}、", 2: f"（{cn}）", 3: f"{number}.", 4: f"（{number}）"}[level]


def numbered(paras: list[Para]) -> list[Numbered]:
    """Paragraphs that start with a heading number; a regulation's articles (第X条) have none."""
    if sum(1 for p in paras if re.match(r"^\s*第[一二三四五六七八九十百零〇\d]+条", p.text)) >= 3:
        return []
    found_: list[Numbered] = []
    last_item = 0  # the last 1. 2. number: "8.6个项目" after "7." is item 8, not 8.6
    for para in paras:
        text = clean_line(para.text)
        if CHAPTER.match(text):
            continue
        for level, pattern in HEADING_MARKERS:
            match = pattern.match(text)
            value = to_int(match.group(1)) if match else None
            if value:
                found_.append(Numbered(para, level, value, text[: match.end()]))
                last_item = value if level == 3 else last_item
                break
        else:
            glued = _GLUED_ITEM.match(text)
            if glued and int(glued.group(1)) == last_item + 1 and last_item:
                last_item += 1
                found_.append(Numbered(para, 3, last_item, glued.group(0)))
    return found_


class _Outline:
    """The last number seen at each level and which levels have started under the current
    parent. A level's numbers may start again at 1 or run on across parents (both are used)."""

    def __init__(self) -> None:
        self.last: dict[int, int] = {}
        self.started: set[int] = set()

    def copy(self) -> _Outline:
        twin = _Outline()
        twin.last, twin.started = dict(self.last), set(self.started)
        return twin

    def fits(self, level: int, number: int) -> bool:
        return number == 1 or number == self.last.get(level, 0) + 1

    def continues(self, level: int, number: int) -> bool:
        """The next number of a run already started under the same parent."""
        return level in self.started and number == self.last.get(level, 0) + 1

    def take(self, level: int, number: int) -> None:
        self.last[level] = number
        self.started = {lv for lv in self.started if lv <= level} | {level}


def _anomalies(items: list[Numbered], outline: _Outline, look: int = 4) -> int:
    count = 0
    for item in items[:look]:
        if not outline.fits(item.level, item.number):
            count += 1
        outline.take(item.level, item.number)
    return count


def _reading(outline: _Outline, item: Numbered, rest: list[Numbered], previous: int | None
             ) -> tuple[str, int]:
    """How to read a heading that does not simply continue its run: ("ok"|"skip"|"mix", level),
    whichever leaves the fewest anomalies in the headings after it."""
    level, number = item.level, item.number
    options: list[tuple[int, int, str, int]] = []  # (anomalies, preference, kind, level)
    here = outline.copy()
    here.take(level, number)
    fits = outline.fits(level, number)
    options.append(((0 if fits else 1) + _anomalies(rest, here), 1, "ok" if fits else "skip", level))
    if number > 1:
        for other in (1, 2, 3, 4):
            if other != level and outline.last.get(other, -1) + 1 == number:
                mixed = outline.copy()
                mixed.take(other, number)
                # a tie goes to the mix when the heading follows its would-be sibling directly
                preference = 0 if previous == other and level > other else 2
                options.append((1 + _anomalies(rest, mixed), preference, "mix", other))
    _, _, kind, chosen = min(options)
    return kind, chosen


def heading_findings(items: list[Numbered]) -> Iterator[Finding]:
    outline = _Outline()
    previous: int | None = None
    for position, item in enumerate(items):
        level, number = item.level, item.number
        if outline.continues(level, number) or (number == 1 and outline.fits(level, number)):
            kind, chosen = "ok", level
        else:
            kind, chosen = _reading(outline, item, items[position + 1 :], previous)
        if kind == "mix":
            right = marker_text(chosen, number)
            yield found(item.para, ERROR, f"标题序号层级混用：“{item.marker}”处按上下文应为“{right}”",
                        f"改为“{right}”，同一层级用同一种序号", text=item.para.text,
                        rule_id="heading_level_mix")
        elif kind == "skip":
            expected = outline.last.get(level, 0) + 1
            if number > expected:
                message = f"标题序号不连续：“{item.marker}”之前缺少“{marker_text(level, expected)}”"
            else:
                message = f"标题序号重复或颠倒：“{item.marker}”排在“{marker_text(level, expected - 1)}”之后"
            yield found(item.para, ERROR, message, "按“一、（一）1.（1）”逐级顺序编号",
                        text=item.para.text, rule_id="heading_sequence")
        outline.take(chosen, number)
        previous = chosen


@rule("heading_numbers", "text")
def heading_numbers(ctx: Context) -> Iterator[Finding]:
    """结构层次序数依次为“一、”“（一）”“1.”“（1）”，同级序号连续，不跳号、不颠倒、不混用层级。"""
    units = [ctx.zones.body] + [a.body for a in ctx.zones.attachments]
    for paras in units:
        items = numbered(paras)
        yield from heading_findings(items)
        for item in items:
            if item.level == 3 and item.marker.endswith("、"):
                yield found(item.para, HINT, f"阿拉伯数字序号后用了顿号“{item.marker}”",
                            f"改为“{item.number}.”（阿拉伯数字序号后用下脚点）", rule_id="heading_form")


# --- 附件说明 and attachments ------------------------------------------------------------------


def listed_attachments(paras: list[Para]) -> list[tuple[Para, str, str | None]]:
    """(paragraph, name, its number as written) of each attachment the 附件说明 names."""
    items: list[tuple[Para, str, str | None]] = []
    for index, para in enumerate(paras):
        text = clean_line(para.text)
        note = ATTACH_NOTE.match(text) if index == 0 else None
        body = (note.group(1) or note.group(2) or "") if note else text
        item = ATTACH_ITEM.match(body.strip())
        if item:
            items.append((para, item.group(2).strip(), item.group(1)))
        elif body.strip() and (index == 0 or not items):
            items.append((para, body.strip(), None))
        elif body.strip() and items:
            last = items[-1]
            items[-1] = (last[0], last[1] + close_up(body), last[2])  # a wrapped name
    return items


@rule("attachment_note_form", "text")
def attachment_note_form(ctx: Context) -> Iterator[Finding]:
    """附件说明：“附件：”用全角冒号，多个附件用阿拉伯数字编号，名称后不加标点。"""
    paras = ctx.zones.attach_note
    if not paras:
        return
    first = clean_line(paras[0].text)
    if re.match(r"^附\s*件\s*:", first):
        yield found(paras[0], ERROR, "附件说明“附件”后用了半角冒号", "改为全角冒号“附件：”")
    items = listed_attachments(paras)
    for para, name, _ in items:
        if name and name[-1] in "。；;，,.":
            yield found(para, ERROR, f"附件名称“{name}”后加了标点", "附件名称后不加标点")
    if len(items) > 1 and any(number is None for _, _, number in items):
        yield found(paras[0], HINT, "有多个附件时应用阿拉伯数字编号（如“附件：1.……”）", "给每个附件名称编号")


def _label_number(para: Para) -> int | None:
    match = re.match(r"^附\s*件\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?", clean_line(para.text))
    if not match:
        return None
    return to_int(match.group(1)) if match.group(1) else 0


def _similar(a: str, b: str) -> bool:
    a, b = (re.sub(r"[\s《》“”\"（）()。]", "", x) for x in (a, b))
    if not a or not b or a in b or b in a:
        return True
    grams = lambda s: {s[i : i + 2] for i in range(len(s) - 1)}
    ga, gb = grams(a), grams(b)
    return len(ga & gb) / max(1, len(ga | gb)) >= 0.5


@rule("attachment_match", "text")
def attachment_match(ctx: Context) -> Iterator[Finding]:
    """附件另面编排，“附件”标识和顺序号、附件标题与附件说明一致。"""
    listed = listed_attachments(ctx.zones.attach_note)
    attached = [a for a in ctx.zones.attachments if a.label is not None]
    if not listed:
        if attached:
            yield found(attached[0].label, ERROR, "正文之后有附件，但正文没有附件说明",
                        "在正文下空一行左空二字编排“附件：”和附件名称")
        return
    if not attached:
        yield found(listed[0][0], ERROR, f"附件说明列出{len(listed)}个附件，但成文日期之后没有附件",
                    "将附件另起一页附在正文之后，或删去附件说明")
        return
    numbers = {_label_number(a.label): a for a in attached}
    expected = list(range(1, len(listed) + 1)) if len(listed) > 1 else [0, 1]
    for number, attachment in numbers.items():
        if number not in expected:
            yield found(attachment.label, ERROR,
                        f"附件标识“{clean_line(attachment.label.text)}”与附件说明不符（附件说明共{len(listed)}个附件）",
                        "附件标识的顺序号应与附件说明一致")
    for position, (para, name, _) in enumerate(listed, start=1):
        keys = [position] if len(listed) > 1 else [0, 1]
        attachment = next((numbers[k] for k in keys if k in numbers), None)
        if attachment is None:
            yield found(para, ERROR, f"附件说明中的“{excerpt(name, width=24)}”在正文后没有对应的附件",
                        "补上该附件，或从附件说明中删去")
        elif attachment.title and not _similar(name, "".join(p.text for p in attachment.title)):
            yield found(attachment.title[0], ERROR,
                        f"附件标题与附件说明中的名称“{excerpt(name, width=24)}”不一致", "使附件标题与附件说明一致")
    for attachment in attached:
        if ctx.model.styled and not attachment.label.page_break_before and _same_page(ctx, attachment.label):
            yield found(attachment.label, HINT, "附件没有另起一页", "附件应另面编排（在“附件”标识前插入分页）")


def _same_page(ctx: Context, label: Para) -> bool:
    before = [p for p in ctx.model.paras if p.order < label.order and p.text.strip()]
    return bool(before) and before[-1].page == label.page


# --- dates ---------------------------------------------------------------------------------


@rule("date_form", "text")
def date_form(ctx: Context) -> Iterator[Finding]:
    """成文日期用阿拉伯数字将年、月、日标全，月、日不编虚位（纪要格式的成文日期在版头）。"""
    mastheads = [p for p in ctx.zones.top_marks if MASTHEAD.match(clean_line(p.text))]
    for para in [p for p in (ctx.zones.date,) if p is not None] + mastheads:
        text = clean_line(para.text)
        if CHINESE_DATE.search(text):
            yield found(para, ERROR, "成文日期用了汉字数字", "成文日期用阿拉伯数字，如“2024年3月1日”",
                        rule_id="date_chinese_numerals")
        elif LEADING_ZERO.search(text):
            yield found(para, ERROR, "成文日期的月或日编了虚位（如“03月”）", "月、日不编虚位，如“2024年3月1日”",
                        rule_id="date_leading_zero")
    for para in ctx.zones.under_title:
        text = clean_line(para.text)
        if CHINESE_DATE.search(text):
            yield found(para, HINT, "日期用了汉字数字", "日期一般用阿拉伯数字", rule_id="date_chinese_numerals")
        elif LEADING_ZERO.search(text):
            yield found(para, HINT, "日期的月或日编了虚位", "月、日不编虚位", rule_id="date_leading_zero")
    for para in ctx.zones.main_text():
        match = LEADING_ZERO.search(clean_line(para.text))
        if match:
            yield found(para, HINT, f"日期“{match.group(0)}”编了虚位", "月、日不编虚位",
                        rule_id="date_leading_zero")
