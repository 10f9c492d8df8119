"""Load the texts of the seeded-error set into ``Spec`` objects (no layout here).

Three kinds of source feed the set:
- gov.cn State Council texts (``state_council/*.txt``): metadata lines 标题/发文机关/发文字号, then the
  published text (title lines, 文号, 主送, body, 署名, date, 附注, attachments);
- congress resolutions (``npc_resolutions``, ``renda_more/resolutions_decisions``): title,
  sometimes a bracketed adoption note, body;
- the project's own sample sources (``corpus/sources/*.txt``): a front matter of fields, then body.

Every loader returns a ``Spec`` that the writer (``gbt_writer``) lays out.  Body paragraphs are
``Block`` objects carrying the heading level found from the number at their start.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "一二三四五六七八九十"

H1 = re.compile(r"^([一二三四五六七八九十]{1,3})、")
H2 = re.compile(r"^（([一二三四五六七八九十]{1,3})）")
H3 = re.compile(r"^(\d{1,2})\.(?!\d)")
H4 = re.compile(r"^（(\d{1,2})）")


@dataclass
class Block:
    """One body paragraph. ``level`` 0 is running text; 1–4 are heading levels; ``runin`` marks a
    heading followed by text in the same paragraph (``一、会议时间。建议……``)."""

    text: str
    level: int = 0
    runin: bool = False
    role: str = "body"   # body | salutation | centre_kai (speech date/speaker lines) | list


@dataclass
class Attachment:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Spec:
    key: str
    source: str
    genre: str
    layout: str                      # standard | upward | letter | minutes | speech | resolution
    title: str
    organ_mark: str = ""
    mark_suffix: str = "文件"
    doc_number: str = ""
    signer: str = ""
    recipients: list[str] = field(default_factory=list)
    adoption_note: str = ""
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    attachment_note: list[str] = field(default_factory=list)   # names listed in 附件说明
    signature: list[str] = field(default_factory=list)
    date: dt.date | None = None
    note: str = ""
    cc: list[str] = field(default_factory=list)
    issued_by: str = ""
    issued_date: dt.date | None = None
    meeting: dict[str, str] = field(default_factory=dict)
    # How a few fields are written: the seeders change these to plant an error.
    date_text: str = ""              # overrides the printed 成文日期 when set
    issued_text: str = ""            # overrides the printed 印发日期 when set
    banji_swapped: bool = False      # 印发 row above 抄送 row
    template: bool = False           # filled into the GB/T 9704 Word template
    recipient_colon: str = "："
    speech_header: bool = False      # a speech given a 版头 (wrong for the genre)
    added: list[str] = field(default_factory=list)   # what the set added to the source's text


def classify(text: str) -> Block:
    """A body line as a Block, its heading level read from the number at its start."""
    for level, pattern in ((1, H1), (2, H2), (3, H3), (4, H4)):
        m = pattern.match(text)
        if m:
            rest = text[m.end():]
            whole = len(rest) <= 30 and not re.search(r"[。；：，]", rest.rstrip("。"))
            return Block(text, level, runin=not whole)
    return Block(text)


def heading_number(block: Block) -> int | None:
    pattern = {1: H1, 2: H2, 3: H3, 4: H4}.get(block.level)
    if pattern is None:
        return None
    m = pattern.match(block.text)
    return to_int(m.group(1)) if m else None


def to_int(numeral: str) -> int:
    """Arabic or Chinese numeral (up to 99) to int."""
    if numeral.isdigit():
        return int(numeral)
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + CN_DIGITS[numeral[1]]
    if numeral.endswith("十"):
        return CN_DIGITS[numeral[0]] * 10
    if "十" in numeral:
        return CN_DIGITS[numeral[0]] * 10 + CN_DIGITS[numeral[2]]
    return CN_DIGITS[numeral]


def to_cn(n: int) -> str:
    """int (1–99) to the Chinese numeral used in headings and counts."""
    if n < 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUM[tens - 1]
    return head + "十" + (CN_NUM[ones - 1] if ones else "")


def cn_date(text: str) -> dt.date | None:
    """二〇〇六年五月二十三日 or 2018年12月25日 to a date."""
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月"
                     r"([一二三四五六七八九十]{1,3})日", text)
    if m:
        year = int("".join(str(CN_DIGITS[c]) for c in m[1]))
        return dt.date(year, to_int(m[2]), to_int(m[3]))
    return None


def arabic_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


DATE_LINE = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]+月"
                       r"[一二三四五六七八九十]+日)$")


# --------------------------------------------------------------------------- State Council


def load_state_council(path: Path, key: str, genre: str, layout: str) -> Spec:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        name, _, value = lines[i].partition("：")
        meta[name] = value.strip()
        i += 1
    text = [ln.strip() for ln in lines[i:] if ln.strip()]
    number = meta["发文字号"]
    at = text.index(number)
    rest = text[at + 1:]
    spec = Spec(key=key, source=f"state_council/{path.name}", genre=genre, layout=layout,
                title=squeeze(meta["标题"]), organ_mark=meta["发文机关"], doc_number=number)
    if rest and rest[0].endswith("：") and len(rest[0]) < 80 and "。" not in rest[0]:
        spec.recipients = [r for r in re.split(r"，", rest[0][:-1]) if r]
        rest = rest[1:]
    # the date line ends the main text; the line before it is the signature
    d_at = next(k for k, ln in enumerate(rest) if DATE_LINE.match(ln))
    spec.date = cn_date(rest[d_at])
    if not rest[d_at][0].isdigit():
        spec.added.append("成文日期原用汉字数字，按现行规范改为阿拉伯数字")
    spec.signature = [rest[d_at - 1]]
    body = rest[:d_at - 1]
    tail = rest[d_at + 1:]
    note_lines = [ln for ln in tail[:1] if re.fullmatch(r"（[^（）]+）", ln)]
    spec.note = note_lines[0] if note_lines else ""
    tail = tail[len(note_lines):]
    notes = [k for k, ln in enumerate(body) if ln.startswith("附件")]
    if notes:
        spec.attachment_note = [re.sub(r"^附件：?", "", ln) for ln in body[notes[0]:]]
        body = body[:notes[0]]
    spec.blocks = [classify(ln) for ln in body]
    if spec.attachment_note:
        spec.attachments = split_attachments(tail, spec.attachment_note)
    return spec


def squeeze(text: str) -> str:
    """Drop the spaces a web page puts between the characters of a spaced-out title line."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def split_attachments(tail: list[str], names: list[str]) -> list[Attachment]:
    """The attachment pages after the date: ``附件`` / ``附件1`` label, title lines, text."""
    out: list[Attachment] = []
    for ln in map(squeeze, tail):
        if re.fullmatch(r"附件\d*：?", ln):
            out.append(Attachment(title=""))
            continue
        if not out:
            continue
        att = out[-1]
        wanted = re.sub(r"^\d+\.", "", names[len(out) - 1]) if len(out) <= len(names) else ""
        if not att.blocks and len(att.title) < len(wanted) and wanted.startswith(att.title + ln[:2]):
            att.title += ln
        elif not att.blocks and not att.title:
            att.title = ln
        else:
            att.blocks.append(classify(ln))
    return out


# --------------------------------------------------------------------------- resolutions


WIKI_END = "本作品来自"


def load_npc_resolution(path: Path, key: str) -> Spec:
    raw = path.read_text(encoding="utf-8").split(WIKI_END)[0]
    # wikisource breaks lines around links: join lines that are not blank-separated paragraphs
    paras = [re.sub(r"\s*\n\s*", "", p).strip() for p in re.split(r"\n\s*\n", raw)]
    paras = [p for p in paras if p]
    title = paras[0]
    return Spec(key=key, source=f"npc_resolutions/{path.name}", genre="决议", layout="resolution",
                title=title, blocks=[classify(p) for p in paras[1:]])


HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}


def full_width(text: str) -> str:
    """Web copies use half-width punctuation among Chinese; the printed document uses full width."""
    return "".join(HALF_TO_FULL.get(c, c) for c in text)


def load_renda_resolution(path: Path, key: str, genre: str, organ: str = "") -> Spec:
    lines = [full_width(ln.strip()) for ln in path.read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    title = lines[0]
    note = lines[1]
    added = ["网页半角标点改为全角"]
    if note.startswith("（") and not note.endswith("）"):
        note += "）"                    # the web copy lost the closing bracket
        added.append("补上通过说明缺失的右括号")
    body = lines[2:]
    spec = Spec(key=key, source=f"renda_more/{path.relative_to(path.parents[1])}", genre=genre,
                layout="resolution", title=title, adoption_note=note, added=added)
    if len(body) >= 2 and DATE_LINE.match(body[-1]):
        spec.date = cn_date(body[-1])
        spec.signature = [body[-2]]
        body = body[:-2]
    spec.blocks = [classify(ln) for ln in body]
    return spec


# --------------------------------------------------------------------------- project sources


def load_project_source(path: Path, key: str) -> Spec:
    """A sample source written for the project: front matter between ``---`` lines, then text."""
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta: dict[str, str] = {}
    for ln in front.splitlines():
        name, _, value = ln.partition(":")
        meta[name.strip()] = value.strip()
    genre = meta["genre"]
    layout = {"plain": "speech", "minutes": "minutes", "letter": "letter"}.get(meta["layout"],
                                                                              "standard")
    if layout == "standard" and genre in ("请示", "报告"):
        layout = "upward"
    if layout == "standard" and not meta.get("doc_number"):
        layout = "resolution"
    spec = Spec(key=key, source=f"corpus/sources/{path.name}", genre=genre, layout=layout,
                title=meta["title"], organ_mark=meta.get("organ_mark", "").split("|")[0],
                doc_number=meta.get("doc_number", ""), signer=meta.get("signer", ""),
                recipients=split(meta.get("recipients", "")),
                adoption_note=meta.get("adoption_note", ""),
                signature=split(meta.get("signature", "")), note=meta.get("note", ""),
                cc=split(meta.get("cc", "")), issued_by=meta.get("issued_by", ""))
    spec.date = dt.date.fromisoformat(meta["date"])
    if meta.get("issued_date"):
        spec.issued_date = dt.date.fromisoformat(meta["issued_date"])
    if meta.get("meeting"):
        spec.meeting = dict(item.split("=", 1) for item in meta["meeting"].split("|"))
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    if layout == "speech":
        lines = speech_head(spec, lines)
    spec.blocks = [classify(ln) for ln in lines]
    if layout == "speech":
        for b in spec.blocks:
            if b.text.endswith("：") and len(b.text) < 20 and b.level == 0:
                b.role = "salutation"
                break
    names = split(meta.get("attachments", ""))
    if names:
        spec.attachment_note = names
        spec.attachments = omitted_attachments(names)
    return spec


def omitted_attachments(names: list[str]) -> list[Attachment]:
    """Attachment pages for names whose text the source does not give: title and ``（略）``."""
    return [Attachment(re.sub(r"^\d+\.", "", n), [Block("（略）", role="list")]) for n in names]


def speech_head(spec: Spec, lines: list[str]) -> list[str]:
    """A speech's first lines: optional ``——`` subtitle, ``（date）``, speaker; kept as fields."""
    while lines and (lines[0].startswith("——") or re.fullmatch(r"（.+日）", lines[0])
                     or lines[0] in spec.signature):
        if lines[0].startswith("——"):
            spec.subtitle = lines[0]
        lines = lines[1:]
    return lines


def split(value: str) -> list[str]:
    return [v for v in value.split("|") if v]
