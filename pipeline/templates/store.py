"""Templates on disk: ``<home>/templates/<genre>.json`` plus an editable ``<genre>.docx``.

The .docx holds docxtpl placeholders (``{{ 会议名称 }}``) laid out by the GB/T 9704 renderer; its
SHA-256 is kept in the JSON so drafting knows whether the user edited it (then the edited file is
rendered with docxtpl) or not (then the draft is rendered afresh from the JSON).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

_UNSAFE = re.compile(r"[\\/:*?\"<>|\s]")


def template_dir(home: Path) -> Path:
    return Path(home) / "templates"


def _stem(genre: str) -> str:
    return _UNSAFE.sub("_", genre)


def json_path(home: Path, genre: str) -> Path:
    return template_dir(home) / f"{_stem(genre)}.json"


def docx_path(home: Path, genre: str) -> Path:
    return template_dir(home) / f"{_stem(genre)}.docx"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(home: Path, template: dict[str, Any]) -> Path:
    path = json_path(home, template["genre"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(template, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # readers never see half a template
    return path


def load(home: Path, genre: str) -> dict[str, Any]:
    """The stored template; ``KeyError`` (Chinese message) when it was never built."""
    path = json_path(home, genre)
    if not path.exists():
        raise KeyError(f"没有“{genre}”的模板，请先运行 gongwen templates build --genre {genre}")
    return json.loads(path.read_text(encoding="utf-8"))


def load_if_any(home: Path, genre: str) -> dict[str, Any] | None:
    """The stored template, None when it was never built (or cannot be read)."""
    path = json_path(home, genre)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stored_genres(home: Path) -> list[str]:
    folder = template_dir(home)
    if not folder.is_dir():
        return []
    return sorted(json.loads(p.read_text(encoding="utf-8"))["genre"] for p in folder.glob("*.json"))


def docx_edited(home: Path, template: dict[str, Any]) -> bool:
    """True when the user changed the template .docx since it was built."""
    path = docx_path(home, template["genre"])
    return path.exists() and template.get("docx_sha256") not in (None, sha256(path))
