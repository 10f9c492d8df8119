"""Legacy Word (.doc, also RTF) and WPS (.wps): LibreOffice headless to .docx, then the docx reader.

Each conversion gets its own temporary directory and its own LibreOffice profile
(``-env:UserInstallation``), so parallel conversions never share a lock or a profile, and
runs in its own process group so a timeout can kill soffice and every child it spawned.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.formats import limits
from pipeline.formats.base import Backend, damaged_container
from pipeline.formats.docx import read_docx
from pipeline.model import ParseError, RawDocument

_CANDIDATES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    configured = os.environ.get("GONGWEN_SOFFICE")
    if configured and Path(configured).exists():
        return configured
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def convert_to_docx(path: str, workdir: Path, timeout: float) -> Path:
    """Convert ``path`` with LibreOffice into ``workdir``; the path of the .docx produced."""
    soffice = find_soffice()
    if soffice is None:
        raise ParseError(path, "未安装 LibreOffice，无法读取 .doc/.wps")
    suffix = (
        Path(path).suffix.lower()
        if Path(path).suffix.lower() in (".doc", ".wps", ".rtf", ".dot", ".wpt")
        else ".doc"
    )
    source = workdir / f"input{suffix}"  # ASCII name: no quoting or locale surprises
    shutil.copyfile(path, source)
    outdir = workdir / "out"
    profile = (workdir / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(outdir), str(source)]  # fmt: skip
    environment = dict(os.environ, HOME=str(workdir), SAL_USE_VCLPLUGIN="svp")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=workdir,
                               env=environment, start_new_session=True)  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise ParseError(path, f"转换超时（LibreOffice 超过 {timeout:g} 秒未完成）") from exc
    except BaseException:
        _kill_group(process)  # e.g. the per-file time limit fired: leave no soffice behind
        raise
    produced = outdir / "input.docx"
    if not produced.exists() or produced.stat().st_size == 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        detail_text = "；".join(line for line in detail if "javaldx" not in line)[-200:]
        reason = "LibreOffice 转换失败，文件可能已损坏、已加密或不是 Word/WPS 文档"
        raise ParseError(path, f"{reason}（{detail_text}）" if detail_text else reason)
    return produced


def looks_garbled(text: str) -> bool:
    """True when most characters are neither CJK, ASCII nor common punctuation."""
    sample = [ch for ch in text[:20000] if not ch.isspace()]
    if len(sample) < 20:
        return False
    ordinary = sum(
        1 for ch in sample
        if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u206f"
    )  # fmt: skip
    return ordinary / len(sample) < 0.5


class _ConvertedBackend(Backend):
    def read(self, path: str) -> RawDocument:
        active = limits.current()
        workdir = Path(tempfile.mkdtemp(prefix="gongwen-office-"))
        try:
            produced = convert_to_docx(path, workdir, active.convert_timeout)
            with damaged_container(path, "转换后的文档"):
                raw = read_docx(str(produced), self.name)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        raw.path = path
        if looks_garbled(raw.text):
            # LibreOffice imports an unreadable file as plain text rather than failing.
            raise ParseError(path, "文件已损坏：转换结果为乱码，无法读取")
        return raw


class DocBackend(_ConvertedBackend):
    name = "doc"
    extensions = (".doc", ".dot", ".rtf")


class WpsBackend(_ConvertedBackend):
    name = "wps"
    extensions = (".wps", ".wpt")
