"""The 年鉴资料 pack: what an office hands in for its yearbook chapter, every line with its source.

Four sections, in the order a 年鉴 条目 is compiled: 大事记 (the year's events, each once, with every
document that reports it), 统计数据 (指标, 数值, 单位, 增减, 出处), 重要文件 (the year's 决议, 决定,
审议意见 and 任免, with 文号 and date) and 摘编 (passages for the topics the compiler names). A source
is cited as 标题, 文号, 日期. The compiler decides: ``exclude`` leaves out facts and events by their
``id`` (or whole documents by theirs); documents of another issuer (``issuer``) and 内部 documents
(unless ``include_restricted``) are left out; classified ones are never read. The writers
(``pack_docx``, ``pack_tables``) lay the pack out; this module only gathers it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.archive.rows import RowSource
from pipeline.excerpts.chronicle import chronicle
from pipeline.excerpts.stats import amount_text, change_text, stats

if TYPE_CHECKING:
    from pipeline.home import Home

KEY_GENRES = ("决议", "决定", "审议意见", "任免")  # the 重要文件 a yearbook lists, in this order
TOPIC_PASSAGES = 10  # passages a topic of 摘编 gives
FORMATS = ("docx", "xlsx", "md")


@dataclass(frozen=True)
class Source:
    """A document as a yearbook cites it."""

    doc_id: str
    title: str | None
    doc_number: str | None
    date: str | None
    genre: str | None = None
    issuer: tuple[str, ...] = ()
    restricted: bool = False
    file: str = ""  # the file's name: what names a document without a title

    def citation(self) -> str:
        """``《标题》，文号，2023年12月20日`` (parts the document lacks left out; an untitled
        document is named by its file: ``无题（文件 013.txt）``)."""
        name = f"《{self.title}》" if self.title else f"无题（文件 {self.file or self.doc_id}）"
        parts = [name, self.doc_number or "", chinese_date(self.date)]
        return "，".join(part for part in parts if part)


@dataclass
class StatRow:
    """One row of the 统计数据 table; an absolute change of the same level goes into its 增减."""

    year: int | None
    metric: str
    amount: str  # the number as printed, with its qualifier: 4000多, 近300, 3至5
    unit: str
    change: str
    parent: str | None
    sentence: str
    source: Source
    ids: list[str]


@dataclass
class Pack:
    year: int
    issuer: str | None
    events: list[tuple[dict[str, Any], list[Source]]] = field(default_factory=list)
    stats: list[StatRow] = field(default_factory=list)
    documents: list[Source] = field(default_factory=list)
    topics: list[tuple[str, list[tuple[dict[str, Any], Source]]]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # lines left out, by reason

    @property
    def title(self) -> str:
        return f"{self.issuer or ''}{self.year}年年鉴资料"


Excerpts = Callable[[str, int], dict[str, Any]]  # (topic, year) -> {"passages": [...]}


def build_pack(home: Home, year: int, sources: dict[str, Source], issuer: str | None = None,
               topics: Iterable[str] = (), exclude: Iterable[str] = (),
               include_restricted: bool = False, excerpts: Excerpts | None = None,
               rows: RowSource | None = None) -> Pack:
    """Gather the pack of ``year``. ``sources``: every current document's citation (``sources_of``);
    ``excerpts``: the passage search for the 摘编 topics; ``rows``: the documents events and
    facts are read from (default the home's catalog)."""
    pack = Pack(year=year, issuer=issuer)
    excluded = set(exclude)
    why = _reasons(sources, issuer, include_restricted, excluded)
    for event in chronicle(home, year=year, rows=rows)["events"]:
        cited = [sources[doc_id] for doc_id in event["sources"] if why(doc_id) is None]
        if event["id"] in excluded or not cited:
            _tally(pack, "excluded" if event["id"] in excluded else why(event["sources"][0]))
        else:
            pack.events.append((event, cited))
    pack.stats = _stat_rows(stats(home, year=year, rows=rows)["facts"], sources, why, excluded, pack)
    pack.documents = sorted(
        (s for s in sources.values() if s.genre in KEY_GENRES and (s.date or "")[:4] == str(year)
         and why(s.doc_id) is None),
        key=lambda s: (KEY_GENRES.index(s.genre or ""), s.date or ""))
    for topic in topics:
        found = excerpts(topic, year)["passages"] if excerpts else []
        passages = [(p, sources[p["doc_id"]]) for p in found if why(p["doc_id"]) is None]
        pack.topics.append((topic, passages[:TOPIC_PASSAGES]))
    return pack


def _tally(pack: Pack, reason: str | None) -> None:
    if reason:
        pack.left_out[reason] = pack.left_out.get(reason, 0) + 1


def _reasons(sources: dict[str, Source], issuer: str | None, include_restricted: bool,
             excluded: set[str]) -> Callable[[str], str | None]:
    """Why a document may not be cited in the pack ("excluded", "restricted", "issuer"), or None."""
    def why(doc_id: str) -> str | None:
        source = sources.get(doc_id)
        if source is None or doc_id in excluded:
            return "excluded"
        if source.restricted and not include_restricted:
            return "restricted"
        if issuer and not any(issuer in organ or organ in issuer for organ in source.issuer):
            return "issuer"
        return None
    return why


def _stat_rows(facts: list[dict[str, Any]], sources: dict[str, Source],
               why: Callable[[str], str | None], excluded: set[str], pack: Pack) -> list[StatRow]:
    rows: list[StatRow] = []
    for fact in facts:
        reason = "excluded" if fact["id"] in excluded else why(fact["doc_id"])
        if reason:
            _tally(pack, reason)
            continue
        last = rows[-1] if rows else None
        if (fact.get("delta") and last is not None and last.metric == fact["metric"]
                and last.sentence == fact["sentence"]):
            last.change = "，".join(x for x in (last.change, amount_text(fact)) if x)
            last.ids.append(fact["id"])
            continue
        rows.append(StatRow(
            year=fact["year"], metric=fact["metric"], amount=_printed_amount(fact), unit=fact["unit"] or "",
            change=change_text(fact["change"]) or (amount_text(fact) if fact.get("delta") else ""),
            parent=fact.get("parent"), sentence=fact["sentence"], source=sources[fact["doc_id"]],
            ids=[fact["id"]]))
    return rows


def _printed_amount(fact: dict[str, Any]) -> str:
    """The 数值 cell: the number with its qualifier, the unit left to its own cell."""
    if fact["value"] is None or fact.get("delta"):
        return ""
    text = amount_text({**fact, "unit": "", "delta": None})
    return text


def chinese_date(iso: str | None) -> str:
    """``2023-12-20`` -> ``2023年12月20日`` (``2023-06`` -> ``2023年6月``)."""
    if not iso:
        return ""
    parts = iso.split("-")
    text = f"{parts[0]}年"
    if len(parts) > 1:
        text += f"{int(parts[1])}月"
    if len(parts) > 2:
        text += f"{int(parts[2])}日"
    return text


def sources_of(documents: Iterable[tuple[str, Any]]) -> dict[str, Source]:
    """``{doc_id: Source}`` of ``(doc_id, Document)`` pairs (``catalog.iter_documents``)."""
    # a web page without a 成文日期 is cited by the date of its publication line
    return {doc_id: Source(doc_id=doc_id, title=doc.title, doc_number=doc.doc_number,
                           date=doc.date or doc.published,
                           genre=doc.genre, issuer=tuple(doc.issuer or ()) + tuple(doc.signature or ()),
                           restricted=bool(doc.restricted), file=Path(doc.path).name)
            for doc_id, doc in documents}
