"""Text normalisation shared by indexing and querying.

- ``fold``: traditional -> simplified (zhconv), full-width ASCII -> half-width, lower case.
- ``doc_number_key``: a bracket-insensitive key for a 发文字号 (``国发〔2019〕5号`` -> ``国发2019-5``).
- ``session_keys``: canonical keys for congress sessions so that ``十二届人大三次会议`` and
  ``第十二届全国人民代表大会第三次会议`` meet (``届12次3``; standing committee ``届12常次3``).
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path

from pipeline.text.numerals import DIGITS, TWO, UNITS, WRITTEN_ZEROS, to_int

CJK_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@lru_cache(maxsize=1)
def _zh2hans() -> dict[str, str]:
    """zhconv's traditional -> simplified table (characters and phrases), read from its JSON
    without importing zhconv: the import pulls in ``pkg_resources`` (~0.5 s of every search's
    start), which a text without traditional characters never needs."""
    spec = importlib.util.find_spec("zhconv")
    assert spec is not None and spec.submodule_search_locations
    path = Path(spec.submodule_search_locations[0]) / "zhcdict.json"
    return json.loads(path.read_bytes().decode("utf-8"))["zh2Hans"]


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Single characters zhconv maps to a different simplified form (the trigger set)."""
    return frozenset(k for k, v in _zh2hans().items() if len(k) == 1 and v != k)


@lru_cache(maxsize=1)
def simplified_chars() -> dict[int, str]:
    """A ``str.translate`` table of zhconv's one-character traditional -> simplified mappings:
    a conversion that keeps every character's position (zhconv's phrase rules may not)."""
    return {ord(k): v for k, v in _zh2hans().items() if len(k) == 1 and len(v) == 1 and v != k}


_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Keep the full-width punctuation Chinese text relies on for structure (（）：，).
for _keep in "（）：，；。！？":
    _FULLWIDTH.pop(ord(_keep), None)


@lru_cache(maxsize=1)
def _traditional_bmp_re() -> re.Pattern[str]:
    """One character class of the Basic Multilingual Plane's ``_traditional_chars``: the regex
    engine scans a text for them in C, with a bitmap (``frozenset.isdisjoint`` makes a string of
    every character first; a class that also held characters above U+FFFF would be tested one
    by one)."""
    chars = sorted(ch for ch in _traditional_chars() if ord(ch) <= 0xFFFF)
    return re.compile(f"[{''.join(re.escape(ch) for ch in chars)}]")


_ABOVE_BMP_RE = re.compile("[\U00010000-\U0010FFFF]")


def has_traditional(text: str) -> bool:
    """True when ``text`` holds a character zhconv would simplify (a scan, no conversion)."""
    if not text:
        return False
    if _traditional_bmp_re().search(text):
        return True
    # the few traditional characters above U+FFFF: only texts that have such characters at all
    return _ABOVE_BMP_RE.search(text) is not None and not _traditional_chars().isdisjoint(text)


def to_simplified(text: str) -> str:
    """Traditional -> simplified, skipping zhconv (slow) when no traditional character occurs."""
    if not has_traditional(text):
        return text
    import zhconv

    return zhconv.convert(text, "zh-cn")


# Runs of the characters _FULLWIDTH maps: ``str.translate`` looks every character of a text up in
# the table, in Python objects; only these runs need it.
_FULLWIDTH_RUN_RE = re.compile(f"[{''.join(re.escape(chr(code)) for code in sorted(_FULLWIDTH))}]+")


def _half_width(match: re.Match[str]) -> str:
    return match.group().translate(_FULLWIDTH)


def fold(text: str) -> str:
    """The form both the index and the queries see: simplified, half-width ASCII, lower case."""
    return _FULLWIDTH_RUN_RE.sub(_half_width, to_simplified(text)).lower()


# --- 发文字号 ---------------------------------------------------------------------------------
_OPEN = "〔［\\[（(【{｛〖"
_CLOSE = "〕］\\]）)】}｝〗"
DOC_NUMBER_RE = re.compile(
    rf"([{CJK_RANGE}A-Za-z]{{1,16}})\s*[{_OPEN}]?\s*((?:19|20)\d{{2}})\s*[{_CLOSE}]?\s*(?:年)?\s*第?\s*(\d{{1,5}})\s*号"
)


# Orders carry no year: 国令第707号, 主席令第12号.
ORDER_NUMBER_RE = re.compile(rf"([{CJK_RANGE}]{{0,11}}令)\s*第?\s*(\d{{1,5}})\s*号")


def doc_number_key(doc_number: str | None) -> str | None:
    """``国发〔2019〕5号`` / ``国发[2019]5号`` / ``国发2019第5号`` -> ``国发2019-5``;
    ``国令第707号`` -> ``国令-707``."""
    if not doc_number:
        return None
    folded = fold(doc_number)
    match = DOC_NUMBER_RE.search(folded)
    if match:
        org, year, serial = match.groups()
        return f"{org}{year}-{int(serial)}"
    order = ORDER_NUMBER_RE.search(folded)
    if order:
        return f"{order.group(1)}-{int(order.group(2))}"
    return None


def doc_number_candidates(text: str) -> list[tuple[str, list[str]]]:
    """文号-like spans in a query: (matched text, candidate keys for every suffix of the org run).

    A query such as ``关于国发2019 5号`` cannot tell where the organ code starts, so every suffix of
    the leading run is a candidate (the index holds exact keys; wrong candidates simply miss).
    """
    found: list[tuple[str, list[str]]] = []
    for match in DOC_NUMBER_RE.finditer(fold(text)):
        org, year, serial = match.groups()
        keys = [f"{org[i:]}{year}-{int(serial)}" for i in range(len(org))]
        found.append((match.group(0), keys))
    if not found:
        for match in ORDER_NUMBER_RE.finditer(fold(text)):
            org, serial = match.groups()
            keys = [f"{org[i:]}-{int(serial)}" for i in range(len(org) - 1)]
            found.append((match.group(0), keys))
    return found


# --- congress sessions ------------------------------------------------------------------------
_NUM = rf"[{WRITTEN_ZEROS}{DIGITS}{TWO}{UNITS}\d]{{1,4}}"
_CONGRESS = r"(?:人民代表大会|人大)"
_STANDING = r"(?:常务委员会|常委会)"
SESSION_RE = re.compile(
    # 第十二届全国人民代表大会第三次会议, 十三届全国人大常委会第十次会议 (term before the organ)
    rf"第?(?P<term>{_NUM})届(?:[{CJK_RANGE}]{{0,8}}?){_CONGRESS}(?P<standing>{_STANDING})?"
    rf"第?(?P<meeting>{_NUM})次(?:全体)?会议"
    # 全国人大十二届三次会议, 全国人大常委会十三届十次会议 (organ before the term)
    rf"|{_CONGRESS}(?P<standing2>{_STANDING})?第?(?P<term2>{_NUM})届第?(?P<meeting2>{_NUM})次(?:全体)?会议"
)


def session_keys(text: str) -> list[tuple[str, str]]:
    """(matched text, key) for each congress session named in ``text``."""
    keys = []
    for match in SESSION_RE.finditer(fold(text)):
        term = match.group("term") or match.group("term2")
        meeting = match.group("meeting") or match.group("meeting2")
        standing = match.group("standing") or match.group("standing2")
        term_no, meeting_no = to_int(term), to_int(meeting)
        if term_no is None or meeting_no is None:
            continue
        keys.append((match.group(0), f"届{term_no}{'常' if standing else ''}次{meeting_no}"))
    return keys
