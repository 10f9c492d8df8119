"""The GB/T 9704-2012 page in numbers: the one home of the layout numbers.

The writer lays pages out with them and the checker reads documents against them, so every
number the standard fixes is here, public: paper, margins, text block (版心), the 22 × 28 grid,
line pitch, the fonts and sizes of each element, the distances of the 版头, the 版记 lines, the
page numbers and the 信函格式. Clause numbers refer to GB/T 9704-2012.
"""

from __future__ import annotations

from docx.shared import RGBColor

# --- fonts (4.2.2, 7.x): what the standard recommends, as Word names them
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"

# --- sizes in points (号: 二号 22 pt, 三号 16 pt, 四号 14 pt)
BODY_PT = 16.0  # 三号: every element unless said otherwise
TITLE_PT = 22.0  # 二号
FOOTER_PT = 14.0  # 四号: 版记 and page numbers
PAGE_NUMBER_PT = FOOTER_PT

# --- paper and text block (5.1, 5.2.1): A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
TOP_MARGIN_MM = 37
BOTTOM_MARGIN_MM = 35
LEFT_MARGIN_MM = 28
RIGHT_MARGIN_MM = 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MARGIN_MM - RIGHT_MARGIN_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - TOP_MARGIN_MM - BOTTOM_MARGIN_MM  # 225
MARGIN_TOLERANCE_MM = 1  # 天头 and 订口 ±1 mm

# --- the grid (5.2.3): 22 lines of 28 characters, filling the text block
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fill the 225 mm text block
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # ≈ 15.79 pt
# Word's own GB/T 9704 templates squeeze 16 pt characters into the 15.79 pt grid with a
# negative w:charSpace (-848). LibreOffice, which makes every PDF here, then gives each character
# two grid cells (14 characters a line). Condensing the characters by 0.25 pt (w:spacing -5)
# over a zero charSpace gives 28 characters a line in LibreOffice, as the layout test proves.
CHAR_SPACE = 0
CHAR_CONDENSE_TWENTIETHS = -5  # 16 - 0.25 = 15.75 pt advance <= CHAR_PITCH_PT

# --- fonts per element: element -> (font, size in pt)
ELEMENT_FONTS: dict[str, tuple[str, float]] = {
    "份号": (FANGSONG, BODY_PT),  # 7.2.1: 6-digit Arabic numerals, top left, first line
    "密级和保密期限": (HEITI, BODY_PT),  # 7.2.2
    "紧急程度": (HEITI, BODY_PT),  # 7.2.3
    "发文机关标志": (XIAOBIAOSONG, TITLE_PT),  # 7.2.4: red; size at the organ's choice, not above 版心 width
    "发文字号": (FANGSONG, BODY_PT),  # 7.2.5
    "签发人": (FANGSONG, BODY_PT),  # 7.2.6: the label; the names in 楷体
    "签发人姓名": (KAITI, BODY_PT),
    "标题": (XIAOBIAOSONG, TITLE_PT),  # 7.3.1
    "主送机关": (FANGSONG, BODY_PT),  # 7.3.2
    "正文": (FANGSONG, BODY_PT),  # 7.3.3
    "一级标题": (HEITI, BODY_PT),  # 一、
    "二级标题": (KAITI, BODY_PT),  # （一）
    "三级标题": (FANGSONG, BODY_PT),  # 1.
    "四级标题": (FANGSONG, BODY_PT),  # （1）
    "附件说明": (FANGSONG, BODY_PT),  # 7.3.4
    "发文机关署名": (FANGSONG, BODY_PT),  # 7.3.5
    "成文日期": (FANGSONG, BODY_PT),
    "附注": (FANGSONG, BODY_PT),  # 7.3.6
    "附件标识": (HEITI, BODY_PT),  # 7.3.7: 附件 and its number, top left of the attachment's page
    "附件标题": (XIAOBIAOSONG, TITLE_PT),
    "抄送机关": (FANGSONG, FOOTER_PT),  # 7.4.2
    "印发机关和印发日期": (FANGSONG, FOOTER_PT),  # 7.4.3
    "页码": (SONGTI, PAGE_NUMBER_PT),  # 7.5: half-width Arabic numerals between 一字线
    "纪要标志": (XIAOBIAOSONG, TITLE_PT),  # 10.3: red
    "纪要出席": (HEITI, BODY_PT),  # 10.3: the 出席 / 请假 / 列席 labels; the names in 仿宋
}
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}
ORGAN_MARK_MAX_PT = 42.0  # the mark is set as large as its length allows within the 版心 …
ORGAN_MARK_MIN_PT = TITLE_PT  # … and never smaller than the title

# --- the 版头 (7.2): distances
ORGAN_MARK_TOP_MM = 35  # 7.2.4: top of the 发文机关标志 below the top of the 版心
DOC_NUMBER_LINES_BELOW_MARK = 2  # 7.2.5: 发文字号 in the second line below the mark (空二行)
SEPARATOR_BELOW_NUMBER_MM = 4  # 7.2.7: the red line 4 mm below the 发文字号, as wide as the 版心
TITLE_LINES_BELOW_SEPARATOR = 2  # 7.3.1: the title in the second line below the red line
TITLE_CHARS_PER_LINE = 20  # 二号 characters across the 版心 (156 mm / 7.76 mm)
UPWARD_INDENT_CHARS = 1  # 7.2.5/7.2.6: 上行文 文号 one character in from the left, 签发人 from the right

# --- the body (7.3)
PARAGRAPH_INDENT_CHARS = 2  # first line of each paragraph
ATTACHMENT_NOTE_INDENT_CHARS = 2  # 7.3.4: 附件说明 one line below the text, two characters in
DATE_RIGHT_INDENT_CHARS = 4  # 7.3.5.1: 成文日期 右空四字 (with a seal); the 署名 centred on it
UNSEALED_SIGNATURE_RIGHT_CHARS = 2  # 7.3.5.2: without a seal, the 署名 右空二字
SIGNATURE_LINES_BELOW_TEXT = 2  # 7.3.5.2: the 署名 one blank line … (two lines leave room for the seal)
NOTE_INDENT_CHARS = 2  # 7.3.6: 附注 in round brackets, two characters in, the line below the date

# --- the 版记 (7.4): at the foot of the last (even) page
RECORD_SIDE_INDENT_CHARS = 1  # 抄送 one character in on both sides; 印发机关 left, 印发日期 right
RECORD_OUTER_LINE_MM = 0.35  # first and last separators
RECORD_INNER_LINE_MM = 0.25  # the separators between
RECORD_ON_EVEN_PAGE = True

# --- page numbers (7.5): — 1 —, 7 mm below the 版心, odd pages right and even pages left
PAGE_NUMBER_BELOW_TEXT_MM = 7
PAGE_NUMBER_SIDE_INDENT_CHARS = 1
FOOTER_DISTANCE_MM = BOTTOM_MARGIN_MM - PAGE_NUMBER_BELOW_TEXT_MM - 5  # footer's foot from the page edge

# --- 信函格式 (10.1)
LETTER_MARK_TOP_FROM_PAGE_MM = 30  # mark 30 mm below the page's top edge
LETTER_LINE_LENGTH_MM = 170  # both red double lines
LETTER_TOP_LINE_BELOW_MARK_MM = 4  # thick over thin
LETTER_BOTTOM_LINE_FROM_PAGE_MM = 20  # thin over thick, 20 mm above the page's bottom edge

# --- 纪要格式 (10.3)
MINUTES_MARK_TOP_MM = 35


def eighths_of_point(mm: float) -> int:
    """A line width in millimetres as Word's border size (eighths of a point)."""
    return max(2, round(mm / 25.4 * 72 * 8))
