"""Checking the archive (检测): every stored original still hashes to what the catalog recorded,
and the index holds exactly the documents the catalog says it should.

What an archivist runs before a transfer or after a disk incident (the integrity and usability
checks of DA/T 70): a flipped bit, a stored copy deleted or replaced, an index that lost or kept
documents — each is named with what was expected. Nothing is changed; the next ``gongwen ingest``
brings the index back in step with the catalog (``sync_index``), a damaged original has to be
stored again from its source.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.archive.catalog import connect, current_ids
from pipeline.archive.hashing import FixityHasher
from pipeline.home import Home

CHUNK = 1 << 20


@dataclass
class StoredCopy:
    """One file of the store, with what the catalog recorded for it."""

    stored: str  # relative to the home
    sha256: str
    sm3: str
    size: int
    sources: list[str] = field(default_factory=list)  # the original paths it was ingested from


def verify(home: Home, progress: bool = False) -> dict[str, Any]:
    """``{"ok", "files", "bytes", "problems": [{"stored", "sources", "problem"}],
    "index": {"documents", "missing", "extra", "stale"}}``."""
    copies = _stored_copies(home)
    problems = check_copies(home, copies, progress)
    index = _check_index(home)
    ok = not problems and not index["missing"] and not index["extra"] and not index["stale"]
    return {"ok": ok, "files": len(copies), "bytes": sum(c.size for c in copies),
            "problems": problems, "index": index}


def check_copies(home: Home, copies: list[StoredCopy], progress: bool = False) -> list[dict[str, Any]]:
    """Re-hash each stored copy: ``[{"stored", "sources", "problem"}]`` for those that differ
    from what a catalog (this home's, or a database's) recorded."""
    problems = []
    bar = _progress_bar(sum(c.size for c in copies), progress)
    try:
        for copy in copies:
            problem = _check(home.stored(copy.stored), copy, bar.update)
            if problem:
                problems.append({"stored": copy.stored, "sources": copy.sources, "problem": problem})
    finally:
        bar.close()
    return problems


def collect_copies(rows: Any) -> list[StoredCopy]:
    """Every stored copy once from ``files`` rows (stored, sha256, sm3, size, path) in order."""
    copies: dict[str, StoredCopy] = {}
    for row in rows:
        copy = copies.setdefault(row["stored"], StoredCopy(row["stored"], row["sha256"],
                                                           row["sm3"], row["size"]))
        if row["path"] not in copy.sources:
            copy.sources.append(row["path"])
    return list(copies.values())


def _stored_copies(home: Home) -> list[StoredCopy]:
    """Every stored copy once (duplicates and versions may share one), quarantined ones too."""
    conn = connect(home)
    try:
        return collect_copies(conn.execute(
            "SELECT stored, sha256, sm3, size, path FROM files ORDER BY stored, id"))
    finally:
        conn.close()


def _check(path: Path, copy: StoredCopy, advance: Any) -> str | None:
    """A Chinese description of what is wrong with ``path``, or None."""
    hasher = FixityHasher()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                hasher.update(chunk)
                advance(len(chunk))
    except FileNotFoundError:
        return "存档副本缺失"
    except OSError as err:
        return f"存档副本无法读取：{err.strerror or err}"
    if hasher.size != copy.size:
        return f"大小不符：目录记录 {copy.size} 字节，实际 {hasher.size} 字节"
    wrong = [name for name, want, got in (("SHA-256", copy.sha256, hasher.sha256),
                                          ("SM3", copy.sm3, hasher.sm3)) if want != got]
    return f"{'、'.join(wrong)} 校验值不符（文件内容已被改动）" if wrong else None


def _check_index(home: Home) -> dict[str, Any]:
    from pipeline.index.writer import indexed_ids, is_stale

    conn = connect(home)
    try:
        wanted = current_ids(conn)
    finally:
        conn.close()
    if is_stale(home.root):  # written by an older version: rebuilt whole on the next use
        return {"documents": len(wanted), "missing": [], "extra": [], "stale": True}
    indexed = indexed_ids(home.root)
    return {"documents": len(wanted), "missing": sorted(wanted - indexed),
            "extra": sorted(indexed - wanted), "stale": False}


def _progress_bar(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc="检测", unit="B", unit_scale=True, file=sys.stderr,
                disable=not enabled, dynamic_ncols=True)
