"""Slot masking: the parts of a sentence that vary between documents, replaced by one character each.

Mining aligns documents on their *masked* text, so that ``2023年6月28日，区第十七届人大常委会第十二次
会议听取和审议了`` and ``2022年6月28日，区第十八届人大常委会第四次会议听取和审议了`` become the same
string. Each slot kind is one private-use character, so a slot never splits an n-gram and a fixed
phrase keeps its slots in place (``\\ue001，\\ue002听取和审议了``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.dates import ANY_YEAR, CN_DATE, DAY, MONTH

# kind -> (private-use marker, Chinese label shown to users and used as the slot name)
KINDS: dict[str, tuple[str, str]] = {
    "title": ("\ue000", "报告标题"),
    "meeting": ("\ue001", "会议名称"),
    "doc_number": ("\ue002", "文号"),
    "date": ("\ue003", "日期"),
    "year": ("\ue004", "年份"),
    "person": ("\ue005", "姓名"),
    "organ": ("\ue006", "机关"),
    "number": ("\ue007", "数字"),
}
MARKER_KIND = {marker: kind for kind, (marker, _) in KINDS.items()}
MARKERS = frozenset(MARKER_KIND)

_CN_NUM = "一二三四五六七八九十百零〇两"
_ORDINAL = rf"第?[{_CN_NUM}\d]+"
_POSTS = ("总理|副总理|委员长|副委员长|主席|副主席|主任|副主任|区长|副区长|市长|副市长|县长|副县长|书记|副书记|"
          "院长|副院长|检察长|副检察长|局长|副局长|秘书长|副秘书长|部长|副部长|委员|代表|同志")
_ORGAN_SUFFIX = ("人民代表大会常务委员会|人民代表大会|人大常委会|人民政府|监察委员会|人民法院|人民检察院|"
                 "委员会|工委|办公室|管委会|局|委|院|会")
# Place names: 2-3 characters that are not function words or date characters, so that
# "审议了区人民政府" or "14日海淀区…" do not become place names.
_PLACE_CHAR = r"[^\W\d_了的和与及对在向将由于为把被等中各全本我该是有从给请面告并据经年月日时分上下午前后第届次]"
# Before 第…届 a place name is likely, so fewer characters are ruled out (巴中市, 从化区).
_MEETING_PLACE_CHAR = r"[^\W\d_了的和与及对在向将由于为把被等各全本我该是有给请面告并据经年月日时分上下午前后第届次]"
_PLACE = rf"{_PLACE_CHAR}{{2,3}}(?:自治区|省|市|县|区|镇|街道)"

# Order matters: longer, more specific patterns first (a meeting holds a number, a title holds anything).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("title", re.compile(r"《[^《》\n]{1,80}》")),
    ("doc_number", re.compile(r"[\u4e00-\u9fa5]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")),
    ("date", re.compile(f"{ANY_YEAR}年{MONTH}月{DAY}日")),
    ("date", re.compile(CN_DATE)),
    ("meeting", re.compile(
        rf"(?:(?:{_MEETING_PLACE_CHAR}{{1,3}}(?:自治区|省|市|县|区))+|[区市县省]|全国)?{_ORDINAL}届(?:全国)?"
        rf"(?:人民代表大会|人大)?(?:常务委员会|常委会)?{_ORDINAL}次(?:主任会议|全体会议|会议)?"
        rf"(?:主席团)?(?:{_ORDINAL}次(?:全体会议|会议))?")),
    ("meeting", re.compile(rf"(?:常委会|常务委员会)?第[{_CN_NUM}\d]+次(?:主任会议|党组会议|会议)")),
    ("date", re.compile(f"{ANY_YEAR}年{MONTH}月(?:底|初|上旬|中旬|下旬|末)?")),
    ("date", re.compile(f"{MONTH}月{DAY}日(?:上午|下午|晚)?")),
    ("year", re.compile(f"{ANY_YEAR}年(?:度)?")),
    ("organ", re.compile(rf"{_PLACE}[\u4e00-\u9fa5]{{0,10}}?(?:{_ORGAN_SUFFIX})")),
    ("person", re.compile(rf"(?:{_POSTS})(?P<v>[\u4e00-\u9fa5]{{2,3}}?)(?=所作|同志|受|主持|作|在|：|，|。|、|）|\s|$)")),
    ("number", re.compile(r"\d+(?:\.\d+)?")),
]

_HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})


def normalise(text: str) -> str:
    """Full-width punctuation and no spaces: real web texts mix ``,`` and ``，``."""
    text = text.translate(_HALF_TO_FULL)
    return re.sub(r"[ \t\u3000\xa0]+", "", text)


@dataclass
class Masked:
    """A masked string and the values each marker replaced, in order of appearance."""

    text: str
    values: list[tuple[str, str]]  # (kind, original text)


def mask(text: str) -> Masked:
    """Replace every slot value in ``text`` by its kind's marker character."""
    text = normalise(text)
    spans: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            # A pattern with a group "v" masks only that group (a name after its post).
            start, end = match.span("v") if "v" in pattern.groupindex else match.span()
            if end > start and not any(taken[start:end]):
                spans.append((start, end, kind))
                for i in range(start, end):
                    taken[i] = True
    spans.sort()
    out: list[str] = []
    values: list[tuple[str, str]] = []
    cursor = 0
    for start, end, kind in spans:
        out.append(text[cursor:start])
        out.append(KINDS[kind][0])
        values.append((kind, text[start:end]))
        cursor = end
    out.append(text[cursor:])
    return _merge_adjacent(out, values)


def _merge_adjacent(pieces: list[str], values: list[tuple[str, str]]) -> Masked:
    """Two values of one kind side by side are one value (``第四次会议第三次全体会议``)."""
    text = "".join(pieces)
    merged_text: list[str] = []
    merged_values: list[tuple[str, str]] = []
    index = 0
    for char in text:
        if char in MARKERS:
            kind, value = values[index]
            index += 1
            if merged_text and merged_text[-1] == char and merged_values and merged_values[-1][0] == kind:
                merged_values[-1] = (kind, merged_values[-1][1] + value)
                continue
            merged_values.append((kind, value))
        merged_text.append(char)
    return Masked("".join(merged_text), merged_values)


def display(masked_text: str) -> str:
    """Markers shown as ``〈会议名称〉`` for people to read."""
    return "".join(f"〈{KINDS[MARKER_KIND[c]][1]}〉" if c in MARKERS else c for c in masked_text)


def literal_share(masked_text: str) -> int:
    """Number of Chinese characters outside slots (how much real wording a phrase holds)."""
    return sum(1 for c in masked_text if "\u4e00" <= c <= "\u9fff")
