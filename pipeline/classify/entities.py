"""Named things in official documents, by patterns: organs, people with posts, places, dates, 文号,
meetings (``区十七届人大常委会第八次会议``) and laws cited (``《……法》``).

Regular expressions over the raw text rather than token patterns: Chinese segmenters cut organ names
and numbers differently from one version to the next, the characters do not change.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.text.dates import CN_DATE, DATE

_NUM = r"[0-9０-９一二三四五六七八九十百〇零两]+"
# the suffix must not be the first character of a common word: 市场, 市民, 旗帜, 区域, 区别, 省份, 乡村, 县级
_PLACE = r"(?:[\u4e00-\u9fa5]{2,8}?(?:省|自治区|市|自治州|州|盟|区|县|旗|镇|乡|街道)(?![场民帜值容域间份村级别]))"
_ORG_HEAD = r"(?:全国|中共|中国共产党)?(?:[\u4e00-\u9fa5]{0,10}?(?:省|市|区|县|州|镇|乡))?"
_ORG_TAIL = (
    r"(?:人民代表大会常务委员会|人大常委会|人民代表大会|人民政府|人民法院|人民检察院|监察委员会|"
    r"委员会|办公厅|办公室|工作委员会|工委|局|厅|委|部|署|院|总局)"
)
_POSTS = r"(?:主任|副主任|秘书长|委员长|副委员长|主席|副主席|书记|副书记|区长|副区长|县长|副县长|市长|副市长|院长|检察长|局长|部长|委员|代表|厅长|处长|科长)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("MEETING", re.compile(
        rf"(?:{_PLACE}|区|市|县|省|全国)?(?:第?{_NUM}届)?(?:人民代表大会|人大)(?:常务委员会|常委会)?"
        rf"第{_NUM}次(?:全体)?会议|{_NUM}届人大{_NUM}次会议|第{_NUM}次主任会议"
    )),
    ("DOCNO", re.compile(r"[\u4e00-\u9fa5]{1,10}[〔\[［]\s*(?:19|20)\d{2}\s*[〕\]］]\s*\d+\s*号")),
    ("LAW", re.compile(r"《[^《》\n]{2,60}?(?:法|条例|办法|规定|规则|细则|决定|决议)(?:（[^（）]{1,20}）)?》")),
    ("PERSON_POST", re.compile(
        rf"{_ORG_HEAD}(?:人大常委会|常委会|人民政府|政府|人民法院|法院|人民检察院|检察院|监察委员会)?"
        rf"(?:党组书记、)?(?:常务)?{_POSTS}((?![大会议常委主副的])[\u4e00-\u9fa5]{{1}}[\u4e00-\u9fa5某]{{1,2}})(?=[，,、。主出列参在作讲指强表代：:（(\s])"
    )),
    ("ORG", re.compile(rf"{_ORG_HEAD}{_ORG_TAIL}")),
    ("DATE", re.compile(f"{DATE}|{CN_DATE}")),
    ("PLACE", re.compile(_PLACE)),
]


# Where each costly pattern can match, so that it runs on those parts of a text only (the patterns
# try every position, most of them with a lazy place or organ prefix of up to ten characters).
# label -> (the characters outside every match, what every match contains): a match lies inside
# one run of the other characters, so the matches of a run holding none of the anchors are none,
# and those of the others are the pattern's own over the run. Each run is scanned with one
# character after it in view, for the one-character lookaheads at a match's end (PERSON_POST's);
# no match reaches it, since it is outside every match. (tests/test_worker_shortcuts.py compares
# with the plain scan on the corpus and on random texts of the patterns' characters.)
_CJK = r"\u4e00-\u9fa5"
_WHERE: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    label: (re.compile(outside), re.compile(anchors)) for label, outside, anchors in [
        ("MEETING", rf"[^{_CJK}0-9０-９〇]", "人民代表大会|人大|主任会议"),
        ("DOCNO", rf"[^{_CJK}〔\[［〕\]］\s\d]", r"[〔\[［]"),
        ("PERSON_POST", rf"[^{_CJK}、]", _POSTS),
        # every organ tail holds one of these (人民法院 院, 办公厅 厅, 人大常委会 委, ...)
        ("ORG", rf"[^{_CJK}]", "[局厅委部署院]|人民代表大会|人民政府|办公室"),
        ("PLACE", rf"[^{_CJK}]", "[省市州盟区县旗镇乡]|街道"),
    ]
}


def _matches(label: str, pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, scanning only the runs of ``text`` that can hold a match."""
    if label not in _WHERE:
        yield from pattern.finditer(text)
        return
    outside, anchors = _WHERE[label]
    size, backwards = len(text), ""
    anchor = anchors.search(text)
    while anchor is not None:
        at = anchor.start()
        backwards = backwards or text[::-1]  # the run's start is the nearest stop before ``at``
        stop = outside.search(backwards, size - at)
        start = size - stop.start() if stop else 0
        stop = outside.search(text, at)
        end = stop.start() if stop else size
        yield from pattern.finditer(text, start, end + 1)
        anchor = anchors.search(text, end)


_LEADING_NOISE = set("和及与的据照按依并经在由见")
# Characters that never sit inside a place or organ name but often precede one in a sentence:
# a match is trimmed to what follows the last of them ("会议听取了区政府" -> "区政府").
_BOUNDARY = re.compile(
    r"[的了和与在对向从把被是为由受及等我经将并按，,。、；;：:（）()《》“”\"' ]|会议|听取|审议|根据|关于|决定|提交"
    r"|修改|完善|讨论|研究|传达|学习|同志|辞去|撤销|任命|免去|职务|重要|参照|核心|中心|书记|备案"
)
# A place is also trimmed after the verbs and time words that lead into one in running text
# (恳请解决巴东县, 今年上海市); these never occur inside a place name, though some do in organs'
# (城乡建设局), hence for places only. Spans ending in a generic word are not names (贫困地区, 试点城市).
_PLACE_LEAD = re.compile(
    r"今年|去年|明年|当前|目前|解决|帮助|恳请|提出|加强|建立|推进|推动|开展|支持|随着|相信|坚持|深化|统筹|用于"
    r"|打造|引领|运用|助力|提高|实施|落实|促进|掌握|抓好|进行|其他|各个|全面|国际|国内|以及|包括|位于|来自|前往"
    r"|来到|会同|出台|连接|清理|下达"
)
_GENERIC_PLACE = ("城市", "地区", "城镇", "城乡", "市区", "城区", "郊区", "山区", "省区", "该市", "本市", "全市",
                  "全省", "全区", "全县", "我省", "我市", "我区", "我县", "各省", "各市", "各县", "各区")
_TRIMMED = {"PLACE": 3, "ORG": 3, "PERSON_POST": 4, "MEETING": 6, "DOCNO": 5}  # label -> shortest sensible length after trimming


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    start: int
    end: int


def find_entities(text: str) -> list[Entity]:
    """Non-overlapping entities, earlier patterns (more specific) winning overlaps."""
    taken: list[tuple[int, int]] = []  # (start, end), sorted and disjoint
    found: list[Entity] = []
    for label, pattern in PATTERNS:
        for match in _matches(label, pattern, text):
            span = entity_span(label, *match.span(), text)
            if span is None or _overlaps(taken, *span):
                continue
            insort(taken, span)
            found.append(Entity(label, text[span[0]:span[1]], *span))
    return sorted(found, key=lambda entity: entity.start)


def entity_span(label: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """A match's span once its leading noise is trimmed (None: nothing sensible is left)."""
    if label == "DOCNO":  # the organ code never starts with a conjunction or preposition
        while end - start > 2 and text[start] in _LEADING_NOISE:
            start += 1
    if label in _TRIMMED:
        span = text[start:end]
        # MEETING names contain 会议 themselves: only look before the session number.
        limit = span.find("第") if label == "MEETING" and "第" in span else len(span)
        cuts = [m.end() for m in _BOUNDARY.finditer(span[:limit])]
        if label == "PLACE":
            cuts += [m.end() for m in _PLACE_LEAD.finditer(span)]
        start += max(cuts, default=0)
        if end - start < _TRIMMED[label]:
            return None
        if label == "PLACE" and text[start:end].endswith(_GENERIC_PLACE):
            return None
    return (start, end) if end - start >= 2 else None


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a span of ``taken`` (sorted, disjoint): only the last span
    starting at or before ``start`` and the first starting after it can."""
    i = bisect_right(taken, (start, end))
    return (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end)


def entity_summary(text: str, per_label: int = 10) -> dict[str, list[str]]:
    """Distinct entity texts per label, in order of first appearance."""
    summary: dict[str, list[str]] = {}
    for entity in find_entities(text):
        items = summary.setdefault(entity.label, [])
        if entity.text not in items and len(items) < per_label:
            items.append(entity.text)
    return summary
