"""An archive home's settings: ``<home>/config.json`` laid over the defaults.

The settings name the office (全宗号, 档案门类, its own organs, 机构代码 by issuer or topic): the
archival codes read them, and so does classification (a document of the office's own organs is kept
longer). They live below both, beside ``Home``. Process settings read from the environment
(``GONGWEN_…`` numbers) are read here too (``env_int``).
"""

from __future__ import annotations

import json
import os
from typing import Any

from pipeline.home import Home

DEFAULT_CONFIG: dict[str, Any] = {
    "fonds": "Z001",  # 全宗号
    "category": "WS",  # 档案门类代码: 文书
    "default_organ": "BGS",  # 办公室
    "own_organs": ["人大常委会", "人民代表大会", "人大", "常务委员会"],
    # 机构代码 by the issuer's name (a substring of it), checked first …
    "organ_codes": {
        "财政经济": "CJ", "财经": "CJ", "城建环资": "CH", "城乡建设环境": "CH", "选举任免": "XL",
        "选联": "XL", "人事代表": "XL", "监察和司法": "JS", "监察司法": "JS", "法制": "JS",
        "教科文卫": "JK", "教育科学文化卫生": "JK", "农业农村": "NY", "社会建设": "SJ",
        "代表工作": "DB", "研究室": "YJS", "办公室": "BGS",
    },
    # … then by the document's first topic (the committee that handles it).
    "topic_codes": {
        "财经": "CJ", "城建环资": "CH", "选举任免联络": "XL", "监察司法": "JS", "教科文卫": "JK",
        "农业农村": "NY", "社会建设": "SJ", "代表工作": "DB", "机关综合": "BGS",
    },
    "organ_by_topic": True,
}


def load_config(home: Home) -> dict[str, Any]:
    """Defaults overlaid with ``<home>/config.json`` (nested dicts merged one level deep)."""
    config = json.loads(json.dumps(DEFAULT_CONFIG))
    path = home.config
    if path.is_file():
        try:
            user = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}：配置文件格式错误（{error}）") from error
        for key, value in user.items():
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key].update(value)
            else:
                config[key] = value
    return config


def env_int(name: str, default: int, least: int | None = None) -> int:
    """The whole number the environment variable ``name`` holds, at least ``least``; ``default``
    when it is unset or not a number."""
    try:
        value = int(os.environ[name])
    except (KeyError, ValueError):
        return default
    return value if least is None else max(least, value)
