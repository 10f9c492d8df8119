"""The searchers of one index, shared by a process's threads without making them all take turns.

Whoosh reads a segment's files through shared handles (seek, then read): two threads reading
through one searcher at once get each other's bytes (a server's concurrent requests:
UnicodeDecodeError, struct.error). So a searcher is read by one thread at a time. The first
reader takes the shared searcher (``READING``; its caches — postings, per-document arrays, stored
records — are the warmest); a reader arriving while it is busy borrows a spare searcher, with
file handles of its own, instead of waiting: one slow query (a common word's long postings,
a searcher being opened after a commit) no longer holds up every other search of the server.
Spares are few (``SPARES``); when all are lent, the reader waits for the shared one.

Every searcher is checked against the newest commit when it is taken, so a document shows up in
the first search after its commit; a searcher reads one committed generation, which a writer
working meanwhile never changes (it writes new segment files and a new table of contents).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from whoosh.searching import Searcher

# Readers of the shared searchers take turns (one lock for every index of the process: a caller
# may also read through ``Searchers.shared`` directly, e.g. ``pipeline.excerpts``).
READING = threading.RLock()
SPARES = 3  # spare searchers of one index: with the web app's four request threads, a search
# never waits for another; each spare holds caches of its own, its postings cache smaller:
SPARE_CACHE_MB = 64.0  # (the shared searcher's: ``term_postings.CACHE_MB``)

Opener = Callable[[bool], "Searcher | None"]  # (spare) -> a fresh searcher, None: no index


class Searchers:
    """The shared searcher of one index and its spares."""

    def __init__(self, open_searcher: Opener, spares: int = SPARES) -> None:
        self._open = open_searcher
        self._spares = spares
        self._lock = threading.Lock()
        self._shared: Searcher | None = None
        self._idle: list[Searcher] = []
        self._lent = 0  # spares in use now

    def shared(self) -> Searcher | None:
        """The shared searcher, opened again when the index changed (read it under ``READING``).
        A replaced one is left to the garbage collector: a caller may still hold it. The idle
        spares are closed then (they read the old commit too), so none keeps the files of
        segments a merge deleted open."""
        with self._lock:
            searcher = self._shared
        if searcher is not None and _current(searcher):
            return searcher
        fresh = self._open(False)
        with self._lock:
            self._shared, stale = fresh, self._idle
            self._idle = []
        for spare in stale:
            spare.close()
        return fresh

    @contextlib.contextmanager
    def reading(self) -> Iterator[Searcher | None]:
        """A searcher of the newest commit, for this thread alone while the block runs (None
        when the home has no index). A searcher the block failed on is not used again."""
        if READING.acquire(blocking=False):
            try:
                yield self.shared()
            finally:
                READING.release()
            return
        lent, spare = self._borrow()
        if not lent:
            with READING:
                yield self.shared()
            return
        kept = False
        try:
            yield spare
            kept = True
        finally:
            self._give_back(spare, kept)

    def close(self) -> None:
        """Close the shared searcher and the idle spares (nobody may be reading: tests,
        benchmarks that change the ranking knobs)."""
        with self._lock:
            closing = [s for s in (self._shared, *self._idle) if s is not None]
            self._shared, self._idle = None, []
        for searcher in closing:
            searcher.close()

    def _borrow(self) -> tuple[bool, Searcher | None]:
        """(True, an idle spare of the newest commit or a new one), or (False, None) when every
        spare is lent."""
        while True:
            with self._lock:
                if not self._idle:
                    if self._lent >= self._spares:
                        return False, None
                    self._lent += 1
                    break
                searcher = self._idle.pop()
                self._lent += 1
            if _current(searcher):
                return True, searcher
            searcher.close()  # a commit since it was last used: nobody else holds a spare
            with self._lock:
                self._lent -= 1
        try:
            return True, self._open(True)
        except BaseException:
            with self._lock:
                self._lent -= 1
            raise

    def _give_back(self, searcher: Searcher | None, keep: bool) -> None:
        with self._lock:
            self._lent -= 1
            if keep and searcher is not None:
                self._idle.append(searcher)
                return
        if searcher is not None:
            searcher.close()


def _current(searcher: Searcher) -> bool:
    """Whether ``searcher`` reads the newest commit (False when the index is gone)."""
    try:
        return searcher.up_to_date()
    except (OSError, ValueError, KeyError):
        return False
