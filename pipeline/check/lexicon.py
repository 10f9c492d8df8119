"""jieba's dictionary as a set of words: what reads as a real word in running text (常常 and
不了了之 are words; 的的 is not; 全部份额 is 全部 + 份额, not 部份)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """jieba's dictionary words of 2–4 characters."""
    import jieba

    with open(jieba.get_dict_file().name, encoding="utf-8") as handle:
        return frozenset(w for w in (line.split(" ", 1)[0] for line in handle) if 2 <= len(w) <= 4)
