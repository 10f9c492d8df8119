"""Safety limits for readers: file size, decompressed size, compression ratio, time.

Every limit can be changed through an environment variable so an archivist can raise it
for a known-good batch without touching code; the defaults protect a shared machine.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.model import ParseError

MB = 1024 * 1024


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        return default
    return number if number > 0 else default


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * MB  # raw file size
    max_unzipped_bytes: int = 300 * MB  # sum of a ZIP container's uncompressed sizes
    max_ratio: float = 200.0  # uncompressed / compressed for the whole container
    max_entries: int = 20_000  # members of a ZIP container
    read_timeout: float = 120.0  # seconds per file (Python readers)
    convert_timeout: float = 120.0  # seconds per LibreOffice conversion

    @classmethod
    def from_env(cls) -> Limits:
        base = cls()
        return cls(
            max_file_bytes=int(_env_number("GONGWEN_MAX_FILE_MB", base.max_file_bytes / MB) * MB),
            max_unzipped_bytes=int(
                _env_number("GONGWEN_MAX_UNZIPPED_MB", base.max_unzipped_bytes / MB) * MB
            ),
            max_ratio=_env_number("GONGWEN_MAX_ZIP_RATIO", base.max_ratio),
            max_entries=int(_env_number("GONGWEN_MAX_ZIP_ENTRIES", base.max_entries)),
            read_timeout=_env_number("GONGWEN_READ_TIMEOUT", base.read_timeout),
            convert_timeout=_env_number("GONGWEN_CONVERT_TIMEOUT", base.convert_timeout),
        )

    def as_environment(self) -> dict[str, str]:
        """These limits as the variables ``from_env`` reads: to hand them to a reader elsewhere
        (a Dask worker reads files under the coordinator's limits, not its own)."""
        return {
            "GONGWEN_MAX_FILE_MB": repr(self.max_file_bytes / MB),
            "GONGWEN_MAX_UNZIPPED_MB": repr(self.max_unzipped_bytes / MB),
            "GONGWEN_MAX_ZIP_RATIO": repr(self.max_ratio),
            "GONGWEN_MAX_ZIP_ENTRIES": str(self.max_entries),
            "GONGWEN_READ_TIMEOUT": repr(self.read_timeout),
            "GONGWEN_CONVERT_TIMEOUT": repr(self.convert_timeout),
        }


def current() -> Limits:
    """The limits in force now (read from the environment on every call, it is cheap)."""
    return Limits.from_env()


def _mb(size: float) -> str:
    return f"{size / MB:.1f}"


def check_file_size(path: str, size: int, limits: Limits | None = None) -> None:
    limits = limits or current()
    if size > limits.max_file_bytes:
        raise ParseError(
            path, f"文件过大（{_mb(size)} MB），超过上限 {_mb(limits.max_file_bytes)} MB"
        )


def open_zip(path: str, data: bytes, what: str = "文件") -> zipfile.ZipFile:
    """The ZIP container in ``data`` (docx, ofd), already checked by :func:`check_zip`.

    ``what`` names the kind of file in the Chinese error (``文件``, ``OFD 文件``).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ParseError(path, f"{what}已损坏或不完整（ZIP 结构无法读取：{exc}）") from exc
    try:
        check_zip(path, archive)
    except BaseException:
        archive.close()
        raise
    return archive


def check_zip(path: str, archive: zipfile.ZipFile, limits: Limits | None = None) -> None:
    """Refuse a ZIP container whose central directory promises too much (a zip bomb).

    The central directory is read without decompressing anything. Members that lie about
    their size are caught later by :func:`read_member`, which stops at the cap.
    """
    limits = limits or current()
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise ParseError(path, f"压缩包内文件过多（{len(infos)} 个），疑似压缩炸弹")
    unzipped = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if unzipped > limits.max_unzipped_bytes:
        raise ParseError(
            path,
            f"解压后体积过大（{_mb(unzipped)} MB，上限 {_mb(limits.max_unzipped_bytes)} MB），疑似压缩炸弹",
        )
    # Small containers compress XML very well; the ratio only matters once the size does.
    if unzipped > 20 * MB and unzipped > limits.max_ratio * max(packed, 1):
        raise ParseError(path, f"压缩比异常（{unzipped / max(packed, 1):.0f} 倍），疑似压缩炸弹")


def read_member(
    path: str, archive: zipfile.ZipFile, name: str, limits: Limits | None = None
) -> bytes:
    """Read one member, never decompressing more than the cap even if its header lies."""
    limits = limits or current()
    with archive.open(name) as stream:
        data = stream.read(limits.max_unzipped_bytes + 1)
    if len(data) > limits.max_unzipped_bytes:
        raise ParseError(path, "解压后体积过大，疑似压缩炸弹")
    return data


_RETRY_INTERVAL = 0.05  # seconds between repeated alarms once the limit has passed


class ReadTimeout(Exception):
    """Raised inside a reader when the per-file time limit expires."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`ReadTimeout` (main thread only).

    SIGALRM only works on the main thread of the main interpreter; elsewhere (web workers,
    thread pools) the block runs unbounded and external tools rely on their own timeouts.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    expired = False

    def _expire(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise ReadTimeout()

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, _expire)
    # The timer repeats: an alarm landing in a context that swallows exceptions (a gc callback,
    # a __del__) would otherwise be lost and leave the reader unbounded.
    previous_delay, previous_interval = signal.setitimer(
        signal.ITIMER_REAL, seconds, _RETRY_INTERVAL
    )
    try:
        yield
        if expired:  # every alarm was swallowed, but the limit did pass
            raise ReadTimeout()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            # An outer timer was running: give it back what is left, at least a tick.
            signal.setitimer(
                signal.ITIMER_REAL,
                max(previous_delay - (time.monotonic() - started), 0.001),
                previous_interval,
            )
