"""主体: 标题, 主送, adoption note, headings, 附件说明, 署名/成文日期, 附注, attachments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.model import Attachment, Heading
from pipeline.structure.header import doc_number_line
from pipeline.structure.lines import (
    GENRE_END,
    HAS_SENTENCE_PUNCT,
    LABEL,
    ORGAN_END,
    SENTENCE_END,
    Line,
    organ_like,
)
from pipeline.structure.normalise import close_up, split_organs
from pipeline.text.dates import ANY_DATE, CN_YEAR, DAY, MONTH, YEAR, find_date, is_date_line

_CN_NUM = "一二三四五六七八九十百〇零"
HEADING_PATTERNS = (
    (1, re.compile(rf"^[{_CN_NUM}]{{1,4}}\s*[、．.](?=\s*\S)")),
    (2, re.compile(rf"^[（(]\s*[{_CN_NUM}]{{1,4}}\s*[）)]")),
    (4, re.compile(r"^[（(]\s*\d{1,3}\s*[）)]")),
    (3, re.compile(r"^\d{1,3}\s*[.．、](?!\d)")),
)
CHAPTER = re.compile(rf"^第\s*[{_CN_NUM}\d]{{1,5}}\s*([章节])")
ARTICLE = re.compile(rf"^第\s*[{_CN_NUM}\d]{{1,5}}\s*条")
_RUN_IN_END = re.compile(r"[。：:；;！!？?]")
_MAX_HEADING = 40
# 附件说明 in the body: "附件：1.XXX" and numbered continuation lines.
ATTACH_NOTE = re.compile(r"^附\s*件\s*(?:[：:]\s*(.*)|(\d{1,2}\s*[.．、]\s*\S.*))$")
ATTACH_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*(\S.*)$")
# An attachment's own label on a new page: "附件1", "附件", "附件2：", "附：".
ATTACH_LABEL = re.compile(
    r"^(附\s*件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?|附)\s*[.．：:]?\s*$"
)
ATTACH_LABEL_TITLE = re.compile(
    r"^(附\s*件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}))\s*[.．：:]?\s*(\S.{1,80})$"
)
ADOPTION = re.compile(r"(通过|批准|修正|修订|公布|施行|发布|决定)[^（()）]{0,20}[）)]?$")
BRACKETED = re.compile(r"^[（(](.{2,200})[）)]$")
CLOSERS = re.compile(r"^(特此|此复|妥否|以上|当否|请予|请审议|请批示|专此)")
_NOT_RECIPIENT = re.compile(
    r"(如下|如次|为：|是：|包括：|的是：|附件|签发人|时\s*间|地\s*点|联系人|电\s*话|说明|注：|名单|以下|议程|"
    r"主题词|同志们|朋友们|女士们|先生们|^各位|(?:任命|免去|免职|选举|撤销|批准|接受|当选|通过)[：:]$)"
)
_CONNECTIVE_START = re.compile(r"^(的|和|及|与|暨|之|等|“|《|（)")


def heading_of(text: str) -> Heading | None:
    """The heading a body paragraph is or starts with (run-in headings end at 。/：)."""
    chapter = CHAPTER.match(text)
    if chapter:
        level = 1 if chapter.group(1) == "章" else 2
        return Heading(level, text[: _MAX_HEADING + 10])
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end() :].strip()
        stop = _RUN_IN_END.search(rest)
        head = rest[: stop.start()] if stop else rest
        if not head or len(head) > _MAX_HEADING or (len(head) > 20 and re.search(r"[，,；]", head)):
            return None  # a numbered sentence or list item, not a heading
        if stop is None and len(rest) > _MAX_HEADING:
            return None
        return Heading(level, f"{text[: match.end()].strip()}{head.strip()}")
    return None


def headings_of(paragraphs: list[str]) -> list[Heading]:
    """Headings in order; regulations (第X条 articles) keep only 章/节 so that the outline stays
    an outline rather than a list of every article's items."""
    articles = sum(1 for p in paragraphs if ARTICLE.match(p))
    result = []
    for paragraph in paragraphs:
        if articles >= 3 and not CHAPTER.match(paragraph):
            continue
        heading = heading_of(paragraph)
        if heading:
            result.append(heading)
    return result


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _title_text(line: Line) -> str:
    """The line's closed-up text; a web title printed twice on one line (``A A``) once."""
    halves = line.text.split(" ")
    if len(halves) == 2 and halves[0] == halves[1]:
        return close_up(halves[0])
    return line.flat


# a web page's byline fields, also after a section name (``政策转载｜来源：某市政府网``)
_PAGE_FIELD = re.compile(r"(?:^|[｜|丨/\s])(?:来源|发布时间|发布日期|作者|责任编辑|浏览次数|点击数)\s*[：:]")
# a newspaper's byline (本报记者 康宁, 通讯员 张三)
BYLINE = re.compile(r"^(?:本报|本网|融媒)?(?:特约|见习)?(?:记者|通讯员)\s*[\u4e00-\u9fff]{2,4}$")


def _title_like(line: Line, first: bool) -> bool:
    text = line.flat
    if len(text) > (140 if first else 60) or not text:
        return False
    if len(_CJK_CHAR.findall(text)) < max(2, len(text) // 2):
        return False  # reference numbers, URLs, dates in digits
    if is_date_line(text) or doc_number_line(line) or LABEL.match(text) or _PAGE_FIELD.search(text):
        return False
    if BYLINE.match(text):
        return False
    if (
        text.endswith(("：", ":"))
        or SENTENCE_END.search(text)
        or HAS_SENTENCE_PUNCT.search(text[:-1])
    ):
        return False
    if adoption_note(line):
        return False
    if text.startswith(("——", "--", "—")):
        return False  # a subtitle (——在某会议上的讲话), not the title
    return not (
        BRACKETED.match(text) or heading_of(text) or CHAPTER.match(text) or ARTICLE.match(text)
    )


_TITLE_SUFFIX = re.compile(
    r"^[（(](?:草案|征求意见稿|试行|暂行|送审稿|修订草案|修正草案|讨论稿|代拟稿|初稿|摘要|节选|摘登)[）)]$"
)


def _incomplete(title: str) -> bool:
    """``…关于XX`` without the ``的 + 文种`` that closes it: the title goes on."""
    about = title.find("关于")
    return about >= 0 and "的" not in title[about:]


def take_title(
    lines: list[Line], start: int, styled: bool, one_line: bool = False
) -> tuple[str | None, int]:
    """(title, index after it): centred large lines when styled, else title-looking lines.

    Wrapped lines are joined without a space; spaced-out characters are closed up.
    ``one_line``: formats whose titles cannot wrap (Markdown headings, html paragraphs).
    """
    if start >= len(lines):
        return None, start
    if styled and (lines[start].size or 0) >= 18:
        size = lines[start].size
        end = start
        while (
            end < len(lines)
            and end - start < 4
            and lines[end].size == size
            and _title_like(lines[end], end == start)
        ):
            end += 1
        if end > start:
            return "".join(line.flat for line in lines[start:end]), end
    if not _title_like(lines[start], True):
        return _strong_title(lines, start, one_line)
    parts = [_title_text(lines[start])]
    end = start + 1
    if one_line and end < len(lines) and _TITLE_SUFFIX.match(lines[end].flat):
        return parts[0] + lines[end].flat, end + 1
    while end < len(lines) and len(parts) < (1 if one_line else 4):
        joined = "".join(parts)
        nxt = lines[end].flat
        if _TITLE_SUFFIX.match(nxt):
            parts.append(nxt)  # （草案） / （试行） under the title belongs to it
            end += 1
            break
        if not _title_like(lines[end], False):
            break
        if nxt.replace(" ", "") == joined.replace(" ", ""):  # web pages print the title twice
            end += 1
            continue
        if (
            "关于" in nxt
            and "关于" not in joined
            and len(joined) <= 10
            and not all(ORGAN_END.search(p) for p in joined.split())
        ):
            parts = [nxt]  # a site section name above the real title
            end += 1
            continue
        if _incomplete(joined):
            parts.append(nxt)
            end += 1
            continue
        if (
            len(joined) > 40
            and len(parts) == 1
            and len(lines[start].flat) > 40
            and not _CONNECTIVE_START.match(nxt)
        ):
            break  # a one-line web title is followed by something else
        if (
            GENRE_END.search(joined)
            and not _CONNECTIVE_START.match(nxt)
            and not GENRE_END.search(nxt)
        ):
            break
        if GENRE_END.search(joined) and GENRE_END.search(nxt) and len(nxt) > 6:
            break
        if len(nxt) <= 4 and not GENRE_END.search(nxt) and not _CONNECTIVE_START.match(nxt):
            break  # a byline (author's name) under the title
        parts.append(nxt)
        end += 1
    return "".join(parts), end


def _strong_title(lines: list[Line], start: int, one_line: bool) -> tuple[str | None, int]:
    """Web pages: the first ``…关于…的<文种>`` line among the top lines (after page furniture)."""
    for i in range(start, min(len(lines), start + 8)):
        text = lines[i].flat
        if SENTENCE_END.search(text) and len(text) > 40:
            break
        if "关于" in text and GENRE_END.search(text) and _title_like(lines[i], True):
            return take_title(lines, i, styled=False, one_line=one_line)
    return None, start


def recipients_of(line: Line) -> list[str] | None:
    """The 主送机关 when ``line`` is a recipient line (``各乡镇人民政府，区政府各部门：``)."""
    text = line.flat
    main = re.match(r"^主\s*送\s*[：:]\s*(.+)$", text)
    if main:
        return split_organs(main.group(1))
    if not text.endswith(("：", ":")) or len(text) > 250 or len(text) < 2:
        return None
    if (
        HAS_SENTENCE_PUNCT.search(text)
        or _NOT_RECIPIENT.search(text)
        or heading_of(text)
        or ANY_DATE.search(text)
    ):
        return None
    organs = split_organs(text)
    return organs or None


_YEAR_FIRST = re.compile(rf"^{YEAR}\s*年|^{CN_YEAR}年")


def adoption_note(line: Line) -> str | None:
    """``（2023年1月10日……会议通过）`` or, in law texts, the same without brackets."""
    text = line.text
    if len(text) > 200 or not ANY_DATE.search(text):
        return None
    bracketed = BRACKETED.match(text)
    inner = bracketed.group(1) if bracketed else text
    date_first = _YEAR_FIRST.match(text)
    if ADOPTION.search(inner) and (bracketed or date_first):
        return line.raw or text
    if (
        date_first
        and ANY_DATE.match(text)
        and "会议" in text
        and not HAS_SENTENCE_PUNCT.search(text)
    ):
        return text  # "2019年3月15日 第十三届全国人民代表大会第二次会议" (cut before 通过)
    return None


_SPEECH_LINE = re.compile(
    rf"^[—\-–]*\s*[（(]?\s*{YEAR}\s*年{MONTH}月{DAY}日\s*在.{{2,60}}?(?:会议|大会|会|典礼|仪式)上"
)


SPEAKER = re.compile(
    r"^(?:[\u4e00-\u9fff（）()]{2,24}\s+)?[\u4e00-\u9fff]{1,2}\s?[\u4e00-\u9fff]{1,2}$"
    r"|^[\u4e00-\u9fff（）()]{0,24}(?:主任|书记|长|主席|委员|总理|秘书长|代表)\s?[\u4e00-\u9fff]{2,3}$"
)


def speaker_line(text: str) -> bool:
    """``区人大常委会主任 陈立新`` under a speech's title and date."""
    return len(text) <= 30 and bool(SPEAKER.match(text)) and not GENRE_END.search(text)


def subtitle_line(text: str) -> bool:
    """``——在……上的讲话`` under a speech's title."""
    return text.startswith(("——", "--", "—")) and len(text) <= 80


def bracketed_date(line: Line) -> str | None:
    """``（2022年1月1日）`` under a speech's title, or its subtitle ``——2025年1月14日在…会议上``."""
    match = BRACKETED.match(line.text)
    if match and is_date_line(match.group(1)):
        return find_date(match.group(1))
    if _SPEECH_LINE.match(line.text) or (
        line.text.startswith(("——", "--")) and ANY_DATE.search(line.text[:20])
    ):
        return find_date(line.text)
    return None


@dataclass
class Closing:
    """Where the main text ends: 附件说明, 署名, 成文日期, 附注."""

    start: int  # first line that is not body any more (附件说明 or 署名 or the date)
    end: int  # first line after the date (and 附注)
    date: str | None = None
    signature: list[str] = field(default_factory=list)
    note: str | None = None
    attachments: list[str] = field(default_factory=list)


_SEAL = re.compile(r"^[（(【\[].{0,20}(?:印章|盖章|公章|签章|签名|章)[^）)】\]]{0,20}[）)】\]]$")
_SIG_DATE = re.compile(r"^(\S.{1,40}?)\s+(\S.*)$")


def _signature_line(text: str) -> bool:
    if len(text) > 32 or not text or HAS_SENTENCE_PUNCT.search(text) or "：" in text or ":" in text:
        return False
    if (
        "，" in text
        or CLOSERS.match(text)
        or heading_of(text)
        or ATTACH_ITEM.match(text)
        or BRACKETED.match(text)
    ):
        return False
    return not (ATTACH_NOTE.match(text) or ATTACH_LABEL.match(text) or text.startswith("附件"))


def _date_at(lines: list[Line], i: int) -> tuple[str | None, str | None]:
    """(date, signature on the same line) when line i is the 成文日期 line."""
    text = lines[i].text
    if is_date_line(text):
        return find_date(text), None
    match = _SIG_DATE.match(text)
    if match and is_date_line(match.group(2)) and _signature_line(match.group(1)):
        return find_date(match.group(2)), match.group(1)
    return None, None


def find_closing(lines: list[Line], start: int, skip: set[int]) -> Closing | None:
    """The first 署名 + 成文日期 block after ``start`` (attachments come after it)."""
    for i in range(start, len(lines)):
        if i in skip:
            continue
        date, same_line_signature = _date_at(lines, i)
        if not date:
            continue
        signature: list[str] = []
        first = i
        if same_line_signature:
            signature = split_organs(same_line_signature, on_spaces=True)
        else:
            while first - 1 >= start and i - first < 4 and first - 1 not in skip:
                text = lines[first - 1].text
                if _SEAL.match(text):  # （印章） placeholder between 署名 and date
                    first -= 1
                    continue
                if not _signature_line(text):
                    break
                if any(not _SEAL.match(lines[k].text) for k in range(first, i)) and not organ_like(
                    text, 32
                ):
                    break  # only organ names stack above the line next to the date
                first -= 1
            signature = [lines[k].text for k in range(first, i) if not _SEAL.match(lines[k].text)]
        if not signature and _body_goes_on(lines, i + 1):
            continue  # a date standing alone inside the body, not the 成文日期
        closing = Closing(start=first, end=i + 1, date=date, signature=signature)
        _attachment_notes_before(lines, start, closing, skip)
        _note_after(lines, closing)
        return closing
    return None


_TAIL_START = re.compile(r"^(?:附\s*件|附[：:]|抄\s*送|主\s*送|分\s*送|印\s*发|主\s*题\s*词|[（(])")


def _body_goes_on(lines: list[Line], start: int) -> bool:
    """After an unsigned date line: more body paragraphs follow (not 附注, 附件 or 版记)."""
    following = lines[start : start + 3]
    if len(following) < 3 or _TAIL_START.match(following[0].text):
        return False
    return all(SENTENCE_END.search(line.text) and len(line.text) > 20 for line in following[1:])


def _attachment_notes_before(
    lines: list[Line], start: int, closing: Closing, skip: set[int]
) -> None:
    """附件说明 right above the signature: ``附件：1.XXX``, numbered lines, wrapped parts."""
    i = closing.start - 1
    while i >= start and i not in skip and closing.start - i <= 12:
        text = lines[i].text
        if ATTACH_NOTE.match(text):
            break
        if len(text) > 80 or HAS_SENTENCE_PUNCT.search(text):
            return
        i -= 1
    else:
        return
    note = ATTACH_NOTE.match(lines[i].text)
    items: list[str] = []
    first = (note.group(1) or note.group(2) or "").strip()
    if first:
        items.append(ATTACH_ITEM.sub(r"\2", first))
    for line in lines[i + 1 : closing.start]:
        item = ATTACH_ITEM.match(line.text)
        if item or not items or _complete_title(items[-1]):
            items.append(item.group(2).strip() if item else line.text)
        else:
            items[-1] += line.flat  # a title wrapped onto the next line
    closing.attachments = items
    closing.start = i


def _complete_title(text: str) -> bool:
    """An attachment title that ends like a title (文种 or a closing bracket): the next unnumbered
    line is another attachment, not its continuation."""
    return bool(GENRE_END.search(text) or re.search(r"[）)》”]$", text))


def _note_after(lines: list[Line], closing: Closing) -> None:
    if closing.end < len(lines):
        match = BRACKETED.match(lines[closing.end].text)
        if match and len(lines[closing.end].text) <= 80:
            closing.note = lines[closing.end].text
            closing.end += 1


def attachment_notes_in(paragraphs: list[str]) -> tuple[list[str], set[int]]:
    """附件说明 anywhere in the body (documents without a recognisable date)."""
    for i, text in enumerate(paragraphs):
        note = ATTACH_NOTE.match(text)
        if not note:
            continue
        first = (note.group(1) or note.group(2) or "").strip()
        items = [ATTACH_ITEM.sub(r"\2", first)] if first else []
        used = {i}
        j = i + 1
        while j < len(paragraphs) and ATTACH_ITEM.match(paragraphs[j]) and len(paragraphs[j]) <= 80:
            items.append(ATTACH_ITEM.match(paragraphs[j]).group(2).strip())
            used.add(j)
            j += 1
        if items:
            return items, used
    return [], set()


def split_attachments(lines: list[Line]) -> list[Attachment]:
    """The text after the main document: attachments on their own pages, each with its title.

    Text before any 附件 label (a forwarded or printed-and-issued document) is one attachment
    with an empty label.
    """
    groups: list[tuple[str, list[Line], str | None]] = []
    label, current, inline_title = "", [], None
    for line in lines:
        flat = line.flat
        own = ATTACH_LABEL.match(flat)
        titled = ATTACH_LABEL_TITLE.match(flat) if not own else None
        if own or (titled and not ATTACH_ITEM.match(titled.group(2))):
            if current or inline_title:
                groups.append((label, current, inline_title))
            label = re.sub(r"\s", "", (own or titled).group(1))
            label = "附件" if label == "附" else label
            current, inline_title = [], titled.group(2).strip() if titled else None
            continue
        current.append(line)
    if current or inline_title:
        groups.append((label, current, inline_title))
    result = []
    for label, group, inline_title in groups:
        if inline_title:
            title, rest = inline_title, 0
        else:
            title, rest = take_title(group, 0, styled=False)
        text = "\n".join(line.text for line in group[rest:])
        result.append(Attachment(label=label, title=title, text=text))
    return result


_ISSUER_PREFIX = re.compile(
    r"^(.{2,60}?)(?:关于|转发|批转|印发|对(?=.{2,80}(?:答复|复函|批复|意见|建议|提案)))"
)


def issuer_from_title(title: str | None) -> list[str]:
    """``国务院办公厅关于…`` -> [国务院办公厅]; joint ``A、B关于…`` -> [A, B]."""
    if not title:
        return []
    match = _ISSUER_PREFIX.match(title)
    if not match:
        return []
    parts = split_organs(
        re.sub(r"(?<=[\u4e00-\u9fff])和(?=[\u4e00-\u9fff]{2,}$)", "、", match.group(1)),
        on_spaces=True,
    )
    if parts and all(ORGAN_END.search(part) for part in parts):
        return parts
    return []


def issuer_from_signature(signature: list[str]) -> list[str]:
    organs: list[str] = []
    for text in signature:
        organs.extend(split_organs(text, on_spaces=True))
    if organs and all(ORGAN_END.search(organ) for organ in organs):
        return organs
    # Wrapped organ name over two lines (湖北省巴东县…村 / 地质险情调查专家组).
    joined = "".join(signature).replace(" ", "")
    return [joined] if signature and ORGAN_END.search(joined) and len(joined) <= 40 else []
