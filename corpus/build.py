#!/usr/bin/env python3
"""Generate the sample corpus: ``corpus/sources/*.txt`` -> ``corpus/generated/<format>/<stem>.<ext>``.

Usage: ``python corpus/build.py [--if-missing] [--only NNN ...]``

Each source lists its output formats (docx pdf doc wps txt-utf8 txt-gb18030 txt-utf16 txt-big5
html scan-pdf png). The .docx comes from ``pipeline.layout.write_docx``; pdf/doc/wps from one
LibreOffice call per target format for the whole batch; text files from ``render_text``;
scan-pdf and png from the PDF rasterised by pdftoppm. ``generated/bad/`` holds broken inputs
for demos and tests. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import html
import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere

from pipeline.layout.gbt9704 import convert_many, render_text, write_docx
from pipeline.layout.source import SourceOptions, load_source
from pipeline.model import Document, ParseError

__all__ = ["GENERATED", "SOURCES", "build", "load_source", "output_path"]

SOURCES = HERE / "sources"
GENERATED = HERE / "generated"
_EXT = {"docx": "docx", "pdf": "pdf", "doc": "doc", "wps": "wps", "html": "html", "scan-pdf": "pdf",
        "png": "png", "txt-utf8": "txt", "txt-gb18030": "txt", "txt-utf16": "txt", "txt-big5": "txt"}
_ENCODING = {"txt-utf8": "utf-8", "txt-gb18030": "gb18030", "txt-utf16": "utf-16", "txt-big5": "big5"}
SCAN_DPI = 150
_BIG5_VARIANTS = str.maketrans({"爲": "為", "羣": "群", "衆": "眾", "僞": "偽", "綫": "線", "裏": "裡"})


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def output_path(stem: str, fmt: str, root: Path = GENERATED) -> Path:
    return root / fmt / f"{stem}.{_EXT[fmt]}"


def _up_to_date(source: Path, outputs: list[Path]) -> bool:
    mtime = source.stat().st_mtime
    return all(p.exists() and p.stat().st_size > 0 and p.stat().st_mtime >= mtime for p in outputs)


# ---------------------------------------------------------------- text-like outputs
def _write_text(doc: Document, options: SourceOptions, fmt: str, out: Path) -> None:
    text = render_text(doc, **options.render_kwargs())
    if fmt == "txt-big5":
        import zhconv

        # Big5 has no simplified characters; zh-tw picks the Taiwan forms Big5 does have (為 not 爲).
        text = zhconv.convert(text, "zh-tw").translate(_BIG5_VARIANTS)
    out.parent.mkdir(parents=True, exist_ok=True)
    newline = "\r\n" if fmt in ("txt-gb18030", "txt-big5") else "\n"  # Windows-era files use CRLF
    out.write_bytes(text.replace("\n", newline).encode(_ENCODING[fmt], errors="replace"))


def _article_paragraphs(doc: Document, options: SourceOptions) -> list[tuple[str, str]]:
    """(css class, text) of what a portal shows: no red 版头, no copy number, no 版记."""
    from pipeline.layout.gbt9704 import format_date

    date = format_date(doc.date, options.date_style)
    rows: list[tuple[str, str]] = []
    if doc.doc_number:
        rows.append(("center", options.doc_number_as_typed or doc.doc_number))
    if options.subtitle:
        rows.append(("center", options.subtitle))
    if doc.adoption_note:
        rows.append(("center", doc.adoption_note))
    speech = options.layout == "plain" and doc.genre == "讲话稿"
    if speech:
        rows += [("center", f"（{date}）"), ("center", "　".join(doc.signature))]
    rows += [("", f"{key}：{value}") for key, value in doc.meeting.items()]
    if doc.recipients:
        rows.append(("", "、".join(doc.recipients) + "："))
    rows += [("indent", p) for p in doc.paragraphs]
    rows += [("indent", ("附件：" if i == 0 else "　　　") + a) for i, a in enumerate(doc.attachments)]
    if not speech:
        rows += [("right", name) for name in doc.signature] + ([("right", date)] if date else [])
    if doc.note:
        rows.append(("indent", doc.note))
    return rows


def _write_html(doc: Document, options: SourceOptions, out: Path) -> None:
    """An article page between the navigation, breadcrumbs and footer a portal wraps around it."""
    styles = {"center": "text-align:center", "right": "text-align:right", "indent": "text-indent:2em", "": ""}
    body = "\n".join(f'<p style="{styles[css]}">{html.escape(text)}</p>'
                     for css, text in _article_paragraphs(doc, options))
    nav = "".join(f'<li><a href="/{i}">{name}</a></li>'
                  for i, name in enumerate(("首页", "人大概况", "代表工作", "监督工作", "立法工作", "公开信息")))
    title = html.escape(doc.title or "")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_区人大常委会门户网站</title></head>
<body>
<header><div class="logo">区人大常委会门户网站</div><nav><ul>{nav}</ul></nav>
<div class="search"><input placeholder="请输入关键词"><button>搜索</button></div></header>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/gk">公开信息</a> &gt; 文件资料</div>
<div class="main"><div class="article">
<h1>{title}</h1>
<div class="info">发布时间：{doc.date or ''}　　来源：区人大常委会办公室　　【字体：大 中 小】</div>
<div class="TRS_Editor">
{body}
</div>
<div class="share">分享到：微信 微博　　【打印本页】【关闭窗口】</div>
</div>
<div class="side"><h3>相关链接</h3><ul><li><a href="/a">全国人大网</a></li><li><a href="/b">省人大网</a></li></ul></div>
</div>
<footer>主办：区人大常委会办公室　地址：人民路1号　邮编：100000　备案号：京ICP备00000000号<br>
版权所有　未经许可不得转载</footer>
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")


# ---------------------------------------------------------------- raster outputs
def _rasterise(pdf: Path, workdir: Path, first_page_only: bool = False) -> list[Path]:
    command = ["pdftoppm", "-r", str(SCAN_DPI), "-png"]
    if first_page_only:
        command += ["-f", "1", "-l", "1"]
    prefix = workdir / pdf.stem
    subprocess.run([*command, str(pdf), str(prefix)], check=True, timeout=300)
    return sorted(workdir.glob(f"{pdf.stem}-*.png"))


def _scan_pdf(pdf: Path, out: Path, seed: int) -> None:
    """An image-only PDF like a scanner makes: grey, slightly rotated, a little speckle."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="gongwen-scan-") as work:
        pages = []
        for png in _rasterise(pdf, Path(work)):
            image = Image.open(png).convert("L")
            image = image.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, expand=False, fillcolor=255)
            pixels = image.load()
            width, height = image.size
            for _ in range(width * height // 2500):  # sparse dust
                pixels[rng.randrange(width), rng.randrange(height)] = rng.randrange(0, 140)
            pages.append(image.filter(ImageFilter.SMOOTH))
    out.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(out, "PDF", resolution=float(SCAN_DPI), save_all=True, append_images=pages[1:])


def _png(pdf: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="gongwen-png-") as work:
        pages = _rasterise(pdf, Path(work), first_page_only=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pages[0], out)


# ---------------------------------------------------------------- bad inputs
def write_bad_inputs(root: Path = GENERATED, sample_pdf: Path | None = None) -> list[Path]:
    """Broken files every reader must turn into a clear Chinese error."""
    from pypdf import PdfReader, PdfWriter

    bad = root / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    written = []
    empty = bad / "empty.docx"
    empty.write_bytes(b"")
    written.append(empty)
    if sample_pdf and sample_pdf.exists():
        data = sample_pdf.read_bytes()
        truncated = bad / "truncated.pdf"
        truncated.write_bytes(data[: len(data) // 3])
        encrypted = bad / "encrypted.pdf"
        writer = PdfWriter()
        for page in PdfReader(str(sample_pdf)).pages:
            writer.add_page(page)
        writer.encrypt(user_password="gongwen-secret", owner_password="gongwen-owner")
        with encrypted.open("wb") as handle:
            writer.write(handle)
        written += [truncated, encrypted]
    png_named = bad / "png_named.pdf"
    png_named.write_bytes(_tiny_png())
    written.append(png_named)
    written.append(_zip_bomb(bad / "zip_bomb.docx"))
    return written


def _tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (255, 255, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def _zip_bomb(path: Path) -> Path:
    """A docx-shaped ZIP whose document.xml inflates ~1000x (64 MB from ~64 KB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                         '.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType='
                         '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                         '</Types>')
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(64):
                member.write(chunk)
    return path


# ---------------------------------------------------------------- the build
def build(only: list[str] | None = None, if_missing: bool = False, root: Path = GENERATED) -> dict[str, int]:
    started = time.monotonic()
    sources = sorted(SOURCES.glob("*.txt"))
    if only:
        sources = [s for s in sources if any(s.name.startswith(n.zfill(3) + "_") or s.stem == n for n in only)]
    jobs: list[tuple[Path, Document, SourceOptions]] = []
    failed = 0
    for source in sources:
        try:
            doc, options = load_source(source)
        except (ParseError, OSError, UnicodeDecodeError) as exc:  # one bad source must not stop the rest
            failed += 1
            log(f"跳过 {source.name}：{exc}")
            continue
        outputs = [output_path(source.stem, f, root) for f in options.formats]
        if if_missing and _up_to_date(source, outputs):
            continue
        jobs.append((source, doc, options))
    if not only:
        _prune_stale(root, {s.stem for s in sources})
    bad_missing = not (root / "bad" / "zip_bomb.docx").exists()
    if not jobs and not bad_missing:
        log(f"样本语料已是最新（{len(sources)} 个源文件）")
        return {"sources": len(sources), "built": 0, "failed": failed}
    log(f"生成 {len(jobs)} 个文档 → {root}")
    with tempfile.TemporaryDirectory(prefix="gongwen-build-") as work:
        staging = Path(work)
        docx_paths = _write_docx_all(jobs, root, staging)
        pdfs = _convert_all(jobs, docx_paths, root, staging)
        for index, (source, doc, options) in enumerate(jobs, start=1):
            for fmt in options.formats:
                target = output_path(source.stem, fmt, root)
                if fmt in _ENCODING:
                    _write_text(doc, options, fmt, target)
                elif fmt == "html":
                    _write_html(doc, options, target)
                elif fmt == "scan-pdf":
                    _scan_pdf(pdfs[source.stem], target, seed=index)
                elif fmt == "png":
                    _png(pdfs[source.stem], target)
            log(f"  [{index}/{len(jobs)}] {source.stem}: {', '.join(options.formats)}")
        sample_pdf = next(iter(sorted((root / "pdf").glob("*.pdf"))), None) if (root / "pdf").exists() else None
        write_bad_inputs(root, sample_pdf)
    log(f"完成：{len(jobs)} 个文档，用时 {time.monotonic() - started:.1f} 秒")
    return {"sources": len(sources), "built": len(jobs), "failed": failed}


def _prune_stale(root: Path, stems: set[str]) -> None:
    """Drop outputs of sources that were renamed or removed, so globs see each document once."""
    for fmt in _EXT:
        for path in (root / fmt).glob("*") if (root / fmt).is_dir() else ():
            if path.is_file() and path.stem not in stems:
                path.unlink()
                log(f"  删除过期文件 {fmt}/{path.name}")


def _write_docx_all(jobs, root: Path, staging: Path) -> dict[str, Path]:
    paths = {}
    for source, doc, options in jobs:
        target = output_path(source.stem, "docx", root) if "docx" in options.formats \
            else staging / "docx" / f"{source.stem}.docx"
        paths[source.stem] = write_docx(doc, target, **options.render_kwargs())
    log(f"  docx：{len(paths)} 个")
    return paths


def _convert_all(jobs, docx_paths: dict[str, Path], root: Path, staging: Path) -> dict[str, Path]:
    """One LibreOffice call per target format; PDFs needed only for rasters go to staging."""
    pdfs: dict[str, Path] = {}
    for fmt in ("pdf", "doc", "wps"):
        wanted = [s.stem for s, _, o in jobs if fmt in o.formats]
        staged = [s.stem for s, _, o in jobs if fmt == "pdf" and fmt not in o.formats
                  and ({"scan-pdf", "png"} & set(o.formats))]
        for stems, out_dir in ((wanted, root / fmt), (staged, staging / "pdf")):
            if not stems:
                continue
            t0 = time.monotonic()
            results = convert_many([docx_paths[s] for s in stems], fmt, out_dir, timeout=60 + 20 * len(stems))
            log(f"  {fmt}：{len(results)} 个，LibreOffice 用时 {time.monotonic() - t0:.1f} 秒")
            if fmt == "pdf":
                pdfs.update({p.stem: p for p in results})
    return pdfs


@contextlib.contextmanager
def build_lock(root: Path = GENERATED):
    """Several test runs in one checkout may start a build together: one builds, the others wait."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成样本语料（docx/pdf/doc/wps/txt/html/扫描件）")
    parser.add_argument("--if-missing", action="store_true", help="所有输出都存在且比源文件新时什么也不做")
    parser.add_argument("--only", nargs="+", metavar="NNN", help="只生成这些编号的源文件")
    args = parser.parse_args(argv)
    with build_lock():
        result = build(only=args.only, if_missing=args.if_missing)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
