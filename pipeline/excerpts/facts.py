"""The facts of one sentence: what was counted, how many, in what unit, and how it changed.

A fact is a number with a unit, read where it is written: ``常委会会议7次、主任会议17次`` gives two
facts, ``全年共处理公文4000多份，同比增长8%`` gives ``处理公文`` 4000 份 (qualifier 多) with the change
``{"direction": "up", "percent": 8}``. Conventions:

- ``value`` is the number as printed (``1.2万人次`` -> 1.2 with unit ``万人次``); Chinese numerals are
  read (``十七次`` -> 17, ``一百二十件`` -> 120, ``近千次`` -> 1000); a value is an int unless printed with
  decimals; spaces between the digits and the unit (``41 件``, as PDF and web text have them) are
  ignored. A range (``3至5次``) is ``value`` 3 with ``upper`` 5.
- ``metric`` is the counted thing: the words before the number in its clause (``主任会议17次``), or
  the noun phrase after a counter (``5次执法检查``, ``2名省人大代表``), never the unit.
- ``qualifier``: 多 余 近 约 超过 逾 以上 左右 不足 不少于 … as printed, else null.
- ``change``: ``{"direction": "up"|"down", "percent": N}``; ``增长1.5倍`` -> percent 150, ``翻番`` ->
  100; a change in percentage points (``下降3.2个百分点``) is ``{"direction": "down", "percent": null,
  "points": 3.2}``. A change printed without a level of its own (``规模以上工业增加值增长5.2%``) is a
  fact with ``value`` and ``unit`` null and the change set; ``A、B分别增长x%、y%`` and ``A、B均增长x%``
  give one such fact per name.
- ``delta``: an absolute change (``比上年增加1.4亿元``) is a fact of its own, ``delta`` "up" or "down",
  named after the level it changes; null for a level.

Not statistics: dates, 文号, ordinals after 第 (第十二条, 第5次会议), sessions (二次会议), rankings (前5位),
thresholds (``10人以上联名``, ``2000万元及以上``), names in quotation marks (``“31条”``), fixed phrases
(八项规定), per-unit norms (``每个站配备1至2名``), list ordinals (``1.``).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.excerpts.metric import (
    clean,
    following_noun,
    named_after_share,
    next_is_verb,
    verb_only,
)
from pipeline.text.dates import YEAR
from pipeline.text.numerals import digits, to_int

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = "[零〇一二两三四五六七八九十百千]+"
# The measure words: each unit a count of things (a counter: the noun it counts may follow it,
# ``3家企业``) or an amount (亿元, %, 吨: what it measures stands before it). Longest first in the
# pattern, so that 人次 wins over 人 and 平方公里 over 公里.
COUNTERS = frozenset((
    "次", "件", "份", "项", "篇", "条", "期", "名", "个", "人", "家", "所", "户", "场", "批", "起", "部",
    "本", "台", "辆", "套", "处", "座", "位", "支", "种", "架", "艘", "趟", "张", "颗", "枚", "册", "株",
    "棵", "间", "栋", "宗", "笔", "例", "轮", "头", "只", "羽", "箱",
))
AMOUNTS = frozenset((
    "个百分点", "人次", "家次", "户次", "批次", "车次", "架次", "平方公里", "平方千米", "平方米", "立方米",
    "千瓦时", "千瓦", "兆瓦", "公里", "千米", "公顷", "千公顷", "元", "美元", "%", "％", "‰", "吨", "亩",
    "小时", "个月", "斤", "公斤", "千克", "千升", "度", "人公里", "吨公里", "人/公里", "吨标准煤",
    "吨标准煤/万元", "μg/m³", "微克/立方米",
))
UNITS = sorted(COUNTERS | AMOUNTS, key=len, reverse=True)
# Chinese numerals make facts only with these: 一个 两项 三个代表 are words, not counts.
CHINESE_UNITS = frozenset(("次", "件", "份", "项", "篇", "人次", "名", "家", "场", "批", "位", "户", "所",
                           "起", "个", "座", "部"))
CHINESE_SMALL = frozenset(("个", "座", "部"))  # with these only from ten up: 三个方面 is a phrase
PREFIX_QUALIFIERS = ("不少于", "不低于", "超过", "将近", "接近", "大约", "多达", "不足", "不到", "突破",
                     "近", "约", "逾", "超")
SUFFIX_QUALIFIERS = ("多", "余")
POST_QUALIFIERS = ("以上", "左右")
_UNIT = "|".join(map(re.escape, UNITS))
_NUMBER = rf"(?:{ARABIC}|{CHINESE})"
FACT_RE = re.compile(
    rf"(?P<pre>{'|'.join(PREFIX_QUALIFIERS)})?"
    rf"(?<![\d.\-/:A-Za-z第前])(?P<num>{ARABIC}|{CHINESE})"
    rf"(?:(?P<dash>至|到|~|～|—|－|-)(?P<upper>{_NUMBER}))?"
    rf"(?P<suf1>多|余)?(?P<mag>万亿|万|亿)?(?P<suf>多|余)?(?P<unit>{_UNIT})"
    rf"(?P<post>{'|'.join(POST_QUALIFIERS)})?"
)
UP = "增长|增加|提高|提升|上升|上涨|增产|增收|增支|扩大|增"
DOWN = "下降|减少|降低|回落|下滑|下跌|减产|减收|减支|压减|减"
COMPARED = (r"同比|环比|比上年同期|比上年末|较上年末|比年初|较年初|比上年|较上年|比去年|较去年|"
            rf"与上年相比|与上年|比{YEAR}年")
_SIGNED = r"-?\d+(?:\.\d+)?"
CHANGE_RE = re.compile(
    rf"(?:{COMPARED})?(?:(?P<up>{UP})|(?P<down>{DOWN}))了?"
    rf"(?P<nums>{_SIGNED}(?:[%％]?[、和]{_SIGNED})*)(?P<unit>%|％|个百分点|倍)"
    rf"(?P<post>以上|左右)?"
    # 涨幅在2%左右, 增速均达到20%以上: the size of a change named as such
    rf"|(?P<rate>涨幅|增幅|增速|降幅)(?:均|分别)?(?:保持在|控制在|为|在|达到|达)?"
    rf"(?P<rnum>\d+(?:\.\d+)?)(?P<runit>%|％|个百分点)(?P<rpost>以上|左右)?"
    # 翻番, 翻一番, 翻了两番, 实现两个翻番
    rf"|(?P<double>(?:实现)?(?:两个)?翻(?:了)?(?P<times>[一两二三四五六七八九])?番)"
)
# What may stand between a level and its change: ``225.3亿元，按可比价格计算，比上年增长4.5%``.
_COMPARED_CHANGE = rf"(?:{COMPARED})?(?:{UP}|{DOWN}|多|少)"
ABSOLUTE_CHANGE = re.compile(rf"(?:按可比价格?计算|按可比口径)?{_COMPARED_CHANGE}")
CHANGE_FILLER = re.compile(
    r"^(?:[，,、\s]|（[^（）]{0,30}）|\([^()]{0,30}\)|按可比价格?计算|按可比口径计算|扣除价格因素|实际|"
    rf"名义|分别|平均|年均|{_COMPARED_CHANGE}-?\d+(?:\.\d+)?(?:万|亿)?(?:{_UNIT}))*$")
# 二次会议, 五次主任会议, 五次、六次全会: sessions, not counts; 三次产业: a term.
SESSION_AFTER = re.compile(r"(?:、[一二三四五六七八九十\d]+次)*[\u4e00-\u9fff]{0,6}?(?:会议|全会)|产业")
# 10人以上联名, 2000万元及以上的企业: a threshold inside a definition, not a count.
THRESHOLD_AFTER = re.compile(r"及以[上下]|以下|位数")  # (两位数增长: a size, not a count)
FIXED_PHRASES = re.compile(r"八项规定|八项主张|五项原则|四个意识|四个自信|两个维护|两个确立|三严三实|两学一做")
# 48万人民, 上千万家庭, 8部门: a measure word that is the first character of a word is no unit.
UNIT_IN_WORD = re.compile(
    "人民|家庭|家长|家乡|部门|部分|部署|期间|期限|本级|台账|位数|批准|处理|处置|名单|名称|条件|条例|"
    "种类|场所|场景|所有|所属|户籍|张贴|支持|支部|起草|起步|头部|只有|只要|件事")
# 吉化120万吨乙烯项目, 年产15万吨原液, 迈上1万美元台阶: a capacity in a name, a milestone passed.
NAMED_AMOUNT = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:项目|工程|基地|生产线|装置|机组|台阶|大关|关口)")
CAPACITY_BEFORE = re.compile(r"(?:年产|日产|时速|年处理|设计能力)$")
PER_UNIT = re.compile(r"每(?:个|名|位|人|家|所|次|件|项|户|年|月|季度|周|天|村|镇|乡)")
CLAUSE_BREAK = "，,；;：:。！？\n"
_SPACE_AT_DIGIT = re.compile(r"(?<=\d)[ \t\u3000\xa0]+(?=[^\s\d])|(?<=[^\s\d,，、。；;:：])[ \t\u3000\xa0]+(?=-?\d)")
_FULL_STOP_IN_NUMBER = re.compile(r"(?<=\d)．(?=\d)")
QUOTED = re.compile(r"“[^“”]{0,20}”|\"[^\"]{0,20}\"")
MIN_METRIC = 2
DOUBLINGS = {None: 1, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
Placed = tuple[int, int, dict[str, Any]]  # a fact with where it stands in its sentence (start, end)


def normalise(sentence: str) -> str:
    """Full-width digits as ASCII and no spaces between a number and what touches it."""
    return _FULL_STOP_IN_NUMBER.sub(".", _SPACE_AT_DIGIT.sub("", digits(sentence)))


def parse_facts(sentence: str) -> list[dict[str, Any]]:
    """The facts of one sentence: ``metric value qualifier unit change`` (no year, no source)."""
    return [fact for _, _, fact in placed_facts(sentence)]


def placed_facts(sentence: str) -> list[Placed]:
    """The facts of one sentence with their places in ``normalise(sentence)``."""
    text = normalise(sentence)
    changes = list(CHANGE_RE.finditer(text))
    taken = [(m.start(), m.end()) for m in changes]
    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(text)]
    facts: list[Placed] = []
    for match in FACT_RE.finditer(text):
        if any(s <= match.start("num") < e for s, e in taken + quoted) or _not_a_count(text, match):
            continue
        fact = _fact(text, match, facts)
        if fact is not None:
            facts.append((match.start(), match.end(), fact))
    facts = _from_to(text, facts)
    for change in changes:
        _attach(text, change, facts)
    expanded: list[Placed] = []
    for item in facts:
        expanded.extend(_shared(item) or [item])
    return sorted(expanded, key=lambda item: item[0])


# --- levels ------------------------------------------------------------------------------------
def _not_a_count(text: str, match: re.Match[str]) -> bool:
    unit, number = match["unit"], match["num"]
    chinese = not number[0].isdigit()
    if chinese and not _chinese_count(number, unit):
        return True
    if number in ("百", "千") and not (match["pre"] or text[match.start("num") - 1:match.start("num")] in ("上", "数")):
        return True  # 百家争鸣, 千家万户: a bare 百 or 千 counts only as 近千次, 上千家
    if unit == "次" and SESSION_AFTER.match(text, match.end()):
        return True
    if len(unit) == 1 and UNIT_IN_WORD.match(text, match.start("unit")):
        return True
    if THRESHOLD_AFTER.match(text, match.end("unit")) or FIXED_PHRASES.match(text, match.start("num")):
        return True
    if match["post"] == "以上" and re.match(r"[\u4e00-\u9fff]", text[match.end():match.end() + 1]):
        # 5个以上装备制造项目 counts, 10人以上联名 is a threshold; 亿元以上项目 names a class of
        # things, 80%以上用于民生 is an amount
        verb_next = next_is_verb(text[match.end():])
        return verb_next if unit in COUNTERS else not verb_next
    if unit not in COUNTERS and (NAMED_AMOUNT.match(text, match.end())
                                 or (CAPACITY_BEFORE.search(text, 0, match.start())
                                     and re.match(r"[\u4e00-\u9fff]", text[match.end():match.end() + 1]))):
        return True
    before = text[max(0, match.start("num") - 1):match.start("num")]
    if before and before in "至到~～—－-" and _is_number_end(text, match.start("num") - 2):
        return True  # the far end of a range written with its own unit (1人至2人)
    if unit in COUNTERS and PER_UNIT.search(text[_clause_start(text, match.start()):match.start()]):
        return True  # 每个站配备1至2名: a norm, not a count (每人每年670元 is an amount)
    return before == "第" or (chinese and bool(before) and before in "零〇一二两三四五六七八九十百千")


def _chinese_count(number: str, unit: str) -> bool:
    if len(number) > 1 and not re.search("[十百千]", number):
        return False  # 三四个: three or four; digit by digit is how years are written, not counts
    value = to_int(number) or 0
    if unit not in CHINESE_UNITS or value < 2:
        return False
    return value >= 10 or unit not in CHINESE_SMALL


def _is_number_end(text: str, index: int) -> bool:
    return index >= 0 and (text[index].isdigit() or text[index] in "十百千万亿一二三四五六七八九")


def _clause_start(text: str, index: int) -> int:
    return max((text.rfind(c, 0, index) for c in CLAUSE_BREAK), default=-1) + 1


def _delta(text: str, start: int) -> str | None:
    """``，比上年增加0.99万亩``: a clause that only says by how much a level changed: "up" or
    "down". (A clause with a subject, ``农村贫困人口减少1232万人``, is a level of its own.)"""
    words = text[_clause_start(text, start):start].strip(" 、")
    match = ABSOLUTE_CHANGE.fullmatch(words)
    if not match:
        return None
    return "down" if re.search(f"{DOWN}|少", words) else "up"


def _fact(text: str, match: re.Match[str], earlier: list[Placed]) -> dict[str, Any] | None:
    value = _number(match["num"])
    if value is None:
        return None
    delta = _delta(text, match.start())
    if delta:
        level = next((f for _, _, f in reversed(earlier) if not f.get("delta")), None)
        metric = level["metric"] if level else ""
    else:
        metric = _metric(text, match, earlier[-1][1] if earlier else 0, earlier)
    if len(metric) < MIN_METRIC or re.search(r"(?:增长|下降|每)\d|[%％‰]", metric):
        return None
    qualifier = match["pre"] or match["suf1"] or match["suf"] or match["post"]
    unit = (match["mag"] or "") + match["unit"].replace("％", "%")
    fact: dict[str, Any] = {"metric": metric, "value": value, "qualifier": qualifier, "unit": unit,
                            "change": None}
    if match["upper"]:
        upper = _number(match["upper"])
        if upper is None or upper <= value:
            return None
        fact["upper"] = upper
    if delta:
        fact["delta"] = delta
    return fact


def _number(printed: str) -> int | float | None:
    if printed[0].isdigit():
        plain = printed.replace(",", "")
        return float(plain) if "." in plain else int(plain)
    return to_int(printed)


def _metric(text: str, match: re.Match[str], previous_end: int, earlier: list[Placed]) -> str:
    """What was counted: the words before the number in its clause, or the noun phrase right
    after a counter (``3家企业``, ``137件代表建议``) when those are only a verb."""
    start = match.start()
    boundary = max(previous_end, _clause_start(text, start))
    if match["unit"] in COUNTERS:
        after = following_noun(text[match.end():])
        if after:
            return after
    words = text[boundary:start]
    share = named_after_share(words, earlier[-1][2]["metric"] if earlier else None)
    if share is not None:
        return share
    before = clean(words)
    if match["unit"] not in COUNTERS and verb_only(before):
        return following_noun(text[match.end():]) or before  # 拟发行1500亿元长期建设国债
    return before


FROM_END = re.compile(r"(?:从|由)(?:年初|上年|去年)?的?$")
TO_METRIC = re.compile(rf"^(?:{UP}|{DOWN}|扩大|缩小|升|降)?(?:到|至)(?:年末|年底)?的?$")


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
            if re.match("(?:由|从)", fact["metric"]):  # 覆盖人数，由年初的400多万人扩大到……
                fact["metric"] = clean(_previous_clause(text, _clause_start(text, previous[0])))
            result[-1] = item
        else:
            result.append(item)
    return result


# --- changes -----------------------------------------------------------------------------------
def _attach(text: str, change: re.Match[str], facts: list[Placed]) -> None:
    """Give a change to the level printed just before it (a list of changes after 分别 to as many
    levels, in order), else make it a fact of its own (one per name of ``A、B分别…``)."""
    encoded = _changes(change)
    if not encoded:
        return
    levels = _levels_before(text, change, facts, len(encoded))
    if levels:
        for fact, one in zip(levels, encoded):
            fact["change"] = one
        return
    before = [item for item in facts if item[1] <= change.start()]
    boundary = _clause_start(text, change.start())
    if before:
        boundary = max(boundary, before[-1][1])
    words = re.sub(rf"(?:{COMPARED})$", "", text[boundary:change.start()])
    metric = clean(words)
    if len(metric) < MIN_METRIC and not before:
        metric = clean(_previous_clause(text, boundary))  # 粮油、食品类稳中有增，同比增长37.2%
    if len(metric) < MIN_METRIC:
        return
    names = _names(metric, len(encoded))
    if len(encoded) == 1:
        encoded = encoded * len(names)
    qualifier = change["post"] or change["rpost"]
    for name, one in zip(names, encoded):
        facts.append((change.start(), change.end(),
                      {"metric": name, "value": None, "qualifier": qualifier, "unit": None,
                       "change": one}))


def _levels_before(text: str, change: re.Match[str], facts: list[Placed],
                   wanted: int) -> list[dict[str, Any]]:
    """The levels a change belongs to: the last ``wanted`` levels before it (absolute changes
    skipped), when only fillers stand between them and it (``实现两个翻番``: any two)."""
    before = [item for item in facts if item[1] <= change.start() and not item[2].get("delta")]
    if len(before) < wanted:
        return []
    levels = before[-wanted:]
    if any(fact["change"] is not None for _, _, fact in levels):
        return []
    pair = bool(change["double"]) and wanted == 2
    if pair or CHANGE_FILLER.match(text[levels[-1][1]:change.start()]):
        return [fact for _, _, fact in levels]
    return []


def _previous_clause(text: str, boundary: int) -> str:
    start = _clause_start(text, max(0, boundary - 1))
    clause = text[start:max(start, boundary - 1)]
    return "" if re.search(r"\d", clause) else clause


def _names(metric: str, count: int) -> list[str]:
    """``生产安全事故起数、死亡人数`` for two changes: each name its own; one name otherwise."""
    shared = re.sub(r"(?:均|都)$", "", metric)
    parts = [part for part in re.split("[、和]", shared) if part]
    if count > 1:
        return parts if len(parts) == count else [shared] * count
    if shared != metric and len(parts) > 1:  # 接待国内游客人次、出游总花费均增长20%
        return parts
    return [metric]


def _changes(change: re.Match[str]) -> list[dict[str, Any]]:
    if change["double"]:
        times = DOUBLINGS.get(change["times"], 1)
        count = 2 if change["double"].startswith(("实现两个", "两个")) else 1
        return [{"direction": "up", "percent": (2 ** times - 1) * 100}] * count
    if change["rate"]:
        direction = "down" if change["rate"] == "降幅" else "up"
        return [_one(direction, change["rnum"], change["runit"])]
    direction = "up" if change["up"] else "down"
    return [_one(direction, printed, change["unit"])
            for printed in re.findall(_SIGNED, change["nums"])]


def _one(direction: str, printed: str, unit: str) -> dict[str, Any]:
    if printed.startswith("-"):  # 增长-3.2%: a fall
        direction, printed = ("down" if direction == "up" else "up"), printed[1:]
    number = float(printed) if "." in printed else int(printed)
    if unit == "个百分点":
        return {"direction": direction, "percent": None, "points": number}
    if unit == "倍":
        return {"direction": direction, "percent": round(number * 100, 4)}
    return {"direction": direction, "percent": number}


def _shared(item: Placed) -> list[Placed] | None:
    """``见面率、办复率均为100%``: one value for each name of the list."""
    start, end, fact = item
    if fact["value"] is None or not re.search("[、和].+(?:均|都)$", fact["metric"]):
        return None
    names = _names(fact["metric"], 1)
    return [(start, end, {**fact, "metric": name}) for name in names]
