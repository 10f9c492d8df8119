"""Small, valid sample files built with real libraries, shared by the format tests and the fuzzer."""

from __future__ import annotations

import zipfile
from pathlib import Path

RED = "FF0000"
TITLE = "南山区人大常委会关于加强代表建议办理工作的通知"
BODY = "各街道人大工委，区人大常委会各工作机构：现将有关事项通知如下。"


def make_docx(path: Path) -> Path:
    """A GB/T 9704-like .docx: red centred organ mark, title, body, a table, header and footer."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")

    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = mark.add_run("南山区人大常委会文件")
    run.font.size = Pt(36)
    run.font.bold = True
    run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")

    number = document.add_paragraph("南人常〔2024〕5号")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.add_run(TITLE)
    title_run.font.size = Pt(22)
    document.add_paragraph(BODY)

    table = document.add_table(rows=2, cols=3)
    for row, values in zip(
        table.rows, (("序号", "事项", "责任单位"), ("1", "走访代表", "选联工委"))
    ):
        for cell, value in zip(row.cells, values):
            cell.text = value
    after = document.add_paragraph("表格之后的段落。")
    after.add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("第二页的段落。")

    section = document.sections[0]
    section.header.paragraphs[0].text = "内部资料"
    section.footer.paragraphs[0].text = "— 1 —"
    document.save(path)
    return path


def make_ofd(
    path: Path, lines: list[tuple[str, float, float, float, str | None]] | None = None
) -> Path:
    """A minimal one-page OFD. ``lines``: (text, x mm, baseline y mm, size mm, "R G B" or None)."""
    rest = BODY[26:] + "各单位要认真落实，确保代表建议件件有着落、事事有回音。"
    lines = (
        lines
        or [  # a 156 mm text block from x=26, centred lines around x=104
            ("南山区人大常委会文件", 40.5, 50.0, 12.7, "255 0 0"),
            ("南人常〔2024〕5号", 80.2, 80.0, 5.6, None),
            (TITLE[:14], 49.7, 100.0, 7.76, None),
            (TITLE[14:], 69.1, 111.0, 7.76, None),
            (BODY[:26], 37.2, 125.0, 5.6, None),
            (rest[:28], 26.0, 135.0, 5.6, None),
            (rest[28:], 26.0, 145.0, 5.6, None),
            ("特此通知。", 37.2, 155.0, 5.6, None),
        ]
    )
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    objects = []
    for index, (text, x, y, size, color) in enumerate(lines, start=10):
        fill = f'<ofd:FillColor Value="{color}"/>' if color else ""
        width = size * len(text)
        objects.append(
            f'<ofd:TextObject ID="{index}" Boundary="{x} {y - size} {width} {size * 1.2}" Font="3" Size="{size}">'
            f'{fill}<ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode></ofd:TextObject>'
        )
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.1" DocType="OFD"><ofd:DocBody>'
        "<ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
        "</ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
        "<ofd:MaxUnitID>100</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>"
        '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="3" FontName="仿宋"/></ofd:Fonts></ofd:Res>',
        "Doc_0/Pages/Page_0/Content.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content>'
        f'<ofd:Layer ID="2">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


def make_html(path: Path, encoding: str = "utf-8") -> Path:
    """A government-site-like page: navigation, breadcrumb, the article, a footer."""
    page = f"""<!DOCTYPE html>
<html><head><meta charset="{encoding}"><title>{TITLE}_南山区人大网</title></head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/rd">人大要闻</a></li><li><a href="/gz">工作动态</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 通知公告</div>
<div class="article">
<h1 class="article-title">{TITLE}</h1>
<p align="center"><font color="red">南人常〔2024〕5号</font></p>
<p>{BODY}</p>
<p>一、提高思想认识。代表建议办理工作是人大常委会联系代表、服务代表的重要内容，各承办单位要高度重视，确保按期办结。</p>
<p>二、明确工作要求。各承办单位应当在交办之日起三个月内办理完毕，并书面答复代表，同时抄送区人大常委会选联工委。</p>
<p>三、加强跟踪督办。区人大常委会将适时组织代表对办理情况进行视察，对办理不力的单位予以通报。</p>
</div>
<div class="footer">版权所有：南山区人大常委会办公室　技术支持：某某公司　备案号：粤ICP备00000000号</div>
</body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


def make_text(path: Path, encoding: str = "gb18030", traditional: bool = False) -> Path:
    simplified = f"{TITLE}\n\n{BODY}\n一、提高思想认识。\n二、明确工作要求。\n"
    traditional_text = "南山區人大常委會關於加強代表建議辦理工作的通知\n\n各街道人大工委，區人大常委會各工作機構：現將有關事項通知如下。\n一、提高思想認識。\n"
    path.write_bytes((traditional_text if traditional else simplified).encode(encoding))
    return path


def make_scanned_ofd(path: Path, font_file: str) -> Path:
    """A one-page OFD whose page is only an image of text (a scan), no text layer."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 600), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_file, 56)
    draw.text((120, 120), "南山区人大常委会文件", fill=(200, 0, 0), font=font)
    draw.text((120, 320), "关于加强代表建议办理工作的通知", fill="black", font=font)
    png = io.BytesIO()
    image.save(png, "PNG", dpi=(150, 150))
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.1"><ofd:DocBody>'
        "<ofd:DocInfo><ofd:DocID>scan</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
        "<ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID><ofd:PageArea>"
        "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
        "</ofd:Document>",
        "Doc_0/DocumentRes.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res">'
        '<ofd:MultiMedias><ofd:MultiMedia ID="5" Type="Image" Format="PNG">'
        "<ofd:MediaFile>scan_1.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>",
        "Doc_0/Pages/Page_0/Content.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}>'
        '<ofd:Content><ofd:Layer ID="2"><ofd:ImageObject ID="6" ResourceID="5" '
        'Boundary="0 0 210 101.6" CTM="210 0 0 101.6 0 0"/></ofd:Layer></ofd:Content></ofd:Page>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
        archive.writestr("Doc_0/Res/scan_1.png", png.getvalue())
    return path
