"""Writing a batch pauses the cyclic garbage collector and always turns it back on."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from pipeline.index import writer
from pipeline.model import Document


def _item(n: int) -> tuple[str, Document, dict]:
    body = f"关于做好第{n}项工作的通知\n各单位要切实加强组织领导。"
    return (f"{n:016x}", Document(path=f"/x/{n}.txt", format="txt", title=f"第{n}项工作的通知",
                                  body=body, paragraphs=body.split("\n")), {})


def test_the_collector_is_off_while_a_batch_is_written_and_on_after(tmp_path: Path,
                                                                  monkeypatch) -> None:
    seen: list[bool] = []
    real_write = writer._write

    def spying_write(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_write(*args, **kwargs)

    monkeypatch.setattr(writer, "_write", spying_write)
    assert gc.isenabled()
    writer.add_documents(tmp_path, [_item(1), _item(2)])
    assert seen == [False] and gc.isenabled()
    assert writer.indexed_ids(tmp_path) == {_item(1)[0], _item(2)[0]}


def test_a_failed_write_turns_it_back_on(tmp_path: Path, monkeypatch) -> None:
    def failing_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writer, "_write", failing_write)
    with pytest.raises(OSError):
        writer.add_documents(tmp_path, [_item(1)])
    assert gc.isenabled()


def test_overlapping_batches_resume_it_once_the_last_ends() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    states: list[bool] = []

    def first() -> None:
        with writer._collector_paused():
            first_in.set()
            second_done.wait(5)
            states.append(gc.isenabled())  # the other batch ended: still paused for this one

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with writer._collector_paused():
        pass
    second_done.set()
    thread.join(5)
    assert states == [False] and gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with writer._collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
