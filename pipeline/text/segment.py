"""Chinese word segmentation with jieba over the domain lexicon.

Stable API used by index/, classify/ and templates/: ``words(text) -> list[str]``.
"""

from __future__ import annotations

from functools import lru_cache

import jieba


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """Words of ``text`` (punctuation and whitespace dropped)."""
    return [w for w in _tokenizer().lcut(text) if w.strip() and any(ch.isalnum() for ch in w)]
