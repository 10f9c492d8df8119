"""LibreOffice conversions of the written .docx (pdf, doc, wps), with a private profile per call."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

# A PDF keeps the blank pages Writer inserts (before a 版记 that must fall on an even page), so that
# it prints double-sided as the .docx does.
_FILTERS = {"pdf": 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}', "doc": "doc:MS Word 97", "wps": "wps:MS Word 97",
            "docx": "docx:MS Word 2007 XML", "odt": "odt"}


def _soffice() -> str:
    found = os.environ.get("GONGWEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise RuntimeError("未安装 LibreOffice（soffice），无法转换格式")
    return found


def convert_many(paths: Iterable[str | Path], fmt: str, out_dir: str | Path, timeout: float = 600) -> list[Path]:
    """Convert many .docx files with one soffice call (start-up dominates the cost).

    .wps uses LibreOffice's Word 97 filter under the .wps name: WPS Office reads and writes
    such OLE2 Word files, and many real .wps files are exactly that.
    """
    sources = [Path(p).resolve() for p in paths]
    if not sources:
        return []
    if fmt not in _FILTERS:
        raise ValueError(f"unsupported target format {fmt!r}")
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongwen-lo-") as work:
        command = [_soffice(), f"-env:UserInstallation={Path(work, 'profile').as_uri()}", "--headless",
                   "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   "--convert-to", _FILTERS[fmt], "--outdir", str(out), *map(str, sources)]
        env = dict(os.environ, HOME=work, SAL_USE_VCLPLUGIN="svp")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work,
                                   env=env, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise RuntimeError(f"LibreOffice 转换超时（超过 {timeout:g} 秒）") from exc
    results = [out / f"{src.stem}.{fmt}" for src in sources]
    missing = [r.name for r in results if not r.exists() or r.stat().st_size == 0]
    if missing:
        detail = stderr.decode("utf-8", "replace").strip()[-300:]
        raise RuntimeError(f"LibreOffice 未能生成：{'、'.join(missing)}（{detail}）")
    return results


def docx_to(path_docx: str | Path, fmt: str, out_dir: str | Path, timeout: float = 120) -> Path:
    """Convert one .docx to ``fmt`` (pdf, doc, wps) in ``out_dir``; the path written."""
    return convert_many([path_docx], fmt, out_dir, timeout=timeout)[0]
