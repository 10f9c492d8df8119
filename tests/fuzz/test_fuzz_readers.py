"""Fuzzing the readers: mutated small valid files must give a RawDocument or a ParseError.

Two kinds of mutation: raw bytes (flips, cuts, insertions anywhere in the file) and, for
the ZIP formats, mutations of one member's XML re-packed into a valid container, so the
XML parsers and the readers' own logic see the damage instead of zipfile's CRC check.

Longer runs: ``GONGWEN_FUZZ_EXAMPLES=2000 GONGWEN_FUZZ_SAVE=1 pytest tests/fuzz``; inputs that
raise anything other than ParseError are saved to tests/fuzz/crashers/ and replayed by
test_crashers.py for good.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import formats
from pipeline.model import ParseError, RawDocument
from tests.fuzz.samples import make_docx, make_html, make_ofd, make_text

CRASHERS = Path(__file__).parent / "crashers"
EXAMPLES = int(os.environ.get("GONGWEN_FUZZ_EXAMPLES", "40"))
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("GONGWEN_FUZZ_SAVE"),
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip

SEEDS: dict[str, bytes] = {}


def seed(kind: str, tmp: Path) -> bytes:
    if kind not in SEEDS:
        builders = {"docx": make_docx, "ofd": make_ofd, "html": make_html, "txt": make_text}
        SEEDS[kind] = builders[kind](tmp / f"seed.{kind}").read_bytes()
    return SEEDS[kind]


mutation = st.tuples(
    st.sampled_from(["flip", "set", "cut", "insert", "delete"]),
    st.floats(0, 1),
    st.binary(min_size=1, max_size=16),
)


def mutate(data: bytes, steps: list[tuple[str, float, bytes]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, payload in steps:
        if not buffer:
            break
        at = min(int(where * len(buffer)), len(buffer) - 1)
        if kind == "flip":
            buffer[at] ^= payload[0] or 0xFF
        elif kind == "set":
            buffer[at : at + len(payload)] = payload
        elif kind == "cut":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = payload * 8
        else:
            del buffer[at : at + len(payload) * 16]
    return bytes(buffer)


def repack(data: bytes, member_index: float, steps: list[tuple[str, float, bytes]]) -> bytes:
    """Mutate one member of a ZIP container and write a valid container around it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    infos = source.infolist()
    victim = infos[min(int(member_index * len(infos)), len(infos) - 1)].filename
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            payload = source.read(info)
            target.writestr(
                info.filename, mutate(payload, steps) if info.filename == victim else payload
            )
    return out.getvalue()


def save_crasher(data: bytes, suffix: str) -> Path:
    CRASHERS.mkdir(exist_ok=True)
    path = CRASHERS / f"{hashlib.sha1(data).hexdigest()[:16]}{suffix}"
    path.write_bytes(data)
    return path


def check(tmp: Path, data: bytes, suffix: str) -> None:
    path = tmp / f"fuzzed{suffix}"
    path.write_bytes(data)
    try:
        result = formats.read(path)
    except ParseError as error:
        assert error.reason and error.path == str(path)
        # The catch-all in read() keeps a batch alive, but a backend should anticipate
        # every way its format breaks: a generic reason here is a finding.
        if error.reason.startswith("读取失败"):
            if os.environ.get("GONGWEN_FUZZ_SAVE"):
                save_crasher(data, suffix)
            pytest.fail(f"unanticipated failure: {error.reason}")
        return
    except BaseException:
        if os.environ.get("GONGWEN_FUZZ_SAVE"):
            save_crasher(data, suffix)
        raise
    assert isinstance(result, RawDocument) and result.text.strip()


@pytest.mark.parametrize("kind", ["docx", "ofd", "html", "txt"])
@FUZZ_SETTINGS
@given(steps=st.lists(mutation, min_size=1, max_size=4))
def test_fuzz_bytes(tmp_path: Path, kind: str, steps) -> None:
    check(tmp_path, mutate(seed(kind, tmp_path), steps), f".{kind}")


@pytest.mark.parametrize("kind", ["docx", "ofd"])
@FUZZ_SETTINGS
@given(member=st.floats(0, 1), steps=st.lists(mutation, min_size=1, max_size=4))
def test_fuzz_zip_members(tmp_path: Path, kind: str, member: float, steps) -> None:
    check(tmp_path, repack(seed(kind, tmp_path), member, steps), f".{kind}")
