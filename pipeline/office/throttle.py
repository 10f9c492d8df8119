"""Login throttling: after repeated wrong passwords an account, and an address, wait.

Failures are counted over a sliding window per account name and per client address. Once an
account has ``ACCOUNT_LIMIT`` failures in the window (an address ``ADDRESS_LIMIT``, higher: an
office may sit behind one address), further attempts are refused without checking the
password until the oldest failure leaves the window. A successful sign-in clears the account's
count. Kept in the server's memory: only the server can be asked for a password.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

WINDOW_SECONDS = 15 * 60
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


class LoginThrottle:
    def __init__(self, window: float = WINDOW_SECONDS, account_limit: int = ACCOUNT_LIMIT,
                 address_limit: int = ADDRESS_LIMIT):
        self.window = window
        self.limits = {"account": account_limit, "address": address_limit}
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_seconds(self, name: str, address: str) -> float:
        """How long this sign-in must wait (0: it may try now)."""
        now = time.monotonic()
        with self._lock:
            waits = [self._wait(("account", name), now), self._wait(("address", address), now)]
        return max(waits)

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (("account", name), ("address", address)):
                self._failures[key].append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(("account", name), None)

    def _wait(self, key: tuple[str, str], now: float) -> float:
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and now - times[0] >= self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return 0.0
        limit = self.limits[key[0]]
        if len(times) < limit:
            return 0.0
        return self.window - (now - times[-limit])
