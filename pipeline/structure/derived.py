"""A title for a document whose file printed none (自拟题名), composed from its own text.

Archivists compose a title for an untitled record and mark it as theirs with square brackets
(``［……］``); ``Document.title_derived`` says the title is composed, the brackets are added where a
title is shown (``pipeline.model.shown_title``). What the text gives, in this order:

1. the meeting of an adoption note (``（2021年1月14日……会议通过）``) or of an opening sentence
   (``……第七次会议听取并审议了……``), what it dealt with and the act: ``……会议关于……的决议``;
2. the organ a report is given for (``我受区人大常委会委托，向大会报告工作``): ``……工作报告``;
3. a speech's occasion (its subtitle ``——在……上``, or the meeting its opening names) and speaker:
   ``……在……上的讲话``;
4. a reply's subject (``您提出的《……》收悉``): ``对《……》的答复``; minutes: ``……会议纪要``;
5. a short opening heading, else the first sentence that names an organ or a meeting, without its
   byline and dateline (news: ``市人大常委会举行优化营商环境专题询问会议``), cut at a clause.
"""

from __future__ import annotations

import re

from pipeline.model import Document
from pipeline.structure.body import BYLINE
from pipeline.structure.normalise import no_spaces
from pipeline.text.dates import ANY_DATE, DAY, MONTH, YEAR

__all__ = ["derive_title", "give_title"]

MAX_SENTENCE_TITLE = 48  # characters of a title taken from a sentence (cut at a clause)
MAX_TITLE = 90

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE = re.compile(r"[，,：:]")
# A byline and a dateline before the news itself: 本报讯(记者 王淼)3月14日上午，/ 近日，
_BYLINE = re.compile(r"^[^，,。\n]{0,12}讯\s*(?:[（(][^）)\n]{0,40}[）)])?\s*")
_DATELINE = re.compile(
    rf"^(?:(?:(?:{YEAR}年)?{MONTH}月)?{DAY}(?:日?[-—–至~]{{1,2}}(?:{MONTH}月)?{DAY})?日"
    r"(?:上午|下午|晚上|晚|早上|中午)?|近日|日前|连日来|昨日|昨天|今天|今日)[，,\s]*"
)
_ORGAN = re.compile(
    r"人大|常委会|代表大会|委员会|政府|政协|法院|检察院|党委|党组|[省市县区乡镇]委|会议|[厅局办]"
)
# a clause that reports a whole event ends the title (……第五次会议召开); one that only sets
# the frame (根据……安排, 为了……) does not start it
_EVENT = re.compile(r"召开|举行|举办|闭幕|开幕|召集")
_PREAMBLE = re.compile(
    r"^(?:根据|按照|依照|依据|为了|为|遵照|在[^，,]{2,30}(?:下|中|之际)|也|并|又|还|同时|但|而)"
)
_NAME_LIST = re.compile(r"([\u4e00-\u9fff]{2,3})(?:、[\u4e00-\u9fff]{2,3}){2,}")
_MEETING = r"[^\n。，,；;]{2,50}?第[^\n。，,；;]{1,12}?次(?:全体)?会议"
_MEETING_OPENING = re.compile(rf"^({_MEETING})(?:听取|审议|审查|批准|决定|通过|讨论)")
_ACT_OBJECT = re.compile(
    r"(?:听取|审议|审查|批准|讨论)(?:了|并|和|并且|与)?(?:审议|审查|批准)?了?[^。；;\n]{0,40}?"
    r"(?:[《“]([^》”]{2,60})[》”]|(?:所作|提出|提交|作)的([^。，,；;\n《》“”]{2,40}?(?:报告|议案|规划|纲要|计划|预算|决算)))"
)
_REPORT_FOR = re.compile(
    r"(?:我|现在)?[，,]?(?:受|代表)([^。，,；;\n]{2,30}?)(?:的)?(?:委托)?[，,]?向[^。，,；;\n]{0,20}?"
    r"(?:大会|会议|常委会|常务委员会)[^。，,；;\n]{0,4}?(?:作|报告)"
)
_OCCASION = re.compile(
    r"([^\s，。,、；;：:“”《》（）()]{2,40}?(?:会议|大会|培训班|座谈会|仪式|典礼|论坛|研讨会|推进会|动员会|"
    r"开幕式|闭幕式|学习会|报告会|联席会|年会))"
)
_SUBTITLE_OCCASION = re.compile(r"在(.{2,60}?)(?:上|时|中)(?:的(讲话|致辞|发言|报告|工作报告|讲话提纲))?$")
_REPLY_SUBJECT = re.compile(
    r"(?:您|你)(?:们)?[^。\n]{0,20}?(?:提出|所提|领衔提出|领衔)的([《“][^》”]{2,60}[》”])"
)
_MINUTES_MEETING = re.compile(rf"^({_MEETING}|[^\n。，,；;]{{2,40}}?会议)(?:于|在|召开|举行)")


def give_title(doc: Document, genre: str | None) -> None:
    """Compose a title for ``doc`` when it has none (or re-compose a composed one, ``genre``
    having changed); a printed title is never touched."""
    if doc.title and not doc.title_derived:
        return
    title = derive_title(doc, genre)
    doc.title, doc.title_derived = (title, True) if title else (None, False)


def derive_title(doc: Document, genre: str | None) -> str | None:
    """The title the text gives (see the module's docstring), or None for an empty text."""
    paragraphs = [p.strip() for p in (doc.paragraphs or (doc.body or "").splitlines()) if p.strip()]
    paragraphs = [p for p in paragraphs if not BYLINE.match(no_spaces(p))]
    opening = "\n".join(paragraphs[:4])
    for compose in (_resolution, _report, _speech, _reply, _minutes):
        title = compose(doc, genre, opening)
        if title:
            return _tidy(title, MAX_TITLE)
    title = _opening_heading(paragraphs) or _from_sentence(paragraphs)
    return title if title and _wordy(title) else None


def _wordy(title: str) -> bool:
    """Words enough to name a document: not a code, a number or a table's first cells."""
    chinese = len(_CJK.findall(title))
    return chinese >= 6 and chinese * 3 >= len(title) * 2


def _resolution(doc: Document, genre: str | None, opening: str) -> str | None:
    meeting = _meeting_of_note(doc.adoption_note)
    first = _lead_text(opening)
    found = _MEETING_OPENING.match(first)
    if meeting is None and (found is None or genre not in ("决议", "决定")):
        return None
    meeting = meeting or found.group(1)
    act = genre if genre in ("决议", "决定") else "决议"
    subject = _act_object(first)
    return f"{meeting}关于{subject}的{act}" if subject else f"{meeting}{act}"


def _meeting_of_note(note: str | None) -> str | None:
    """``（2021年1月14日海淀区第十六届人民代表大会第七次会议通过）`` -> the meeting."""
    if not note:
        return None
    text = no_spaces(note.splitlines()[0]).strip("（）()")
    text = ANY_DATE.sub("", text, count=1).lstrip("，, ")
    text = re.sub(r"(?:通过|批准|修正|修订|公布|决定)[^（()）]*$", "", text)
    return text if 4 <= len(text) <= 60 and "会" in text else None


def _act_object(text: str) -> str | None:
    """What an opening sentence says the meeting dealt with: ``……所作的政府工作报告``."""
    match = _ACT_OBJECT.search(text)
    if not match:
        return None
    subject = (match.group(1) or match.group(2)).strip()
    if "关于" in subject:
        subject = subject[subject.rindex("关于") + 2 :]  # the organ before 关于 is not the subject
    return subject or None


def _report(doc: Document, genre: str | None, opening: str) -> str | None:
    if genre not in ("报告", "工作总结", None):
        return None
    found = _REPORT_FOR.search(opening)
    if not found:
        return None
    organ = found.group(1).strip()
    return f"{organ}工作报告" if organ else None


def _speech(doc: Document, genre: str | None, opening: str) -> str | None:
    if genre != "讲话稿" and not doc.subtitle:
        return None
    act = "讲话"
    occasion = None
    if doc.subtitle:
        found = _SUBTITLE_OCCASION.search(doc.subtitle.lstrip("—-– "))
        if found:
            occasion, act = found.group(1), found.group(2) or ("报告" if genre == "报告" else act)
            occasion = ANY_DATE.sub("", occasion).strip("，, ")
    if occasion is None:
        found = _OCCASION.search(_lead_text(opening))
        occasion = found.group(1) if found else None
    if not occasion:
        return None
    speaker = no_spaces(doc.signature[0]) if doc.signature and len(doc.signature[0]) <= 30 else ""
    return f"{speaker}在{occasion}上的{act}"


def _reply(doc: Document, genre: str | None, opening: str) -> str | None:
    if genre != "建议答复":
        return None
    found = _REPLY_SUBJECT.search(opening)
    if not found:
        return None
    subject = "《" + found.group(1)[1:-1] + "》"
    organ = doc.issuer[0] if doc.issuer else ""
    return f"{organ}对{subject}的答复"


def _minutes(doc: Document, genre: str | None, opening: str) -> str | None:
    if genre != "纪要" and "纪要如下" not in opening:
        return None
    found = _MINUTES_MEETING.match(_lead_text(opening))
    return f"{found.group(1)}纪要" if found else None


def _lead_text(text: str) -> str:
    """The text without a news byline and dateline at its start."""
    text = _BYLINE.sub("", text.strip(), count=1)
    return _DATELINE.sub("", text, count=1)


def _opening_heading(paragraphs: list[str]) -> str | None:
    """A short first line that is no sentence, salutation or label: a heading standing first."""
    if not paragraphs:
        return None
    first = paragraphs[0]
    if len(first) > MAX_SENTENCE_TITLE or _SENTENCE_END.search(first) or _CLAUSE.search(first):
        return None
    if len(first) < 6 or ANY_DATE.search(first) or first.startswith(("——", "—", "（", "(")):
        return None
    return _tidy(first, MAX_SENTENCE_TITLE)


def _from_sentence(paragraphs: list[str]) -> str | None:
    """The first sentence (of the first three) that names an organ or a meeting, from the clause
    that names it, cut at a clause near ``MAX_SENTENCE_TITLE`` characters."""
    sentences = [s for p in paragraphs[:3] for s in _SENTENCE_END.split(_lead_text(p)) if s.strip()]
    sentences = [_lead_text(s) for s in sentences[:6]]
    chosen = next((s for s in sentences if _ORGAN.search(s)), sentences[0] if sentences else "")
    clauses = [_lead_text(c) for c in _CLAUSE.split(chosen) if c.strip()]
    clauses = [c for c in clauses if c] or [""]
    start = next((i for i, c in enumerate(clauses) if _ORGAN.search(c) and not _PREAMBLE.match(c)),
                 0)
    title = ""
    for clause in clauses[start:]:
        if title and len(title) + len(clause) + 1 > MAX_SENTENCE_TITLE:
            break
        title = f"{title}，{clause}" if title else clause
        if _EVENT.search(clause):
            break  # the event is named: what follows (who presided) is no part of the title
    return _tidy(title, MAX_SENTENCE_TITLE) or None


def _tidy(title: str, limit: int) -> str:
    """Spaces closed up, lists of names shortened (``张三、李四、王五`` -> ``张三等``), trailing
    punctuation dropped, cut at ``limit`` characters."""
    title = _NAME_LIST.sub(r"\1等", no_spaces(title)).strip("，,、：:；;。 ")
    return title if len(title) <= limit else title[: limit - 1] + "…"
