"""A web page's publication line: ``发布时间：2023-02-08``, ``来源：… 发布日期：2021-08-16 浏览次数：…``.

The line is page furniture (``lines.web_noise`` drops it from the text), but its date is the best
a page says of when it was written, and the chronicle needs it for a month-day printed without a
year. Labels: 发布/更新/发表/发稿/编稿 + 时间/日期; a bare ``时间：``/``日期：`` only beside other page
fields (来源, 作者, 编辑, 浏览, 点击, 阅读) or with a date in digits (``2023-02-08``) — a 纪要's
``时间：2023年6月1日上午`` is the meeting, not the page.
"""

from __future__ import annotations

import re

from pipeline.model import RawDocument
from pipeline.text.dates import DOTTED_DATE, find_date
from pipeline.text.numerals import digits

MAX_LINE = 120
LABELLED = re.compile(r"(?:发布|更新|发表|发稿|编稿)(?:时间|日期)\s*[:：]\s*")
BARE = re.compile(r"(?:^|[\s|｜【\[])(?:时间|日期)\s*[:：]\s*")
OTHER_FIELDS = re.compile(r"来源|作者|编辑|浏览|点击|阅读")


def publication_date(raw: RawDocument) -> str | None:
    """The ISO date of the first publication line among the blocks, or None."""
    for block in raw.blocks:
        for line in block.text.splitlines():
            found = _line_date(digits(line.strip()))
            if found:
                return found
    return None


def _line_date(line: str) -> str | None:
    if not line or len(line) > MAX_LINE:
        return None
    label = LABELLED.search(line)
    if label is None:
        label = BARE.search(line)
        if label is None or not (OTHER_FIELDS.search(line) or DOTTED_DATE.match(line, label.end())):
            return None
    return find_date(line[label.end():label.end() + 24])
