"""A function's results remembered for the keys seen lately, within a bound."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """``compute(key)`` remembered in a dictionary that is emptied when it holds ``limit`` keys
    (a bound, not an LRU: documents share most of their words and runs, so the recent ones are
    what is asked again). ``forget`` starts a new dictionary; a value being computed meanwhile
    lands in the old one, so a result of the old state is never remembered after it."""

    def __init__(self, compute: Callable[[K], V], limit: int) -> None:
        self.compute = compute
        self.limit = limit
        self._memo: dict[K, V] = {}

    def __call__(self, key: K) -> V:
        memo = self._memo  # read once: a value is stored only where it was looked up
        value = memo.get(key)
        if value is None:
            if len(memo) >= self.limit:
                memo = self._memo = {}
            value = memo[key] = self.compute(key)
        return value

    def known(self, key: K) -> V | None:
        """The remembered value of ``key``, or None (nothing is computed)."""
        return self._memo.get(key)

    def forget(self) -> None:
        self._memo = {}

    def __len__(self) -> int:
        return len(self._memo)
