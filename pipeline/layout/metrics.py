"""The GB/T 9704-2012 page in numbers: fonts, sizes, margins and the 22 × 28 character grid."""

from __future__ import annotations

from docx.shared import RGBColor

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_PT = 16.0
TITLE_PT = 22.0
FOOTER_PT = 14.0  # 4号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH_MM = 210 - 28 - 26  # 156
TEXT_HEIGHT_MM = 297 - 37 - 35  # 225
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fill the 225 mm text block
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # ≈ 15.79 pt
# Word's own GB/T 9704 templates squeeze 16 pt characters into the 15.79 pt grid with a
# negative w:charSpace (-848). LibreOffice, which makes every PDF here, then gives each character
# two grid cells (14 characters a line). Condensing the characters by 0.25 pt (w:spacing -5)
# over a zero charSpace gives 28 characters a line in LibreOffice, as the layout test proves.
CHAR_SPACE = 0
CHAR_CONDENSE_TWENTIETHS = -5  # 16 - 0.25 = 15.75 pt advance <= CHAR_PITCH_PT
