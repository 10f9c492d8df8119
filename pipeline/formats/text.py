"""Plain text and Markdown: encoding detection (UTF-8/16, GB18030, Big5), one block per line."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.formats.base import Backend
from pipeline.model import Block, ParseError, RawDocument

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# GB18030 is a superset of GBK and GB2312, so it is the only simplified-Chinese codec tried.
_CHINESE_CODECS = ("gb18030", "big5")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


# Unicode's control characters (category Cc: U+0000–U+001F and U+007F–U+009F, fixed by Unicode's
# stability policy) other than \t \n \v \f \r and the DOS end-of-file mark \x1a, as one class
# the regex engine counts in C (tests/test_worker_shortcuts.py checks it over every code point).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def control_ratio(text: str) -> float:
    """Share of characters that are control characters other than ordinary whitespace."""
    if not text:
        return 0.0
    return len(_CONTROL_RE.findall(text)) / len(text)


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes in one column and a clean decode give it away."""
    sample = data[: 64 * 1024]
    if len(sample) % 2:
        sample = sample[:-1]
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        ratio = control_ratio(text)
        if ratio < 0.01 and (best is None or ratio < best[0]):
            best = (ratio, encoding)
    return best[1] if best else None


def _trim_partial(data: bytes, encoding: str) -> bytes | None:
    """``data`` cut so that a multibyte character split at the end does not spoil the decode."""
    for cut in range(4):
        chunk = data[: len(data) - cut] if cut else data
        if _decodes(chunk, encoding):
            return chunk
    return None


def detect_encoding(data: bytes, complete: bool = True) -> str | None:
    """The text encoding of ``data``, or None when it does not look like text.

    ``complete=False`` means ``data`` is only the head of a file, so a character cut at
    the end is tolerated.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data[: 64 * 1024]:
        return _utf16_guess(data)

    def fits(encoding: str) -> bool:
        if complete:
            return _decodes(data, encoding)
        return _trim_partial(data, encoding) is not None

    if fits("utf-8"):
        return "utf-8"
    chinese = [encoding for encoding in _CHINESE_CODECS if fits(encoding)]
    if len(chinese) == 1:
        return chinese[0]
    if len(chinese) == 2:
        return _pick_by_statistics(data, chinese) or "gb18030"
    guess = _pick_by_statistics(data, None)
    return guess if guess and fits(guess) else None


def _pick_by_statistics(data: bytes, candidates: list[str] | None) -> str | None:
    """Ask charset-normalizer (character-frequency coherence) to choose."""
    import charset_normalizer

    result = charset_normalizer.from_bytes(data[: 256 * 1024], cp_isolation=candidates).best()
    if result is None:
        return None
    encoding = result.encoding.replace("_", "-")
    return {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030"}.get(encoding, encoding)


def decode_text(path: str, data: bytes) -> tuple[str, str, list[str]]:
    """Decode a text file: (text, encoding, warnings)."""
    encoding = detect_encoding(data)
    warnings: list[str] = []
    if encoding is None:
        if b"\x00" in data[:4096]:
            raise ParseError(path, "文件不是文本（含二进制内容），无法识别的文件格式")
        encoding = "gb18030"
        warnings.append("文本编码无法确定，部分字符可能显示为乱码")
        text = data.decode(encoding, errors="replace")
    else:
        text = data.decode(encoding, errors="replace")
    if control_ratio(text[:100_000]) > 0.05:
        raise ParseError(path, "文件含大量控制字符，不是可读的文本")
    return text.lstrip("\ufeff"), _display_name(encoding), warnings


def _display_name(encoding: str) -> str:
    return {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, encoding)


def lines_to_blocks(lines: list[str]) -> list[Block]:
    blocks = []
    for line in lines:
        text = line.strip(" \t\r\f\v\u3000\xa0\x1a")
        if text:
            blocks.append(Block(text=text))
    return blocks


_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?\r?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_EMPHASIS = re.compile(r"(\*\*\*|\*\*|\*|___|__)(\S(?:.*?\S)?)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_QUOTE_OR_LIST = re.compile(r"^\s{0,3}(?:>\s?)+")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_INLINE_CODE = re.compile(r"`([^`]*)`")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def markdown_lines(text: str) -> list[str]:
    """Markdown to plain lines: no front matter, heading markers, emphasis or link syntax."""
    text = _FRONT_MATTER.sub("", text, count=1)
    lines = []
    in_fence = False
    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if not in_fence:
            if (
                _SETEXT_RULE.match(line)
                or _TABLE_RULE.match(line)
                or line.strip() in ("***", "* * *")
            ):
                continue
            heading = _HEADING.match(line)
            if heading:
                line = heading.group(1)
            line = _inline_markup(line)
        lines.append(line)
    return lines


_INLINE_HTML = re.compile(r"<[^>\n]+>")  # such as <br/>


def _inline_markup(line: str) -> str:
    """``line`` without quote, list, link, code, emphasis, table and HTML syntax. Most lines of
    a document have none: each expression runs only where the character it needs occurs."""
    if ">" in line:
        line = _QUOTE_OR_LIST.sub("", line)
    if "-" in line or "*" in line or "+" in line:
        line = _BULLET.sub("", line)
    if "](" in line:
        line = _LINK.sub(r"\1", line)
    if "`" in line:
        line = _INLINE_CODE.sub(r"\1", line)
    if "*" in line or "_" in line:
        line = _EMPHASIS.sub(r"\2", line)
    if line.strip().startswith("|") and line.strip().endswith("|"):
        line = "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    if "<" in line:
        line = _INLINE_HTML.sub("", line)
    return line


class TextBackend(Backend):
    name = "txt"
    extensions = (".txt", ".text", ".csv")

    def read(self, path: str) -> RawDocument:
        data = Path(path).read_bytes()
        text, encoding, warnings = decode_text(path, data)
        blocks = lines_to_blocks(self._lines(text))
        return RawDocument(
            path=path, format=self.name, blocks=blocks, encoding=encoding, warnings=warnings
        )

    def _lines(self, text: str) -> list[str]:
        return text.splitlines()


class MarkdownBackend(TextBackend):
    name = "md"
    extensions = (".md", ".markdown")

    def _lines(self, text: str) -> list[str]:
        return markdown_lines(text)
