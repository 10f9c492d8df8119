"""Rules on the running text: GB/T 15834 punctuation (full-width in Chinese text, brackets and
quotes in pairs), doubled characters (的的), unfilled placeholders (XX, ××, 【待填】), relative
dates (今天, 明天), weekdays that do not match their date, dates that do not exist, and GB/T 15835
numerals (counts above ten in Arabic numerals)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from pipeline.check.docmodel import Para, is_cjk
from pipeline.check.findings import ERROR, HINT, Finding, excerpt
from pipeline.check.frame import written_date
from pipeline.check.lexicon import dictionary
from pipeline.check.registry import Context, found, rule
from pipeline.structure.normalise import clean_line
from pipeline.text.dates import DAY, MONTH, YEAR
from pipeline.text.numerals import to_int

# --- which text the rules read -------------------------------------------------------------------


def units(ctx: Context, title: bool = True) -> list[tuple[Para, str]]:
    """(first paragraph, text) of each unit of running text; the title's lines are one unit."""
    zones = ctx.zones
    found_: list[tuple[Para, str]] = []
    if title and zones.title:
        found_.append((zones.title[0], "".join(p.text.replace("\n", "") for p in zones.title)))
    paras = zones.under_title + zones.main_text() + zones.meeting + zones.attach_note
    paras += zones.signature + [p for p in (zones.date, zones.note) if p is not None]
    for attachment in zones.attachments:
        paras += attachment.title
    paras += zones.banji + zones.tables
    found_ += [(p, p.text.replace("\n", "")) for p in sorted(paras, key=lambda p: p.order)]
    return found_


# --- half-width punctuation ---------------------------------------------------------------------

_HALF = re.compile(r"[,;:?!.()\"]")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")


def _chinese_side(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (bool(before) and is_cjk(before)) or (bool(after) and is_cjk(after))


def _half_marks(text: str) -> list[int]:
    """Positions of half-width marks standing in Chinese text (not in URLs, times, numbers)."""
    spans = [m.span() for m in _URL.finditer(text)]
    marks = []
    for match in _HALF.finditer(text):
        i, ch = match.start(), match.group()
        if any(a <= i < b for a, b in spans) or not _chinese_side(text, i):
            continue
        before, after = text[i - 1: i], text[i + 1: i + 2]
        if ch in ":." and before.isdigit() and after.isdigit():
            continue  # 9:30, 1.5
        if ch == "." and not (before and is_cjk(before) and (not after or is_cjk(after) or after == " ")):
            continue  # 1. heading numbers, abbreviations
        marks.append(i)
    return marks


# a label's colon that its own rule reports (主送, 附件, 抄送, 纪要's 出席 …)
_LABEL_COLON = re.compile(r"^\s*(?:附\s*件|抄\s*送|[\u4e00-\u9fff ]{2,9}?)\s*(:)")


def _own_rule_colon(ctx: Context, para: Para, text: str) -> int | None:
    """Position of a half-width colon another rule already reports in this paragraph."""
    zones = ctx.zones
    if para in (zones.recipient, zones.salutation) and text.rstrip().endswith(":"):
        return len(text.rstrip()) - 1
    if para in zones.attach_note[:1] + zones.banji + zones.meeting:
        match = _LABEL_COLON.match(text)
        return match.start(1) if match else None
    return None


@rule("halfwidth_punct", "text")
def halfwidth_punct(ctx: Context) -> Iterator[Finding]:
    """中文行文用全角标点（，。：；？！“”（）），不用半角的 , . : ; ? ! " ( )。"""
    for para, text in units(ctx):
        skip = _own_rule_colon(ctx, para, text)
        marks = [i for i in _half_marks(text) if i != skip]
        if not marks:
            continue
        chars = "".join(dict.fromkeys(text[i] for i in marks))
        serious = [i for i in marks if text[i] not in "()\""]
        at = (serious or marks)[0]
        yield found(para, ERROR if serious else HINT,
                    f"中文中用了半角标点“{chars}”：{excerpt(text, at, 24)}",
                    "改为全角标点（，：；？！。“”（））", text=excerpt(text, at, 24))


# --- brackets and quotes in pairs ------------------------------------------------------------

_PAIRS = {"（": "）", "(": ")", "《": "》", "〈": "〉", "“": "”", "‘": "’", "〔": "〕", "【": "】",
          "［": "］", "[": "]", "「": "」", "『": "』"}
_ROUND = {"（": "(", "）": ")"}  # a full-width and a half-width round bracket still pair
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
# ``1）`` ``a)`` stand alone as list marks; a Chinese numeral is only ever ``（一）``, so ``二）``
# is a heading number that lost its ``（``
_LIST_MARK = re.compile(r"^\s*[\dA-Za-z①-⑳]{1,3}[)）]")


def _unpaired(text: str) -> tuple[int, str] | None:
    """(position, mark) of the first bracket or quote without its partner."""
    stack: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch in _PAIRS:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            want = _CLOSERS[ch]
            if stack and _ROUND.get(stack[-1][1], stack[-1][1]) == _ROUND.get(want, want):
                stack.pop()
            else:
                return i, ch
    return stack[0] if stack else None


@rule("unpaired_bracket", "text")
def unpaired_bracket(ctx: Context) -> Iterator[Finding]:
    """括号、引号、书名号成对使用。"""
    items = units(ctx)
    for position, (para, text) in enumerate(items):
        body = _LIST_MARK.sub("", text, count=1)
        problem = _unpaired(body)
        if problem is None:
            continue
        at, mark = problem
        nxt = items[position + 1][1].lstrip() if position + 1 < len(items) else ""
        if mark == "“" and nxt.startswith("“"):
            continue  # a quotation over several paragraphs: each opens, only the last closes
        partner = _PAIRS.get(mark) or _CLOSERS.get(mark)
        what = "书名号" if mark in "《》〈〉" else "引号" if mark in "“”‘’" else "括号"
        yield found(para, ERROR, f"{what}不成对：“{mark}”没有对应的“{partner}”：{excerpt(body, at, 24)}",
                    f"补上“{partner}”或删去多余的“{mark}”", text=excerpt(body, at, 24))


# --- doubled characters -------------------------------------------------------------------------

FUNCTION_CHARS = set("的了是在和与及对把被从向并为将而或之其于以由这那要能应该所但也就都还又再更最已")
PREPOSITIONS = set("向在对为从以于把被和与及将")
_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")


def _legitimate(text: str, i: int) -> bool:
    """A doubled character that belongs where it stands: a dictionary word round it (常常,
    不了了之; for 的 了 是 … only a longer one, 了了 alone is a slip), two words meeting, AABB."""
    words = dictionary()
    sizes = (4, 3) if text[i] in FUNCTION_CHARS else (4, 3, 2)
    for size in sizes:
        for start in range(max(0, i + 2 - size), i + 1):
            if start + size <= len(text) and text[start : start + size] in words:
                return True
    # two words meeting (常委会|会议, 为了|了解): one ends with the first, one starts with the second;
    # or a word ending in a preposition's character before the preposition itself (纵向|向市县)
    ends = any(text[a : i + 1] in words for a in range(max(0, i - 3), i))
    if ends and (text[i] in PREPOSITIONS
                 or any(text[i + 1 : b] in words for b in range(i + 3, min(len(text), i + 5) + 1))):
        return True
    # AABB reduplication (认认真真): the pair before or after is doubled too
    after, before = text[i + 2 : i + 4], text[max(0, i - 2) : i]
    return any(len(pair) == 2 and pair[0] == pair[1] != text[i] for pair in (after, before))


_DOUBLED_PUNCT = re.compile(r"([，。、；：,;])\1|[，、；：][。]|[。][，、；：]")


@rule("doubled_char", "text")
def doubled_char(ctx: Context) -> Iterator[Finding]:
    """同一个字误重复（的的、了了），标点重复（。。、，。）。"""
    for para, text in units(ctx):
        punct = _DOUBLED_PUNCT.search(text)
        if punct:
            yield found(para, ERROR, f"标点“{punct.group(0)}”重复：{excerpt(text, punct.start(), 24)}",
                        "只保留一个标点", text=excerpt(text, punct.start(), 24), rule_id="doubled_punct")
        for match in _DOUBLED.finditer(text):
            i, ch = match.start(), match.group(1)
            if _legitimate(text, i):
                continue
            if ch in FUNCTION_CHARS:
                yield found(para, ERROR, f"“{ch}{ch}”重复：{excerpt(text, i, 24)}", f"删去多余的“{ch}”",
                            text=excerpt(text, i, 24))
                break


# --- placeholders ---------------------------------------------------------------------------

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[XＸ]{2,}|[XxＸｘ]{3,})(?![A-Za-z])|[×✕╳]{2,}|(?<![一二三四五六七八九十〇○零])[○〇]{2,}(?=[年月日号])"
    r"|【[^】]{0,12}(?:待填|待定|待补|填写|此处)[^】]{0,20}】|\{\{[^{}]{0,40}\}\}|[□■]{2,}|＊{2,}|\*{2,}"
    r"|(?<=[年月])\s+(?=[月日])|(?<=[〔\[])\s*(?=[〕\]])"
)


@rule("placeholder", "text")
def placeholder(ctx: Context) -> Iterator[Finding]:
    """未填写的占位符（XX、××、【待填】、{{ }}、空着的日期）。"""
    for para, text in units(ctx):
        match = PLACEHOLDER.search(text)
        if match:
            shown = match.group(0).strip() or "空白"
            yield found(para, ERROR, f"有未填写的占位符“{shown}”：{excerpt(text, match.start(), 24)}",
                        "填入实际内容", text=excerpt(text, match.start(), 24))
        elif "某某" in text:
            yield found(para, HINT, f"有“某某”：{excerpt(text, text.index('某某'), 24)}",
                        "确认不是未填写的占位", text=excerpt(text, text.index("某某"), 24))


# --- dates: relative, weekday, existence -----------------------------------------------------

RELATIVE = re.compile(
    r"(?<!的)(?:今天|明天|后天|昨天|前天|今晚|明晚|今早|明早|明日|昨日)"
    r"|(?:下|本|上)(?:周|星期)[一二三四五六日天]|下(?:个)?(?:周|星期)(?![一二三四五六日天])|下个?月(?:初|底|中旬)?"
)
RELATIVE_OK_GENRES = ("讲话稿",)
# genres whose dates set what people must do and when: a relative date there is an error
DATED_GENRES = ("通知", "函", "请示", "批复", "通报", "公告", "通告", "纪要", "决定", "意见")


def quoted(text: str, position: int) -> bool:
    """True inside “……” or 《……》 (a slogan, a title, someone's words)."""
    before = text[:position]
    return before.count("“") > before.count("”") or before.count("《") > before.count("》")


@rule("relative_date", "text")
def relative_date(ctx: Context) -> Iterator[Finding]:
    """公文写明确日期，不用“今天”“明天”“下周一”之类的相对时间（讲话稿除外）。"""
    if ctx.genre in RELATIVE_OK_GENRES:
        return
    formal = ctx.zones.has_header or ctx.genre in DATED_GENRES
    for para, text in units(ctx, title=False):
        match = next((m for m in RELATIVE.finditer(text) if not quoted(text, m.start())), None)
        if match:
            yield found(para, ERROR if formal else HINT,
                        f"用了相对时间“{match.group(0)}”：{excerpt(text, match.start(), 24)}",
                        "写明具体日期（如“2024年3月5日”）", text=excerpt(text, match.start(), 24))


WEEKDAYS = "一二三四五六日"
WEEKDAY = re.compile(
    rf"(?:(?P<y>{YEAR})\s*年\s*)?(?P<m>{MONTH})\s*月\s*(?P<d>{DAY})\s*日\s*[（(]?\s*"
    r"(?:星期|周|礼拜)(?P<w>[一二三四五六日天])"
)
FULL_DATE = re.compile(rf"(?P<y>{YEAR})\s*年\s*(?P<m>{MONTH})\s*月\s*(?P<d>{DAY})\s*日")


def _years_for(text: str, position: int, anchor: str | None) -> list[int]:
    """Years a date written without one may mean: the last year the paragraph names before it,
    else the document's year and the years on either side (a December notice sets next
    year's holidays)."""
    named = [int(y) for y in re.findall(rf"({YEAR})\s*年", text[:position])]
    if named:
        return [named[-1]]
    if not anchor:
        return []
    year = int(anchor[:4])
    return [year, year + 1, year - 1]


def _weekday(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None  # date_invalid reports it


@rule("weekday_wrong", "text")
def weekday_wrong(ctx: Context) -> Iterator[Finding]:
    """日期后注的星期与日期相符。"""
    anchor = written_date(ctx)
    for para, raw in units(ctx):
        text = clean_line(raw)
        for match in WEEKDAY.finditer(text):
            month, day = int(match["m"]), int(match["d"])
            years = [int(match["y"])] if match["y"] else _years_for(text, match.start(), anchor)
            said = WEEKDAYS.index("日" if match["w"] == "天" else match["w"])
            real = [(year, _weekday(year, month, day)) for year in years]
            real = [(year, wd) for year, wd in real if wd is not None]
            if not real or any(wd == said for _, wd in real):
                continue
            year, weekday = real[0]
            yield found(para, ERROR, f"{year}年{month}月{day}日是星期{WEEKDAYS[weekday]}，不是星期{match['w']}",
                        f"改为“星期{WEEKDAYS[weekday]}”，或核对日期", text=match.group(0))


@rule("date_invalid", "text")
def date_invalid(ctx: Context) -> Iterator[Finding]:
    """日期真实存在（没有2月30日、13月）。"""
    for para, text in units(ctx):
        for match in FULL_DATE.finditer(clean_line(text)):
            try:
                date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                yield found(para, ERROR, f"日期“{match.group(0)}”不存在", "核对日期", text=match.group(0))


# --- GB/T 15835 numerals ------------------------------------------------------------------------

MEASURES = ("个", "项", "件", "次", "名", "位", "家", "条", "所", "户", "份", "篇", "台", "辆", "套", "处",
            "座", "批", "元", "万", "亿", "吨", "公里", "千米", "平方米", "亩", "人次", "人", "岁", "倍",
            "场", "支", "部", "册", "本", "种", "类")
# a count in Chinese numerals: not an ordinal (第十二, 十届十二次), not a magnitude (五千亿级)
COUNT = re.compile(rf"(?<![第届一二三四五六七八九十百千两〇零])([一二三四五六七八九十两][一二三四五六七八九十百千两]{{1,5}})"
                   rf"(?={'|'.join(MEASURES)})(?![万亿]级)")


@rule("number_usage", "text")
def number_usage(ctx: Context) -> Iterator[Finding]:
    """计量和计数的数字（十以上）用阿拉伯数字（GB/T 15835）；序数、定型词语用汉字。"""
    for para, text in units(ctx, title=False):
        for match in COUNT.finditer(text):
            numeral = match.group(1)
            if quoted(text, match.start()):
                continue  # a name such as “十二项举措”
            value = to_int(numeral)
            if value is None or value <= 10:
                continue
            yield found(para, HINT, f"计数“{numeral}”宜用阿拉伯数字：{excerpt(text, match.start(), 24)}",
                        f"改为“{value}”", text=excerpt(text, match.start(), 24))
            break
