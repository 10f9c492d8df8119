"""Rules against the archive: a 文号 another archived document already uses, a 机关代字 that is not
the issuing organ's, a cited 《……》 whose 文号 or date differs from the archived one, organ names
the archive writes otherwise, and a meeting number or date the chronicle (大事记) contradicts.

The archive's facts are read once per catalog state (``facts``) from the catalog and the
chronicle; they run only when the check is given an archive home that has a catalog.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.check.findings import ERROR, HINT, Finding
from pipeline.check.registry import Context, found, rule
from pipeline.home import Home
from pipeline.structure.normalise import clean_line, close_up
from pipeline.text.dates import find_date
from pipeline.text.normalize import DOC_NUMBER_RE, doc_number_key, fold, session_keys
from pipeline.text.numerals import to_int

CITATION = re.compile(r"《([^《》]{4,80})》\s*[（(]([^（）()]{4,30}?号)[）)]")
CITED_DATE = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)[^，。；《》]{0,20}?(?:印发|发布|通过|公布)的《([^《》]{4,80})》")
DIRECTORS_MEETING = re.compile(r"第([一二三四五六七八九十百\d]{1,5})次主任会议")
_ORGAN_SHORT = (("常务委员会", "常委会"), ("人民代表大会", "人大"), ("人民政府", "政府"))


@dataclass
class Archived:
    id: str
    title: str
    doc_number: str | None
    date: str | None
    issuer: tuple[str, ...]


@dataclass
class Facts:
    by_key: dict[str, list[Archived]] = field(default_factory=lambda: defaultdict(list))
    by_title: dict[str, list[Archived]] = field(default_factory=lambda: defaultdict(list))
    codes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    organs: set[str] = field(default_factory=set)
    meetings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def title_key(title: str | None) -> str:
    return re.sub(r"[\s《》“”\"]", "", fold(title or ""))


def organ_code(doc_number: str | None) -> str | None:
    match = DOC_NUMBER_RE.search(fold(doc_number or ""))
    return match.group(1) if match else None


def meeting_keys(text: str) -> list[tuple[str, str]]:
    """(text, key) of the meetings a sentence names: congress sessions and 主任会议."""
    keys = session_keys(text)
    for match in DIRECTORS_MEETING.finditer(text):
        number = to_int(match.group(1))
        if number:
            keys.append((match.group(0), f"主任会议{number}"))
    return keys


def facts(home: Home) -> Facts:
    stamp = home.catalog.stat().st_mtime if home.catalog.exists() else 0.0
    return _facts(str(home.root), stamp)


@lru_cache(maxsize=4)
def _facts(root: str, _stamp: float) -> Facts:
    from pipeline.archive.catalog import iter_documents
    from pipeline.excerpts.chronicle import chronicle

    home = Home(root)
    known = Facts()
    # Only documents every reader may see: a finding must not reveal a 内部 document's 文号 or title.
    for doc_id, doc in iter_documents(home, include_restricted=False):
        item = Archived(doc_id, doc.title or "", doc.doc_number, doc.date, tuple(doc.issuer))
        key = doc_number_key(doc.doc_number)
        if key:
            known.by_key[key].append(item)
        if doc.title:
            known.by_title[title_key(doc.title)].append(item)
        code = organ_code(doc.doc_number)
        if code:
            known.codes[code].update(doc.issuer)
        for name in [*doc.issuer, *doc.recipients, *doc.cc, *doc.signature, doc.issued_by or ""]:
            if 2 <= len(name) <= 40:
                known.organs.add(close_up(name))
    for event in chronicle(home, include_restricted=False).get("events", []):
        if len(event.get("date", "")) == 10:
            for _, key in meeting_keys(event.get("text", "")):
                known.meetings[key].add(event["date"])
    return known


def _facts_of(ctx: Context) -> Facts | None:
    if ctx.home is None or not ctx.home.catalog.exists():
        return None
    if "archive" not in ctx.cache:
        ctx.cache["archive"] = facts(ctx.home)
    return ctx.cache["archive"]


@rule("archive_docnum_used", "archive", archive=True)
def archive_docnum_used(ctx: Context) -> Iterator[Finding]:
    """发文字号已被档案中的另一份公文使用。"""
    known, para = _facts_of(ctx), ctx.zones.doc_number
    key = doc_number_key(ctx.zones.doc.doc_number)
    if known is None or para is None or not key:
        return
    mine = title_key(ctx.zones.title_text)
    for other in known.by_key.get(key, []):
        if title_key(other.title) != mine:
            yield found(para, ERROR, f"发文字号{ctx.zones.doc.doc_number}已被档案中的《{other.title}》"
                                     f"（{other.date or '日期不详'}）使用", "核对发文顺序号，换用未用过的号")
            return


@rule("archive_organ_code", "archive", archive=True)
def archive_organ_code(ctx: Context) -> Iterator[Finding]:
    """机关代字应是发文机关在档案中使用的代字。"""
    known, para = _facts_of(ctx), ctx.zones.doc_number
    code, issuers = organ_code(ctx.zones.doc.doc_number), set(ctx.zones.doc.issuer)
    if known is None or para is None or not code or not issuers:
        return
    owners = known.codes.get(code)
    if owners and not issuers & set(owners):
        owner = owners.most_common(1)[0][0]
        yield found(para, ERROR, f"机关代字“{code}”在档案中是{owner}的代字，不是{'、'.join(issuers)}的",
                    "核对发文机关和机关代字")
        return
    own_codes = sorted(c for c, names in known.codes.items() if issuers & set(names))
    if own_codes and code not in own_codes:
        yield found(para, HINT, f"档案中{'、'.join(issuers)}的机关代字为“{'、'.join(own_codes)}”，此处为“{code}”",
                    "核对机关代字")


@rule("archive_citation", "archive", archive=True)
def archive_citation(ctx: Context) -> Iterator[Finding]:
    """引用的《……》的发文字号、日期与档案中的一致。"""
    known = _facts_of(ctx)
    if known is None:
        return
    for para in ctx.zones.main_text():
        text = clean_line(para.text)
        for match in CITATION.finditer(text):
            cited, key = match.group(1), doc_number_key(match.group(2))
            archived = known.by_title.get(title_key(cited), [])
            numbers = {doc_number_key(a.doc_number) for a in archived if a.doc_number}
            if key and numbers and key not in numbers:
                right = next(a.doc_number for a in archived if a.doc_number)
                yield found(para, ERROR, f"引用的《{cited}》文号写作{match.group(2)}，档案中为{right}",
                            f"改为{right}", text=match.group(0))
        for match in CITED_DATE.finditer(text):
            when, cited = find_date(match.group(1)), match.group(2)
            dates = {a.date for a in known.by_title.get(title_key(cited), []) if a.date}
            if when and dates and when not in dates:
                yield found(para, HINT, f"引用的《{cited}》日期写作{match.group(1)}，档案中为{'、'.join(sorted(dates))}",
                            "核对所引文件的日期", text=match.group(0))


def _short(name: str) -> str:
    for long, short in _ORGAN_SHORT:
        name = name.replace(long, short)
    return name


def _one_apart(a: str, b: str) -> bool:
    """Same length and one character different (a slip: 青岚区 / 青兰区)."""
    return len(a) == len(b) >= 4 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


@rule("archive_organ_name", "archive", archive=True)
def archive_organ_name(ctx: Context) -> Iterator[Finding]:
    """主送、抄送机关的名称与档案中的写法一致。"""
    known = _facts_of(ctx)
    if known is None or not known.organs:
        return
    zones = ctx.zones
    for para, names in ((zones.recipient, zones.doc.recipients), (zones.banji[0] if zones.banji else None,
                                                                   zones.doc.cc)):
        for name in names:
            name = close_up(name)
            if para is None or name in known.organs:
                continue
            same = sorted(o for o in known.organs if o != name and (_short(o) == _short(name)
                                                                   or _one_apart(o, name)))
            if same:
                yield found(para, HINT, f"“{name}”在档案中写作“{'、'.join(same[:3])}”",
                            "核对机关名称的写法", text=name)


@rule("archive_meeting", "archive", archive=True)
def archive_meeting(ctx: Context) -> Iterator[Finding]:
    """会议名称、届次与大事记记载的日期一致。"""
    known = _facts_of(ctx)
    if known is None or not known.meetings:
        return
    for para in ctx.zones.main_text():
        for sentence in re.split(r"(?<=[。；])", clean_line(para.text)):
            when = find_date(sentence)
            if not when:
                continue
            for shown, key in meeting_keys(sentence):
                dates = known.meetings.get(key)
                if dates and when not in dates:
                    yield found(para, HINT, f"“{shown}”在大事记中的日期是{'、'.join(sorted(dates))}，此处为{when}",
                                "核对会议的届次、次数和日期", text=shown)
