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

from pipeline.model import Document
from pipeline.text.normalize import to_simplified

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
    return _NOT_ALNUM.sub("", to_simplified(unicodedata.normalize("NFKC", text)))


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
