"""Named things in official documents, by patterns: organs, people with posts, places, dates, 文号,
meetings (``区十七届人大常委会第八次会议``) and laws cited (``《……法》``).

Regular expressions over the raw text rather than token patterns: Chinese segmenters cut organ names
and numbers differently from one version to the next, the characters do not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"[0-9０-９一二三四五六七八九十百〇零两]+"
_PLACE = r"(?:[\u4e00-\u9fa5]{2,8}?(?:省|自治区|市|自治州|州|盟|区|县|旗|镇|乡|街道))"
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
    ("DATE", re.compile(
        r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|[一二][〇○零一二三四五六七八九]{3}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
    )),
    ("PLACE", re.compile(_PLACE)),
]


_LEADING_NOISE = set("和及与的据照按依并经在由见")
# Characters that never sit inside a place or organ name but often precede one in a sentence:
# a match is trimmed to what follows the last of them ("会议听取了区政府" -> "区政府").
_BOUNDARY = re.compile(
    r"[的了和与在对向从把被是为由受及等我经将并按，,。、；;：:（）()《》“”\"' ]|会议|听取|审议|根据|关于|决定|提交"
    r"|修改|完善|讨论|研究|传达|学习|同志|辞去|撤销|任命|免去|职务|重要|参照|核心|中心|书记|备案"
)
_TRIMMED = {"PLACE": 3, "ORG": 3, "PERSON_POST": 4, "MEETING": 6, "DOCNO": 5}  # label -> shortest sensible length after trimming


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    start: int
    end: int


def find_entities(text: str) -> list[Entity]:
    """Non-overlapping entities, earlier patterns (more specific) winning overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[Entity] = []
    for label, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if label == "DOCNO":  # the organ code never starts with a conjunction or preposition
                while end - start > 2 and text[start] in _LEADING_NOISE:
                    start += 1
            if label in _TRIMMED:
                span = text[start:end]
                # MEETING names contain 会议 themselves: only look before the session number.
                limit = span.find("第") if label == "MEETING" and "第" in span else len(span)
                cuts = [m.end() for m in _BOUNDARY.finditer(span[:limit])]
                start += max(cuts, default=0)
                if end - start < _TRIMMED[label]:
                    continue
            if end - start < 2 or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append(Entity(label, text[start:end], start, end))
    return sorted(found, key=lambda entity: entity.start)


def entity_summary(text: str, per_label: int = 10) -> dict[str, list[str]]:
    """Distinct entity texts per label, in order of first appearance."""
    summary: dict[str, list[str]] = {}
    for entity in find_entities(text):
        items = summary.setdefault(entity.label, [])
        if entity.text not in items and len(items) < per_label:
            items.append(entity.text)
    return summary
