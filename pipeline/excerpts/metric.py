"""The name of a fact (its metric): the counted thing, cut out of the words around its number.

Before the number (``主任会议17次``) the clause is cleaned of what only frames it: list labels,
time words (全年, 2023年底), scope words (全县, 共, 累计), the verbs that only say a level was
reached (实现, 完成, 达到), the copula (为, 达) and brackets. After a counter (``5次执法检查``,
``2名省人大代表参加视察``) the noun phrase runs to the first verb that has something after it, as
jieba's part-of-speech tags mark it (``参加视察``), or to a particle or punctuation mark.
"""

from __future__ import annotations

import re

import rjieba

from pipeline.text.dates import MONTH, YEAR

CJK = "\u4e00-\u9fff"
MAX_METRIC = 24
_BRACKETED = re.compile(r"[（(][^（）()]{0,20}[）)]")
_UNCLOSED = re.compile(r"^.*[（(](?=[^（）()]*$)")
_LEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）|"
    rf"全年|年内|今年|去年|上年|上半年|下半年|(?:到|至|截至|截止)?{YEAR}年(?:{MONTH}月)?(?:份|底|末|以来)?|"
    r"以来|年末|年底|全区|全县|全市|全省|全国|全镇|全乡|其中|此外|另外|共计|总计|合计|累计|一共|共|"
    r"先后|已|[：:，,])+"
)
_TOTAL_WORD = re.compile("(?:合计|总计|共计)$")
_TRAILING = re.compile(
    r"(?:达到|达|为|是|共计|共|计|有|累计|总计|分别|已|占|的|了|从|由|完成|实现|(?:由|从|到|至|提高到|增加到|下降到)?"
    rf"{YEAR}年(?:底|末)?)+$")
# Verbs that only say a level was reached: the subject and the object name the fact together
# (``批发和零售业实现增加值`` -> ``批发和零售业增加值``).
_LIGHT_VERBS = re.compile(rf"(?:实现|完成|达到)(?=[{CJK}])")
FOLLOWING_NOUN = re.compile(
    rf"^(?:[{CJK}A-Za-z]|“[^“”]{{1,12}}”|\d+(?=[A-Za-z级]))(?:[{CJK}A-Za-z0-9]|“[^“”]{{1,12}}”){{0,19}}")
NOUN_END = re.compile("的|和|及|与|等")
MAX_FOLLOWING = 12  # a phrase no particle or verb ends is taken only this long
_NOUN_TAGS = ("n", "j", "eng", "x")  # nouns, abbreviations (人大), letters (AAAA), quotes
_VERB_TAGS = ("v", "vn", "vd")


def clean(words: str) -> str:
    """The words before a number, framing cut off: ``全年共处理公文`` -> ``处理公文``."""
    words = _BRACKETED.sub("", words).split("—")[-1]  # 新时代答卷——制定地方性法规
    words = _UNCLOSED.sub("", words).strip(" 、，,的)）/")
    total = _TOTAL_WORD.search(words)
    words = _LEADING.sub("", words)
    words = _TRAILING.sub("", words).strip(" 、，,")
    if not words and total:
        return total.group(0)  # 合计1449人
    if words.startswith("占") and len(words) >= 3:
        words = words[1:]
    light = _LIGHT_VERBS.sub("", words)
    if len(light) >= 2:
        words = light
    if len(words) > MAX_METRIC and "了" in words:  # 实地察看了……场所12家: what was seen
        words = words.rsplit("了", 1)[1]
    return words[-MAX_METRIC:]


def named_after_share(words: str, previous: str | None) -> str | None:
    """``环境城建方面的35件，占议案总数的61.4%``: a share printed after a count is the share of that
    count (``环境城建方面占议案总数``); None when ``words`` is not such a clause."""
    words = _BRACKETED.sub("", words).strip(" 、，,")
    if previous is None or not words.startswith("占"):
        return None
    share = _TRAILING.sub("", words).strip(" 、，,")
    return f"{previous}{share}" if share not in ("", "占") else f"{previous}占比"


def following_noun(rest: str) -> str | None:
    """The noun phrase a counter counts, from the text right after it; None when none stands
    there (``7次、主任会议``)."""
    match = FOLLOWING_NOUN.match(rest)
    if not match:
        return None
    run = match.group(0)
    ended = NOUN_END.search(run) or (match.end() < len(rest) and not rest[match.end()].isalnum())
    phrase = run[:NOUN_END.search(run).start()] if NOUN_END.search(run) else run
    cut = _until_a_verb(phrase)
    if cut == phrase and not ended and len(phrase) > MAX_FOLLOWING:
        return None  # a long run of text: no phrase can be told apart in it
    phrase = cut.strip("“”")
    return phrase if len(phrase) >= 2 else None


def _is_verb(word: str, tag: str) -> bool:
    """A verb, or an idiom opening with one (出席会议)."""
    return tag == "v" or (tag == "l" and rjieba.tag(word[:2])[0][1] == "v")


def next_is_verb(rest: str) -> bool:
    """Whether ``rest`` opens with a verb (``联名提出``, ``用于``) rather than a noun."""
    tagged = rjieba.tag(rest[:6]) if rest else []
    return bool(tagged) and tagged[0][1] == "v"


def _until_a_verb(phrase: str) -> str:
    """Cut before a verb that follows a noun and has something after it (``人大代表参加视察`` ->
    ``人大代表``), or before a preposition (``人大代表在我区履职``); a verb at the end is a head
    noun (``专题询问``), as is one before a single final noun (``户外健身中心``) and a phrase of one
    word (``2项决定``)."""
    tagged = rjieba.tag(phrase)
    if tagged and _is_verb(*tagged[0]) and (len(tagged) > 1 or tagged[0][1] == "l"):
        return ""  # 400多万人扩大到……, 39人出席会议: what follows is a predicate, not the thing counted
    seen_noun = False
    for index, (word, tag) in enumerate(tagged):
        after = tagged[index + 1:]
        if seen_noun and after and (tag == "p" or (
                tag == "v" and (len(after) > 1 or after[0][1].startswith(_VERB_TAGS)))):
            return "".join(w for w, _ in tagged[:index])  # 代表参加视察, 代表在我区履职
        seen_noun = seen_noun or tag.startswith(_NOUN_TAGS)
    return phrase


def verb_only(words: str) -> bool:
    """``拟发行``, ``迈上``: a clause that is only a verb names nothing."""
    tagged = rjieba.tag(words) if words else []
    return bool(tagged) and all(tag == "v" or tag == "d" for _word, tag in tagged)
