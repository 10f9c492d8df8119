"""The values a drafter gives: keys under their element names, list items, dates, organ names."""

from __future__ import annotations

import re

from pipeline.layout.content import format_date
from pipeline.templates.elements import canonical
from pipeline.text.dates import read_date

Values = dict[str, str | list[str]]
_NAMES = re.compile(r"[、，,；;]")
_ITEM_BREAK = re.compile(r"\n\s*\n")  # a blank line between two items
_OWN_NUMBER = re.compile(r"^(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|\d+[.．、](?!\d)|（\d+）)")


def normalise_values(values: dict[str, object]) -> Values:
    """Keys under their element names (``抄送`` → ``抄送机关``), strings stripped, lists kept."""
    out: Values = {}
    for key, value in values.items():
        name = canonical(str(key))
        if isinstance(value, (list, tuple)):
            items = [str(v).strip() for v in value if str(v).strip()]
            previous = out.get(name)
            out[name] = (as_items(previous) if previous else []) + items
        else:
            out[name] = "" if value is None else str(value).strip()
    return out


def as_items(value: str | list[str] | None) -> list[str]:
    """A list slot's items: a list as given, or a text cut at blank lines; each without the
    numbering a drafter may have typed (the draft numbers them itself)."""
    if not value:
        return []
    parts = value if isinstance(value, list) else _ITEM_BREAK.split(value)
    return [_OWN_NUMBER.sub("", p.strip(), count=1) for p in parts if p.strip()]


def split_names(value: str | None) -> list[str]:
    """Organ or person names separated by 、 or commas."""
    return [part.strip() for part in _NAMES.split(value or "") if part.strip()]


def date_text(value: str) -> str:
    """A typed date as printed (``2024-06-28`` → ``2024年6月28日``); other text as it is."""
    iso = read_date(value)
    return format_date(iso) if iso else value


def short_organ(organ: str) -> str:
    """The standard short name of a congress organ (``…人民代表大会常务委员会`` → ``…人大常委会``)."""
    return organ.replace("人民代表大会常务委员会", "人大常委会").replace("人民代表大会", "人大")
