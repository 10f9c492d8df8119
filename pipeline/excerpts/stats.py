"""``stats``: statistics (what was counted, how many, the change) from the archive's sentences.

A fact is a number with a unit, read where it is written: ``常委会会议7次、主任会议17次`` gives two
facts, ``全年共处理公文4000多份，同比增长8%`` gives ``处理公文`` 4000 份 (qualifier 多) with the change
``{"direction": "up", "percent": 8}``. Conventions:

- ``value`` is the number as printed (``1.2万人次`` -> 1.2 with unit ``万人次``); Chinese numerals are
  read (``十七次`` -> 17); a value is an int unless printed with decimals.
- ``qualifier``: 多 余 近 约 超过 逾 以上 左右 不足 不少于 … as printed, else null.
- ``change``: ``{"direction": "up"|"down", "percent": N}``; ``增长1.5倍`` -> percent 150;
  a change in percentage points (``下降3.2个百分点``) is ``{"direction": "down", "percent": null,
  "points": 3.2}``. A change printed without a level of its own (``规模以上工业增加值增长5.2%``)
  is a fact with ``value`` and ``unit`` null and the change set.
- ``year``: the year the sentence names, else the year opening the latest paragraph that starts with
  one (``2022年，全县……``), else the year in the document's title (``2022年…统计公报``), else the
  year of the document's date.

Not statistics: dates, 文号, ordinals after 第 (第十二条, 第5次会议), sessions (二次会议), phone numbers,
list ordinals (``1.``) — none of them is a number directly followed by a unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pipeline.excerpts.cache import per_document
from pipeline.excerpts.sections import paragraphs, sentences
from pipeline.model import Document
from pipeline.structure.normalise import digits
from pipeline.text.dates import MONTH, YEAR
from pipeline.text.numerals import to_int

if TYPE_CHECKING:
    from pipeline.home import Home

CJK = "\u4e00-\u9fff"
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = "[零〇一二两三四五六七八九十百千]+"
# Longest first, so that 人次 wins over 人 and 平方公里 over 公里.
UNITS = sorted((
    "个百分点", "人次", "家次", "户次", "批次", "车次", "架次", "平方公里", "平方米", "千瓦时", "千瓦",
    "公里", "千米", "公顷", "元", "%", "％", "‰", "次", "件", "份", "项", "篇", "条", "期", "名", "个",
    "人", "家", "所", "户", "场", "批", "起", "部", "本", "台", "辆", "套", "处", "座", "吨", "亩", "位",
    "支", "种", "架", "艘", "趟", "小时", "个月", "万元", "亿元", "头", "只", "羽", "斤", "千公顷", "张",
), key=len, reverse=True)
# Chinese numerals make facts only with these counters: 一个 两项 三个代表 are words, not counts.
CHINESE_UNITS = {"次", "件", "份", "项", "篇", "人次", "名", "家", "场", "批", "位", "户", "所", "起"}
# A count of these (``3家企业``) names what it counts right after it; amounts (亿元, %) do not.
COUNTERS = {"次", "件", "份", "项", "篇", "条", "期", "名", "个", "人", "家", "所", "户", "场", "批", "起",
            "部", "本", "台", "辆", "套", "处", "座", "位", "支", "种", "架", "艘", "趟"}
PREFIX_QUALIFIERS = ("不少于", "不低于", "超过", "将近", "接近", "大约", "多达", "不足", "不到", "突破", "近",
                     "约", "逾", "超")
SUFFIX_QUALIFIERS = ("多", "余")
POST_QUALIFIERS = ("以上", "左右")
_UNIT = "|".join(map(re.escape, UNITS))
FACT_RE = re.compile(
    rf"(?P<pre>{'|'.join(PREFIX_QUALIFIERS)})?"
    rf"(?<![\d.\-/:A-Za-z第])(?P<num>{ARABIC}|{CHINESE})(?P<mag>万亿|万|亿)?"
    rf"(?P<suf>{'|'.join(SUFFIX_QUALIFIERS)})?(?P<unit>{_UNIT})(?P<post>{'|'.join(POST_QUALIFIERS)})?"
)
UP = "增长|增加|提高|提升|上升|上涨|增产|增收|增"
DOWN = "下降|减少|降低|回落|下滑|下跌|减产|减收|减"
CHANGE_RE = re.compile(
    rf"(?:同比|环比|比上年同期|比上年末|较上年末|比上年|较上年|比去年|较去年|比{YEAR}年)?"
    rf"(?:(?P<up>{UP})|(?P<down>{DOWN}))了?"
    rf"(?P<nums>\d+(?:\.\d+)?(?:[%％]?[、和]\d+(?:\.\d+)?)*)(?P<unit>%|％|个百分点|倍)"
)
# ``分别增长4.0%、9.2%、12.3%``: one change each for the levels printed before, in order.
CHANGE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# ``比上年增加0.99万亩``: an absolute change, not a level of its own.
_COMPARED = rf"(?:同比|比上年末?|较上年末?|比去年)?(?:{UP}|{DOWN}|多|少)"
ABSOLUTE_CHANGE = re.compile(rf"(?:按可比价格?计算)?{_COMPARED}")
# What may stand between a level and its change: ``225.3亿元，按可比价格计算，比上年增长4.5%``.
CHANGE_FILLER = re.compile(
    r"^(?:[，,、\s]|按可比价格?计算|按可比口径计算|扣除价格因素|实际|名义|分别|平均|年均|"
    rf"{_COMPARED}\d+(?:\.\d+)?(?:万|亿)?(?:{_UNIT}))*$")
# 二次会议, 五次主任会议, 三次全会: sessions, not counts.
SESSION_AFTER = re.compile(rf"[{CJK}]{{0,6}}?(?:会议|全会)|产业")  # 三次产业: a term
YEAR_RE = re.compile(rf"(?<!\d)({YEAR})\s*年")
PARAGRAPH_YEAR = re.compile(rf"^({YEAR})\s*年(?:末|底|度)?[，,]")
CLAUSE_BREAK = "，,；;：:。！？\n"
_BRACKETED = re.compile(r"[（(][^（）()]{0,20}[）)]")
_LEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）|"
    rf"全年|年内|今年|去年|上年|上半年|下半年|{YEAR}年(?:{MONTH}月)?(?:份|底|末|以来)?|以来|"
    r"全区|全县|全市|全省|全国|全镇|全乡|其中|此外|另外|共计|总计|合计|累计|一共|共|先后|已)+"
)
_TRAILING = re.compile(
    r"(?:达到|达|为|是|共计|共|计|有|累计|总计|分别|已|占|的|了|从|由|(?:由|从|到|至|提高到|增加到|下降到)?"
    rf"{YEAR}年(?:底|末)?)+$")
MIN_METRIC = 2
FOLLOWING_NOUN = re.compile(rf"^[{CJK}]{{1,12}}?(?=的|和|及|与|[，,、。；;：:（(\s]|$)")
MAX_METRIC = 24
Placed = tuple[int, int, dict[str, Any]]  # a fact with where it stands in its sentence (start, end)


def parse_facts(sentence: str) -> list[dict[str, Any]]:
    """The facts of one sentence: ``metric value qualifier unit change`` (no year, no source)."""
    text = digits(sentence)
    changes = list(CHANGE_RE.finditer(text))
    taken = [(m.start(), m.end()) for m in changes]
    facts: list[Placed] = []
    for match in FACT_RE.finditer(text):
        if any(s <= match.start("num") < e for s, e in taken) or _not_a_count(text, match):
            continue
        fact = _fact(text, match, facts[-1][1] if facts else 0)
        if fact is not None:
            facts.append((match.start(), match.end(), fact))
    facts = _from_to(text, facts)
    for change in changes:
        _attach(text, change, facts)
    return [fact for _, _, fact in sorted(facts, key=lambda item: item[0])]


FROM_END = re.compile(r"(?:从|由)$")
TO_METRIC = re.compile(rf"^(?:{UP}|{DOWN}|扩大|缩小|升|降)?(?:到|至)$")


def _from_to(text: str, facts: list[Placed]) -> list[Placed]:
    """``国内生产总值从54万亿元增加到82.7万亿元``: one fact, the level reached (82.7), named by the
    words before 从; the level it started from is not a fact of the year."""
    result: list[Placed] = []
    for item in facts:
        fact = item[2]
        previous = result[-1] if result else None
        if (previous is not None and TO_METRIC.match(fact["metric"])
                and FROM_END.search(text[:previous[0]])):
            fact["metric"] = previous[2]["metric"]
            result[-1] = item
        else:
            result.append(item)
    return result


def _not_a_count(text: str, match: re.Match[str]) -> bool:
    unit, number = match["unit"], match["num"]
    chinese = not number[0].isdigit()
    if chinese and (unit not in CHINESE_UNITS or (to_int(number) or 0) < 2):
        return True
    if unit == "次" and SESSION_AFTER.match(text, match.end()):
        return True
    before = text[max(0, match.start("num") - 1):match.start("num")]
    if before and before in "至到~-—" and _is_number_end(text, match.start("num") - 2):
        return True  # the far end of a range (1至2名): the range is no one value
    return before == "第" or (chinese and bool(before) and before in "零〇一二两三四五六七八九十百千")


def _absolute_change(text: str, start: int) -> bool:
    """``，比上年增加0.99万亩``: a clause that only says how much a level changed. (A clause with
    a subject, ``农村贫困人口减少1232万人``, is a fact of its own.)"""
    boundary = max((text.rfind(c, 0, start) for c in CLAUSE_BREAK), default=-1) + 1
    return bool(ABSOLUTE_CHANGE.fullmatch(text[boundary:start].strip(" 、")))


def _is_number_end(text: str, index: int) -> bool:
    return index >= 0 and (text[index].isdigit() or text[index] in "十百千万亿一二三四五六七八九")


def _fact(text: str, match: re.Match[str], previous_end: int) -> dict[str, Any] | None:
    value = _number(match["num"])
    if value is None:
        return None
    if _absolute_change(text, match.start()):
        return None
    metric = _metric(text, match, previous_end)
    if len(metric) < MIN_METRIC or re.search(r"\d", metric):  # 每1000名; 分别增长8.0%和9.2%
        return None
    qualifier = match["pre"] or match["suf"] or match["post"]
    unit = (match["mag"] or "") + match["unit"].replace("％", "%")
    return {"metric": metric, "value": value, "qualifier": qualifier, "unit": unit, "change": None}


def _number(printed: str) -> int | float | None:
    if printed[0].isdigit():
        plain = printed.replace(",", "")
        return float(plain) if "." in plain else int(plain)
    return to_int(printed)


def _metric(text: str, match: re.Match[str], previous_end: int) -> str:
    """What was counted: the words before the number in its clause, or the noun right after a
    counter (``3家企业``, ``137件代表建议``) when those are only a verb."""
    start = match.start()
    boundary = max(previous_end, max((text.rfind(c, 0, start) for c in CLAUSE_BREAK), default=-1) + 1)
    before = _clean(text[boundary:start])
    after = FOLLOWING_NOUN.match(text[match.end():]) if match["unit"] in COUNTERS else None
    if after and not match["mag"] and not match["post"]:
        return _clean(after.group(0))
    return before


def _clean(words: str) -> str:
    words = _BRACKETED.sub("", words).strip(" 、，,的)）/")
    words = _LEADING.sub("", words)
    words = _TRAILING.sub("", words).strip(" 、，,")
    words = words.removeprefix("占")
    if len(words) > MAX_METRIC and "了" in words:  # 实地察看了……场所12家: what was seen
        words = words.rsplit("了", 1)[1]
    return words[-MAX_METRIC:]


def _attach(text: str, change: re.Match[str], facts: list[Placed]) -> None:
    """Give a change to the level printed just before it (a list of changes after 分别 to as many
    levels, in order), else make it a fact of its own."""
    changes = _changes(change)
    before = [item for item in facts if item[1] <= change.start()]
    levels = before[-len(changes):] if len(before) >= len(changes) else []
    gap = text[levels[-1][1]:change.start()] if levels else ""
    if levels and all(f["change"] is None for _, _, f in levels) and CHANGE_FILLER.match(gap):
        for (_start, _end, fact), encoded in zip(levels, changes):
            fact["change"] = encoded
        return
    boundary = max((text.rfind(c, 0, change.start()) for c in CLAUSE_BREAK), default=-1) + 1
    if before:
        boundary = max(boundary, before[-1][1])
    metric = _clean(re.sub(r"(?:同比|环比|比上年同期|比上年|较上年|比去年|较去年)$", "",
                           text[boundary:change.start()]))
    if len(metric) >= MIN_METRIC and len(changes) == 1:
        facts.append((change.start(), change.end(),
                      {"metric": metric, "value": None, "qualifier": None, "unit": None,
                       "change": changes[0]}))


def _changes(change: re.Match[str]) -> list[dict[str, Any]]:
    direction = "up" if change["up"] else "down"
    result = []
    for printed in CHANGE_NUMBER.findall(change["nums"]):
        number = float(printed) if "." in printed else int(printed)
        if change["unit"] == "个百分点":
            result.append({"direction": direction, "percent": None, "points": number})
        elif change["unit"] == "倍":
            result.append({"direction": direction, "percent": round(number * 100, 4)})
        else:
            result.append({"direction": direction, "percent": number})
    return result


# --- over the archive --------------------------------------------------------------------------
NORM_GENRES = {"法规"}  # a law's numbers are norms (并处50万元以下罚款), not what happened
ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")


def document_facts(doc_id: str, doc: Document) -> Iterator[dict[str, Any]]:
    """Every fact of one document, with its year, sentence and ``doc_id``."""
    if doc.genre in NORM_GENRES:
        return
    context = _year_in(doc.title or "") or (int(doc.date[:4]) if doc.date else None)
    for paragraph in paragraphs(doc):
        if ARTICLE_RE.match(paragraph.text):
            continue
        opening = PARAGRAPH_YEAR.match(digits(paragraph.text))
        if opening:  # ``2022年，全县……``: the year the following paragraphs speak of
            context = int(opening.group(1))
        for sentence in sentences(paragraph.text):
            if not FACT_RE.search(digits(sentence)):
                continue
            found = parse_facts(sentence)
            year = _year_in(sentence) or context
            for fact in found:
                yield {**fact, "year": year, "sentence": sentence, "doc_id": doc_id}


def _facts_of(doc_id: str, doc: Document) -> list[dict[str, Any]]:
    return list(document_facts(doc_id, doc))


def _year_in(text: str) -> int | None:
    match = YEAR_RE.search(digits(text))
    return int(match.group(1)) if match else None


def stats(home: Home, year: int | None = None, limit: int | None = None,
          include_restricted: bool = True) -> dict[str, Any]:
    """``{"facts": [...]}`` of every current, non-classified document (of ``year``: the fact's
    year; 内部 documents only when ``include_restricted``), earliest document first; a sentence
    repeated by a later document counts once."""
    facts: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for _doc_id, found in per_document(home, "facts", _facts_of, include_restricted):
        for fact in found:
            if year is not None and fact["year"] != int(year):
                continue
            key = (fact["sentence"], fact["metric"], fact["value"], fact["unit"])
            if key in seen:
                continue
            seen.add(key)
            facts.append(fact)
            if limit is not None and len(facts) >= limit:
                return {"facts": facts}
    return {"facts": facts}


def amount_text(fact: dict[str, Any]) -> str:
    """A fact's amount as Chinese writes it: ``近300人次``, ``4000多份``, ``10个左右`` ("" without one)."""
    if fact["value"] is None:
        return ""
    qualifier = fact["qualifier"] or ""
    if qualifier in SUFFIX_QUALIFIERS:
        return f"{fact['value']}{qualifier}{fact['unit']}"
    if qualifier in POST_QUALIFIERS:
        return f"{fact['value']}{fact['unit']}{qualifier}"
    return f"{qualifier}{fact['value']}{fact['unit']}"


def change_text(change: dict[str, Any] | None) -> str:
    """``增长104%``, ``下降3.2个百分点`` ("" without a change)."""
    if not change:
        return ""
    word = "增长" if change["direction"] == "up" else "下降"
    if change.get("points") is not None:
        return f"{word}{change['points']}个百分点"
    return f"{word}{change['percent']}%"
