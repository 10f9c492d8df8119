"""文种 rules of the 党政机关公文处理工作条例 (2012) and the genres' customary form: a 请示 asks one
matter of one 主送 and ends with its request; a 报告 carries no request; a 纪要's 出席/请假/列席
lines; a 决议 as adopted names its meeting and date."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.check.findings import ERROR, HINT, Finding
from pipeline.check.registry import Context, found, rule
from pipeline.structure.normalise import clean_line, split_organs
from pipeline.text.segment import words

REQUEST_CLOSING = re.compile(
    r"(?:妥否|当否|可否|是否同意|是否可行)[，,]?\s*请(?:予)?(?:批示|批复|审批|指示|示|审定|核准)"
    r"|请(?:予|给予)?(?:批准|审批|批复|审定|核准|批示)|请示如上|特此请示"
)
REQUEST_SENTENCE = re.compile(r"(?:申请|请求|恳请|拟请|请予|请批准|请求批准|望予|请准予|请给予|请同意)")
# a second matter: a sentence that turns to something else (另外, 此外, 同时) and asks for it, or
# asks for it "as well" (一并)
ANOTHER_MATTER = re.compile(r"(?:^|[。；])\s*(?:另外|此外|另|还有)[，,]?[^。；]*?"
                            r"(?:申请|请求|恳请|拟请|请予|请批准|请同意|请支持)"
                            r"|一并(?:申请|请求|请示|安排|解决|批准|审批|追加|拨付|增加)")
_STOP = {"关于", "有关", "进一步", "工作", "相关", "请示", "报告", "申请", "请求", "恳请", "批准", "同意",
         "问题", "事项", "情况"}


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？；])", text) if s.strip()]


@rule("qingshi_closing", "genre")
def qingshi_closing(ctx: Context) -> Iterator[Finding]:
    """请示以请求批示的结束语收尾（如“妥否，请批示。”）。"""
    if ctx.genre != "请示" or not ctx.zones.body:
        return
    tail = "".join(clean_line(p.text) for p in ctx.zones.body[-2:])
    if not REQUEST_CLOSING.search(tail):
        yield found(ctx.zones.body[-1], ERROR, "请示没有以请求批示的结束语收尾",
                    "在正文最后写明请求事项，如“妥否，请批示。”或“以上请示，请予审批。”")


@rule("qingshi_one_recipient", "genre")
def qingshi_one_recipient(ctx: Context) -> Iterator[Finding]:
    """请示一般只写一个主送机关。"""
    para = ctx.zones.recipient
    if ctx.genre != "请示" or para is None:
        return
    organs = split_organs(clean_line(para.text))
    if len(organs) > 1:
        yield found(para, ERROR, f"请示主送了{len(organs)}个机关（{'、'.join(organs)}），应只主送一个上级机关",
                    "只写一个主送机关，需要其他机关知道的用抄送")


def _matter_words(title: str) -> set[str]:
    about = title.find("关于")
    matter = title[about + 2:] if about >= 0 else title
    matter = re.sub(r"的请示$|请示$", "", matter)
    return {w for w in words(matter) if len(w) >= 2 and w not in _STOP}


@rule("qingshi_one_matter", "genre")
def qingshi_one_matter(ctx: Context) -> Iterator[Finding]:
    """请示一文一事：请求的事项都应是标题所说的那件事。"""
    if ctx.genre != "请示":
        return
    matter = _matter_words(ctx.zones.title_text)
    for para in ctx.zones.body[-3:]:  # the request stands at the end, above the closing
        text = clean_line(para.text)
        another = ANOTHER_MATTER.search(text)
        if another:
            yield found(para, ERROR, "请示中另提了一项请求，请示应一文一事", "其他事项另行请示",
                        text=text[another.start():another.start() + 40])
            continue
        for sentence in _sentences(text):
            if not REQUEST_SENTENCE.search(sentence) or REQUEST_CLOSING.fullmatch(sentence.strip("。 ")):
                continue
            if matter and not matter & set(words(sentence)):
                yield found(para, ERROR, "请示中提出了与标题事项无关的请求，请示应一文一事",
                            "一份请示只请示一件事，其他事项另行请示", text=sentence[:60])
                break


@rule("report_no_request", "genre")
def report_no_request(ctx: Context) -> Iterator[Finding]:
    """报告中不得夹带请示事项。"""
    if ctx.genre != "报告":
        return
    for para in ctx.zones.body:
        match = REQUEST_CLOSING.search(clean_line(para.text))
        if match and "审议" not in match.group(0):
            yield found(para, ERROR, f"报告中夹带了请示事项（“{match.group(0)}”）",
                        "报告不写请求批示的内容，需要批准的事项另行请示")
            break


@rule("minutes_labels", "genre")
def minutes_labels(ctx: Context) -> Iterator[Finding]:
    """纪要的出席、请假、列席等标注用全角冒号。"""
    for para in ctx.zones.meeting:
        text = clean_line(para.text)
        if re.match(r"^[\u4e00-\u9fff ]{2,9}:", text):
            yield found(para, ERROR, f"“{text.split(':')[0]}”后用了半角冒号", "改为全角冒号“：”")


@rule("adoption_note", "genre")
def adoption_note_rule(ctx: Context) -> Iterator[Finding]:
    """会议通过的决议、决定在标题下用圆括号注明通过的日期和会议。"""
    zones = ctx.zones
    if ctx.genre not in ("决议",) or zones.has_header or not zones.title:
        return
    if not any("通过" in p.text or "批准" in p.text for p in zones.under_title):
        yield found(zones.title[-1], HINT, "决议标题下没有注明通过的日期和会议",
                    "在标题下用圆括号注明，如“（2024年1月10日……第二次会议通过）”")
