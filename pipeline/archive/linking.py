"""How a new document relates to the archive: rendition of a known one, new version, or new.

- Rendition (the same document in another format): the same normalised text, or the same
  title + 文号 + date with a near-identical body. Linked as another file, never indexed twice.
- Version: the same source path with new content, the same 文号, or (without 文号) the same
  title, issuer and date with a similar body (a revision). A bare title match is not enough: every year has a
  "政府工作报告", and those are different documents, not versions.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.model import Document
from pipeline.text.normalize import has_traditional, to_simplified

RENDITION_SIMILARITY = 0.9
VERSION_SIMILARITY = 0.5
MIN_TITLE_CHARS = 6
SHINGLE = 4
# str.isalnum's complement: re's \w is exactly "isalnum() or _" (checked over every code point)
_NOT_ALNUM = re.compile(r"[\W_]+")
_NUMBER_BRACKETS = re.compile(r"[〔〕［］\[\]（）()【】{}｛｝<>〈〉《》\s]")


def normalise_text(text: str) -> str:
    """NFKC and simplified characters, then only letters and digits: formats differ in spaces,
    quotes and line breaks, and a Big5 copy of a document is the same document."""
    outside, mapped, table = _nfkc_alone()
    if outside.search(text) is None and not has_traditional(text):
        kept = _NOT_ALNUM.sub("", text)  # the same as after NFKC, but for ``table``'s characters
        return kept.translate(table) if mapped.search(kept) else kept
    return _NOT_ALNUM.sub("", to_simplified(unicodedata.normalize("NFKC", text)))


# Where the text's characters are all of these, NFKC changes each one on its own: ranges of the
# characters official texts hold (ASCII, Latin-1, Greek, Cyrillic, punctuation, symbols, circled
# numbers, CJK punctuation, ideographs, full-width forms; not the half-width Hangul, whose jamo
# compose), less any character whose decomposition holds a combining mark (those reorder and
# compose with their neighbours). None of what is left decomposes to a character that composes
# with the one before it (tests/test_worker_shortcuts.py checks every composition of Unicode).
_NFKC_RANGES = ((0x0000, 0x00FF), (0x0370, 0x04FF), (0x2000, 0x22FF), (0x2460, 0x25FF),
                (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFF9F), (0xFFE0, 0xFFEF))


@lru_cache(maxsize=1)
def _nfkc_alone() -> tuple[re.Pattern[str], re.Pattern[str], dict[int, str]]:
    """(a class of the characters outside the shortcut's set, a class of its letters and digits
    that NFKC changes, the table giving what they become): within the set, dropping what is not a
    letter or digit and then translating those equals NFKC and then dropping (a character that
    is dropped also becomes nothing but what is dropped; none becomes a traditional one)."""
    alone: list[int] = []
    table: dict[int, str] = {}
    for low, high in _NFKC_RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            decomposed = unicodedata.normalize("NFKD", char)
            if any(unicodedata.combining(part) for part in decomposed):
                continue
            composed = unicodedata.normalize("NFKC", char)
            kept = _NOT_ALNUM.sub("", composed)
            if composed != char and has_traditional(composed):
                continue
            if _NOT_ALNUM.fullmatch(char):
                if kept:
                    continue
            elif kept != char:
                table[code] = kept
            alone.append(code)
    return (re.compile(f"[^{_class_ranges(alone)}]"),
            re.compile(f"[{_class_ranges(sorted(table))}]"), table)


def _class_ranges(codes: list[int]) -> str:
    """The inside of a regular-expression class holding exactly ``codes`` (sorted), as ranges."""
    parts, start = [], None
    for i, code in enumerate(codes):
        if start is None:
            start = code
        if i + 1 == len(codes) or codes[i + 1] != code + 1:
            parts.append(re.escape(chr(start)) + (f"-{re.escape(chr(code))}" if code > start else ""))
            start = None
    return "".join(parts)


def text_key(doc: Document) -> str | None:
    """SHA-256 of the normalised body (title lines are parsed differently between formats)."""
    body = normalise_text(doc.body or "")
    if len(body) < 20:  # too little text to tell documents apart
        body = normalise_text((doc.title or "") + (doc.body or ""))
        if len(body) < 20:
            return None
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def number_key(doc_number: str | None) -> str | None:
    """A 文号 without bracket style or spaces: ``国发〔2019〕5号`` == ``国发[2019]5号``."""
    if not doc_number:
        return None
    key = _NUMBER_BRACKETS.sub("", unicodedata.normalize("NFKC", doc_number))
    return key or None


def shingles(text: str) -> set[int]:
    norm = normalise_text(text)
    return {hash(norm[i : i + SHINGLE]) for i in range(max(len(norm) - SHINGLE + 1, 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character 4-gram sets."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


@dataclass
class Link:
    kind: str  # "rendition" | "version" | "new"
    doc_id: str | None = None  # the rendition's document, or the version chain's id


def find_link(conn: sqlite3.Connection, doc: Document, key: str | None,
              previous_at_path: str | None) -> Link:
    """Decide how ``doc`` (not yet in the catalog) relates to what is there."""
    if key:
        row = conn.execute("SELECT id FROM documents WHERE text_key = ? AND state = 'active'"
                           " ORDER BY added_at LIMIT 1", (key,)).fetchone()
        if row:
            return Link("rendition", row["id"])
    rendition = _rendition_by_fields(conn, doc)
    if rendition:
        return Link("rendition", rendition)
    if previous_at_path:
        chain = conn.execute("SELECT chain FROM documents WHERE id = ? AND state = 'active'",
                             (previous_at_path,)).fetchone()
        if chain:
            return Link("version", chain["chain"])
    chain = _version_chain(conn, doc)
    return Link("version", chain) if chain else Link("new")


def _rendition_by_fields(conn: sqlite3.Connection, doc: Document) -> str | None:
    if not (doc.title and doc.date and len(doc.title) >= MIN_TITLE_CHARS):
        return None
    rows = conn.execute(
        "SELECT id, number_key, doc_json FROM documents WHERE title = ? AND date = ?"
        " AND state = 'active'", (doc.title, doc.date)).fetchall()
    for row in rows:
        if row["number_key"] != number_key(doc.doc_number):
            continue
        body = json.loads(row["doc_json"]).get("body") or ""
        if similarity(body, doc.body) >= RENDITION_SIMILARITY:
            return row["id"]
    return None


def _version_chain(conn: sqlite3.Connection, doc: Document) -> str | None:
    key = number_key(doc.doc_number)
    if key:
        row = conn.execute("SELECT chain FROM documents WHERE number_key = ? AND state = 'active'"
                           " ORDER BY added_at LIMIT 1", (key,)).fetchone()
        if row:
            return row["chain"]
    if key or not doc.title or len(doc.title) < MIN_TITLE_CHARS:
        return None
    # Same title, issuer and date, no 文号 on either side, similar body: a revision. A different
    # date means another document (monthly notices share titles and boilerplate).
    issuer = "、".join(doc.issuer)
    rows = conn.execute(
        "SELECT chain, date, doc_json FROM documents WHERE title = ? AND issuer = ?"
        " AND number_key IS NULL AND state = 'active' AND is_current = 1",
        (doc.title, issuer)).fetchall()
    for row in rows:
        if row["date"] and doc.date and row["date"] != doc.date:
            continue
        body = json.loads(row["doc_json"]).get("body") or ""
        if similarity(body, doc.body) >= VERSION_SIMILARITY:
            return row["chain"]
    return None
