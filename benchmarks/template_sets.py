"""The real documents the template benchmark measures on, labelled and split by fixed rules.

Local 人大 documents (../shared/corpus, read in place, never copied), every genre from every source:
  renda_pages/*   web pages, labelled by their folder unless the text's title names another genre
                  (a line among the first eight ending in 审议意见, 初审意见, 决议, 决定 or 纪要, a
                  parenthesis after it allowed); the minutes folder holds mostly meeting news, so a
                  text there is a 纪要 only when it calls itself one (title, or ``纪要如下``), else 简报
  renda_more/*    labelled by hand (``renda_more/labels.tsv``: its minutes are news, 简报)
  laws/DLC_*/     local congress and standing-committee documents whose title ends in 决议 or 决定
                  (regulations, rules and 规定 are other genres and left out)
Apart, never in a local set: ``npc_resolutions`` (national 决议) and ``replies/`` (government replies
to citizens' messages, 留言答复: the 建议答复 template measured on a neighbouring genre).

Split rule: an entry is held out when the MD5 of its path under the corpus (``renda_pages/...``; a
reply is ``replies/<file>#<msg_id>``), read as a hexadecimal number, is odd.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.templates.slots import normalise

PAGE_FOLDERS = {  # renda_pages folder -> the genre of a text whose title names none
    "deliberation_opinions": "审议意见", "resolutions": "决议", "minutes_and_meeting_news": "简报",
    "suggestion_replies": "建议答复", "speeches": "讲话稿", "reports_plans": "工作总结",
    "appointments_news": "任免", "news_reports": "简报",
}
TITLE_ENDINGS = (("审议意见书", "审议意见"), ("审议意见", "审议意见"), ("初审意见", "初审意见"),
                 ("决议", "决议"), ("决定", "决定"), ("纪要", "纪要"))
_TITLE_LINES = 8
_TRAILING_NOTE = re.compile(r"[（(][^（）()]{0,12}[）)]$")
_LAW_DATE = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$")
REPLIES = "replies/messages_with_official_replies.jsonl"


@dataclass(frozen=True)
class Entry:
    """One document of a set: its path under the corpus (the split key), its file, its text."""

    relative: str
    path: Path | None  # None for a reply held in a JSON Lines file
    text: str  # normalised as the miner reads it


def held_out(relative: str) -> bool:
    """The split rule: odd MD5 of the path under the corpus."""
    return int(hashlib.md5(relative.encode("utf-8")).hexdigest(), 16) % 2 == 1


def text_of(path: Path) -> str:
    return normalise(path.read_text(encoding="utf-8", errors="replace"))


def title_genre(raw: str) -> str | None:
    """The genre a title line among the first lines names (``…的决议``, ``…审议意见(书面)``)."""
    lines = [line.strip().lstrip("#").strip() for line in raw.splitlines() if line.strip()][:_TITLE_LINES]
    for line in lines:
        line = _TRAILING_NOTE.sub("", line).strip()
        for ending, genre in TITLE_ENDINGS:
            if line.endswith(ending):
                return genre
    return None


def _page_label(folder: str, raw: str) -> str:
    named = title_genre(raw)
    if named:
        return named
    if folder == "minutes_and_meeting_news" and "纪要如下" in normalise(raw):
        return "纪要"
    return PAGE_FOLDERS.get(folder, folder)


def _renda_more_labels(corpus: Path) -> dict[str, str]:
    path = corpus / "renda_more" / "labels.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {f"renda_more/{row['path']}": row["genre"] for row in csv.DictReader(handle, delimiter="\t")}


def _labelled(corpus: Path) -> list[tuple[str, Path]]:
    """(genre, file) of every local document of the three sources."""
    out = []
    for folder in sorted(PAGE_FOLDERS):
        for path in sorted((corpus / "renda_pages" / folder).glob("*.txt")):
            out.append((_page_label(folder, path.read_text(encoding="utf-8", errors="replace")), path))
    for relative, genre in sorted(_renda_more_labels(corpus).items()):
        if (corpus / relative).exists():
            out.append((genre, corpus / relative))
    for path in sorted(corpus.glob("laws/DLC_*/*.md")):
        title = _LAW_DATE.sub("", path.stem)
        genre = next((g for ending, g in TITLE_ENDINGS if title.endswith(ending)), None)
        if genre in ("决议", "决定"):
            out.append((genre, path))
    return out


def _entry(corpus: Path, path: Path) -> Entry:
    return Entry(path.relative_to(corpus).as_posix(), path, text_of(path))


def local_sets(corpus: Path) -> dict[str, list[Entry]]:
    """Every labelled local document, by genre."""
    sets: dict[str, list[Entry]] = {}
    for genre, path in _labelled(corpus):
        sets.setdefault(genre, []).append(_entry(corpus, path))
    return sets


def national_resolutions(corpus: Path) -> list[Entry]:
    return [_entry(corpus, p) for p in sorted((corpus / "npc_resolutions").glob("*.txt"))]


def message_replies(corpus: Path) -> list[Entry]:
    """The official replies of ``replies/`` (the reply text only, not the citizen's message)."""
    path = corpus / REPLIES
    if not path.exists():
        return []
    entries = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("reply"):
                entries.append(Entry(f"{REPLIES}#{row['msg_id']}", None, normalise(row["reply"])))
    return entries


def split(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(development, held out)."""
    return [e for e in entries if not held_out(e.relative)], [e for e in entries if held_out(e.relative)]
