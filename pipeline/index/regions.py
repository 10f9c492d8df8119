"""Which provinces a text names: provinces and prefecture-level cities (data/regions.tsv), each
mapped to its province, so that 南阳 counts as 河南.

A question that names a place is asked about that place: a candidate whose title and opening
name other provinces and not the asked one (吉林省多部门出台34项措施 for 河南省…有哪些政策) is
about somewhere else, however many of the question's other words it shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "regions.tsv"
OPENING_CHARS = 120  # the title and the lead sentence: where a text says whose it is
# Names that hold a province's name without being about it: national notices are addressed to
# 各省、自治区、直辖市人民政府，新疆生产建设兵团 (the corps answers to the centre, not to Xinjiang).
NOT_PLACES = ("新疆生产建设兵团",)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    names: dict[str, str] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, code = line.split("\t")
            names[name] = code
    names.update(dict.fromkeys(NOT_PLACES, ""))
    return names, _any_of(names)


def _any_of(names: Iterable[str]) -> re.Pattern[str]:
    """One expression for ``names``, longest first: 吉林省 before 吉林, 内蒙古自治区 before 内蒙古."""
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))


def provinces(texts: str | Iterable[str]) -> set[str]:
    """The province codes of the places named in ``texts``."""
    names, pattern = _table()
    texts = [texts] if isinstance(texts, str) else texts
    return {names[m.group()] for text in texts for m in pattern.finditer(text)} - {""}


@lru_cache(maxsize=64)
def _names_of(codes: frozenset[str]) -> re.Pattern[str]:
    names, _ = _table()
    return _any_of(name for name, code in names.items() if code in codes)


def names_any(asked: set[str], text: str) -> bool:
    """Whether ``text`` names anywhere one of the ``asked`` provinces or their cities (a substring
    search: far cheaper over a whole text than ``provinces``)."""
    return bool(asked) and _names_of(frozenset(asked)).search(text) is not None


def other_region(asked: set[str], text: str) -> float:
    """1.0 when the question names provinces (``asked``) and the opening of ``text`` names
    provinces, none of them asked; else 0.0 (a national text, or one about the asked place)."""
    return conflict(asked, provinces(text[:OPENING_CHARS])) if asked else 0.0


def conflict(asked: set[str], named: set[str]) -> float:
    """1.0 when both sides name provinces and none is shared."""
    return 1.0 if asked and named and not named & asked else 0.0
