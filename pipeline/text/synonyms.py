"""Abbreviations and synonyms: built-in lists, the home's own list, and the ones each archive's
documents define.

A *group* lists equivalent forms; a form is a tuple of parts that must all occur (``一府一委两院`` ->
``("政府", "监察委员会", "法院", "检察院")``); most forms have one part. Built in: ``data/synonyms.json``
(organs, laws, policy terms) and ``data/names.txt`` (events, programmes, campaigns: 进博会, 两会 …).
Users add groups to the home's ``synonyms.txt`` (same plain format as ``names.txt``: one group a
line, forms separated by ``=``, a form's parts joined by ``+``, ``#`` starts a comment). Documents
define their own abbreviations with ``（以下简称“……”）``; ``extract_definitions`` finds them and the
index writer stores them per archive home in ``synonyms.json``. All are read at query time, so an
edit needs no reindex.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.text.normalize import CJK_RANGE, fold

BUILTIN = Path(__file__).resolve().parent / "data" / "synonyms.json"
BUILTIN_NAMES = Path(__file__).resolve().parent / "data" / "names.txt"
HOME_FILE = "synonyms.json"  # definitions found in the archive's documents (written by ingest)
USER_FILE = "synonyms.txt"  # groups the archive's users add (plain text, read at query time)

Form = tuple[str, ...]

_DEFINITION_RE = re.compile(
    r"[（(]\s*(?:以下|下文)?(?:简称|称)\s*[为:：]?\s*[“\"‘'「『]?"
    rf"([{CJK_RANGE}A-Za-z0-9、·]{{2,12}})[”\"’'」』]?\s*[）)]"
)
_BOUNDARY = "，。；：！？、\n\r“”\"《（(）)【】 \t"


@dataclass
class SynonymTable:
    groups: list[list[Form]] = field(default_factory=list)
    by_form: dict[str, list[int]] = field(default_factory=dict)  # one-part form -> group ids
    by_first: dict[str, list[str]] = field(default_factory=dict)  # first char -> forms, longest first
    _stale: bool = False  # by_first must be rebuilt (groups were added since)

    def add_group(self, forms: list[Form]) -> None:
        forms = [tuple(fold(part) for part in form) for form in forms if form]
        merged = _dedupe(forms)
        if len(merged) < 2:
            return
        gid = len(self.groups)
        self.groups.append(merged)
        for form in merged:
            if len(form) == 1:
                self.by_form.setdefault(form[0], []).append(gid)
        self._stale = True

    def _rebuild_first(self) -> None:
        by_first: dict[str, list[str]] = {}
        for form in self.by_form:
            by_first.setdefault(form[0], []).append(form)
        for forms in by_first.values():
            forms.sort(key=len, reverse=True)
        self.by_first = by_first

    def alternatives(self, form: str) -> list[Form]:
        """Every equivalent form of ``form`` (itself first)."""
        result: list[Form] = [(form,)]
        for gid in self.by_form.get(form, []):
            result.extend(f for f in self.groups[gid] if f not in result)
        return result

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, form) occurrences of known forms, longest match first."""
        if self._stale:
            self._rebuild_first()
            self._stale = False
        spans, i = [], 0
        while i < len(text):
            for form in self.by_first.get(text[i], ()):
                if text.startswith(form, i):
                    spans.append((i, i + len(form), form))
                    i += len(form)
                    break
            else:
                i += 1
        return spans


def _dedupe(forms: list[Form]) -> list[Form]:
    seen: list[Form] = []
    for form in forms:
        if form not in seen:
            seen.append(form)
    return seen


@lru_cache(maxsize=1)
def _builtin_groups() -> list[list[Form]]:
    data = json.loads(BUILTIN.read_text(encoding="utf-8"))
    listed = [[tuple(f) if isinstance(f, list) else (f,) for f in group] for group in data["groups"]]
    return listed + parse_groups(BUILTIN_NAMES.read_text(encoding="utf-8"))


_FORM_SEPARATOR = re.compile(r"\s*[=＝]\s*")
_PART_SEPARATOR = re.compile(r"\s*[+＋]\s*")


def parse_groups(text: str) -> list[list[Form]]:
    """Groups from the plain format: ``进博会 = 中国国际进口博览会``, ``三农 = 农业+农村+农民``; lines
    starting with ``#`` and lines naming fewer than two forms are skipped."""
    groups = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        forms = [tuple(p for p in _PART_SEPARATOR.split(form) if p)
                 for form in _FORM_SEPARATOR.split(line)]
        forms = [form for form in forms if form]
        if len(forms) >= 2:
            groups.append(forms)
    return groups


def load_user_groups(home: Path | str | None) -> list[list[Form]]:
    """The groups of the home's ``synonyms.txt`` (none when absent or unreadable)."""
    if home is None:
        return []
    try:
        return parse_groups((Path(home) / USER_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return []


_cache: dict[str, tuple[tuple[float, float], SynonymTable]] = {}
_cache_lock = threading.Lock()


def _mtime(path: Path | None) -> float:
    try:
        return path.stat().st_mtime if path is not None else 0.0
    except OSError:
        return 0.0


def table(home: Path | str | None = None) -> SynonymTable:
    """Built-in groups plus the home's list and definitions; cached until ``synonyms.json`` or
    ``synonyms.txt`` changes."""
    path = Path(home) / HOME_FILE if home is not None else None
    user = Path(home) / USER_FILE if home is not None else None
    stamp = (_mtime(path), _mtime(user))
    key = str(path)
    with _cache_lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
    result = SynonymTable()
    for group in _builtin_groups() + load_user_groups(home):
        result.add_group(group)
    for short, fulls in load_definitions(home).items():
        result.add_group([(short,)] + [(full,) for full in fulls])
    with _cache_lock:
        _cache[key] = (stamp, result)
    return result


# --- definitions found in documents -------------------------------------------------------------
def extract_definitions(text: str) -> list[tuple[str, str]]:
    """(full form, short form) pairs from ``……（以下简称“……”）`` in ``text``."""
    pairs = []
    for match in _DEFINITION_RE.finditer(text):
        short = match.group(1).strip("、·")
        full = _full_form(text[: match.start()], short)
        if full and full != short and len(short) < len(full):
            pairs.append((full, short))
    return pairs


def _full_form(before: str, short: str) -> str | None:
    """The phrase an abbreviation stands for: a 《book title》, else the shortest tail of the preceding
    clause that starts with the abbreviation's first character and contains its characters in order."""
    before = before.rstrip()
    if before.endswith("》"):
        start = before.rfind("《")
        return before[start + 1 : -1] if start >= 0 else None
    start = max(before.rfind(ch) for ch in _BOUNDARY)
    clause = before[start + 1 :][-40:]
    for i in range(len(clause) - len(short), -1, -1):
        if clause[i] == short[0] and _is_subsequence(short, clause[i:]):
            return clause[i:]
    return None


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def load_definitions(home: Path | str | None) -> dict[str, list[str]]:
    if home is None:
        return {}
    path = Path(home) / HOME_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: list(v) for k, v in data.get("definitions", {}).items()}


def add_definitions(home: Path | str, pairs: list[tuple[str, str]]) -> int:
    """Merge (full, short) pairs into ``<home>/synonyms.json``; returns how many were new."""
    if not pairs:
        return 0
    definitions = load_definitions(home)
    added = 0
    for full, short in pairs:
        short, full = fold(short), fold(full)
        fulls = definitions.setdefault(short, [])
        if full not in fulls:
            fulls.append(full)
            added += 1
    if added:
        path = Path(home) / HOME_FILE
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        payload = {"definitions": definitions}
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)  # atomic: concurrent readers never see half a file
    return added
