"""``chronicle``: dated events (大事记) from the archive's documents, one line per event.

Where events are read:
- a sentence that opens with its date (``6月21日，区人大常委会召开第五次主任会议，……``, also after a
  news byline ``本报讯（记者 某某）``), with an event verb (召开 通过 任命 视察 检查 …);
- ``……于2015年4月21日召开`` inside a sentence;
- a resolution's adoption note (``（2023年6月28日区第十七届人大常委会第十二次会议通过）``); a law's
  note gives its adoption and each amendment (修正, 修订);
- a 纪要's ``时间`` line with its title, when the body reports no event that day.

A line starts with its date in the chronicle style (``6月21日 ……``; unknown day ``是月 ……``,
unknown month ``是年 ……``). ``date`` is ISO ``YYYY-MM-DD`` (``YYYY-MM``, ``YYYY`` when partial). A
date without a year takes the document's year (the year before when the month is later than the
document's); when neither the sentence nor the document gives a year, ``date`` is ISO 8601's
year-less ``--MM-DD`` and such events sort last (a ``--year`` filter drops them). Plans are not
events: a 工作计划, a date after the document's own date, or one after 决定/定于/拟/将 is skipped;
nor is a date that only qualifies an act the sentence cites (``……通过的《……条例》同时废止``).
Several reports of one day and near-identical text (character-bigram Jaccard ≥ 0.5, or one inside
the other) are one event: its line is the earliest document's, ``sources`` lists every document
that reports it. A document's year is its 成文日期's, else its web page's publication line's
(``发布时间：…``), never a file's modification time. Each entry carries an ``id`` (``--exclude``
takes it) and ``restricted`` (true when only 内部 documents report it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from pipeline.archive.rows import RowSource
from pipeline.excerpts.cache import per_document
from pipeline.excerpts.sections import paragraphs, sentences
from pipeline.model import Document
from pipeline.structure.normalise import digits
from pipeline.text.dates import ANY_DATE, DAY, MONTH, YEAR, find_date

if TYPE_CHECKING:
    from pipeline.home import Home

EVENT_VERBS = re.compile(
    "召开|举行|开幕|闭幕|通过|表决|审议|听取|任命|免去|免职|选举|批准|视察|检查|调研|考察|督查|督办|"
    "座谈|主持|出席|组织|开展|参加|接待|走访|成立|启动|举办|部署|传达|学习|评议|询问|审查|作出|决定"
)
PLAN_WORDS = re.compile("决定|定于|拟|将于|将在|计划|预计|建议")
ADOPTED = ("通过", "批准", "修正", "修订")
# ``1996年12月5日……会议通过的《……条例》同时废止``: the date qualifies an act the sentence cites;
# what the sentence reports happened another day.
CITED_ACT = re.compile(r"^[^，,。]{0,60}?(?:通过|发布|印发|批准)的")
TIME_OF_DAY = "(?:上午|下午|晚上|晚间|晚|早上|中午|凌晨)?"
# ``7月28日上午``; also ``7月28上午`` (日 left out before the time of day, as news copy does)
_DAY_END = "(?:[日号]|(?=上午|下午|晚上|晚间|早上|中午|凌晨))"
_DAY = rf"(?P<d>{DAY}){_DAY_END}(?P<range>(?:至|到|—|-|－|~)(?:{MONTH}月)?{DAY}[日号])?"
_MONTH_PART = "(?:份|上旬|中旬|下旬|初|中|底|末)?"
LEADING_DATE = re.compile(
    rf"^(?:(?P<y>{YEAR})\s*年\s*)?(?P<m>{MONTH})\s*月\s*(?:{_DAY}|{_MONTH_PART}){TIME_OF_DAY}"
    r"(?P<sep>[，,、\s]*)"
)
LEADING_YEAR = re.compile(rf"^(?P<y>{YEAR})\s*年(?:度|内)?[，,]\s*")
HELD_ON = re.compile(
    rf"(?P<subject>[^，,。；]{{4,60}}?)于(?:(?P<y>{YEAR})年)?(?P<m>{MONTH})月(?P<d>{DAY}){_DAY_END}"
    rf"{TIME_OF_DAY}(?:在[^，,。]{{1,20}})?(?P<verb>召开|举行|开幕|闭幕)"
)
# ``本报讯（记者 林瑶）``, ``宁德蕉城在线(陈姜燕)``, ``转自：天津日报``: bylines before the first sentence.
BYLINE = re.compile(r"^(?:[^，,。()（）]{0,16}[（(][^（）()]{0,24}[)）]\s*|转自[:：][^\n]{0,20}\n?)")
STRONG_VERBS = re.compile("召开|举行|通过|作出|批准|选举|任命|开幕|闭幕")
# ``2019年，……全年共召开常委会会议8次……`` sums a year up; ``2024年，办公室将……`` plans one.
YEAR_SUMMARY = re.compile("将|计划|拟|力争|进一步|全年|共|各项")
MAX_YEAR_TEXT = 80
DUPLICATE_SIMILARITY = 0.5  # character-bigram Jaccard above which two lines of one date are one event
MAX_TEXT = 300  # longer "sentences" are run-on page text, not an event line


@dataclass
class Event:
    year: int | None
    month: int
    day: int | None
    label: str  # "6月21日", "5月14日至17日", "是月", "是年"
    text: str  # what happened, without the date
    doc_id: str
    restricted: bool = False  # read from a 内部 (restricted) document

    @property
    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}" if self.day else f"--{self.month:02d}"
        if self.month == 0:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year or 9999, self.month or 13, self.day or 32)

    def to_json(self) -> dict[str, Any]:
        return {"date": self.iso, "text": f"{self.label} {self.text}", "doc_id": self.doc_id}

    @property
    def key(self) -> tuple[int | None, int, int | None]:
        return self.year, self.month, self.day


# --- one sentence ------------------------------------------------------------------------------
def parse_event(sentence: str) -> tuple[int | None, int, int | None, str, str] | None:
    """``(year, month, day, label, text)`` of a sentence that opens with its date and reports an
    event (month 0: the sentence names only a year); None otherwise."""
    sentence = BYLINE.sub("", digits(sentence).strip()).strip()
    if len(sentence) > MAX_TEXT:
        return None
    match = LEADING_DATE.match(sentence)
    if match and (match["sep"] or match["d"]):
        rest = _rest(sentence[match.end():])
        month = int(match["m"])
        day = int(match["d"]) if match["d"] else None
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31) or not _is_event(rest):
            return None
        year = int(match["y"]) if match["y"] else None
        label = f"{month}月{day}日{_range(match)}" if day else "是月"
        return year, month, day, label, rest
    match = LEADING_YEAR.match(sentence)
    if match:
        rest = _rest(sentence[match.end():])
        if (len(rest) <= MAX_YEAR_TEXT and STRONG_VERBS.search(rest) and _is_event(rest)
                and not YEAR_SUMMARY.search(rest)):
            return int(match["y"]), 0, None, "是年", rest
    return None


def held_on(sentence: str) -> tuple[int | None, int, int, str, str] | None:
    """``……会议于2015年4月21日召开`` inside a sentence."""
    text = digits(sentence)
    match = HELD_ON.search(text)
    if match is None or PLAN_WORDS.search(text, 0, match.end("subject")):
        return None
    month, day = int(match["m"]), int(match["d"])
    subject = re.sub(r"^.*[：:]", "", match["subject"]).strip()
    return (int(match["y"]) if match["y"] else None, month, day, f"{month}月{day}日",
            f"{subject}{match['verb']}。")


def _range(match: re.Match[str]) -> str:
    return match["range"].replace("号", "日") if match["range"] else ""


def _rest(text: str) -> str:
    return text.lstrip("，,、 ").strip()


def _is_event(rest: str) -> bool:
    return (len(rest) >= 6 and bool(EVENT_VERBS.search(rest)) and not rest.startswith(("将", "拟"))
            and not CITED_ACT.match(rest))


# --- one document ------------------------------------------------------------------------------
PLAN_GENRES = {"工作计划"}  # 工作计划 / 工作要点 list what is to happen, not what happened


def document_events(doc_id: str, doc: Document) -> list[Event]:
    """The events one document reports: one per date (its first report of that day)."""
    if doc.genre in PLAN_GENRES:
        return []
    doc_year, doc_month = _document_year_month(doc)
    restricted = bool(doc.restricted)
    events: dict[tuple[int | None, int, int | None], Event] = {}
    for year, month, day, label, text in _candidates(doc):
        if year is None and doc_year is not None:
            year = doc_year - 1 if doc_month and month > doc_month + 1 else doc_year
        event = Event(year, month, day, label, text, doc_id, restricted)
        if _after(event, doc.date or doc.published):
            continue  # a plan announced in the document, not an event yet
        events.setdefault((event.year, event.month, event.day), event)
    # A law's note records its adoption and every amendment, also those after the date it carries.
    for year, month, day, label, text in _adoptions(doc.adoption_note or "", doc.title):
        events.setdefault((year, month, day), Event(year, month, day, label, text, doc_id, restricted))
    return list(events.values())


def _events_of(doc_id: str, doc: Document) -> list[dict[str, Any]]:
    return [asdict(event) for event in document_events(doc_id, doc)]


def _candidates(doc: Document) -> Iterator[tuple[int | None, int, int | None, str, str]]:
    for paragraph in paragraphs(doc):
        for sentence in sentences(paragraph.text):
            found = parse_event(sentence) or held_on(sentence)
            if found:
                yield found
    held = doc.meeting.get("时间") if doc.meeting else None
    if held and doc.title:
        iso = find_date(held)
        if iso:
            year, month, day = (int(p) for p in iso.split("-"))
            name = re.sub(r"(会议)?纪要$", "会议", doc.title.strip())
            yield year, month, day, f"{month}月{day}日", f"{name}召开。"


def _adoptions(note: str, title: str | None) -> Iterator[tuple[int, int, int, str, str]]:
    """``（2023年6月28日区第十七届人大常委会第十二次会议通过）`` -> the adoption as an event; a law's
    note of several dates gives its adoption and each amendment (公布, 施行 are not events)."""
    text = digits(note)
    dates = list(ANY_DATE.finditer(text))
    for here, following in zip(dates, [*dates[1:], None]):
        iso = find_date(here.group(0))
        body = re.sub(r"\s+", "", text[here.end():following.start() if following else len(text)])
        body = re.sub(r"根据$", "", body.strip("（）()，,；; ")).rstrip("，,；; ")
        if iso and body.endswith(ADOPTED):
            year, month, day = (int(p) for p in iso.split("-"))
            named = f"《{title.strip()}》" if title else ""
            yield year, month, day, f"{month}月{day}日", f"{body}{named}。"


def _document_year_month(doc: Document) -> tuple[int | None, int | None]:
    """The document's own date (成文日期, else its page's publication line, else a date in its
    opening paragraphs) as (year, month): never a file's modification time."""
    iso = doc.date or doc.published or find_date("\n".join(doc.paragraphs[:3]) or doc.body[:300])
    if not iso:
        return None, None
    return int(iso[:4]), int(iso[5:7])


def _after(event: Event, doc_date: str | None) -> bool:
    if not doc_date or event.year is None or event.day is None:
        return False
    return event.iso > doc_date


# --- over the archive --------------------------------------------------------------------------
def chronicle(home: Home, year: int | None = None, include_restricted: bool = True,
              rows: RowSource | None = None) -> dict[str, Any]:
    """``{"events": [...]}`` from every current, non-classified document (内部 ones only when
    ``include_restricted``), sorted by date; an event several documents report is one entry
    listing them all (``sources``, earliest first). ``rows``: another catalog's documents."""
    reports: list[list[Event]] = []  # each event with its later reports
    by_date: dict[tuple[int | None, int, int | None], list[list[Event]]] = {}
    for _doc_id, found in per_document(home, "events", _events_of, include_restricted, rows):
        for event in (Event(**fields) for fields in found):
            if year is not None and event.year != int(year):
                continue
            same_day = by_date.setdefault(event.key, [])
            earlier = next((g for g in same_day if _same_event(event.text, g[0].text)), None)
            if earlier is None:
                same_day.append([event])
                reports.append(same_day[-1])
            elif event.doc_id not in {e.doc_id for e in earlier}:
                earlier.append(event)
    reports.sort(key=lambda group: group[0].sort_key())
    return {"events": [_entry(group) for group in reports]}


def _entry(group: list[Event]) -> dict[str, Any]:
    first = group[0]
    entry = first.to_json()
    entry["sources"] = [event.doc_id for event in group]
    entry["id"] = event_id(entry["date"], entry["text"], first.doc_id)
    entry["restricted"] = all(event.restricted for event in group)
    return entry


def event_id(date: str, text: str, doc_id: str) -> str:
    """``e`` + ten hex digits naming an event by its date, line and first source."""
    key = json.dumps([date, text, doc_id], ensure_ascii=False)
    return "e" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _same_event(a: str, b: str) -> bool:
    if a in b or b in a:
        return True
    grams_a = {a[i:i + 2] for i in range(len(a) - 1)}
    grams_b = {b[i:i + 2] for i in range(len(b) - 1)}
    union = grams_a | grams_b
    return bool(union) and len(grams_a & grams_b) / len(union) >= DUPLICATE_SIMILARITY
