"""GB/T 9704-2012 layout: render a ``Document`` as a .docx (and text), convert with LibreOffice.

``write_docx`` is the stable entry point the drafting stage calls; see ``gbt9704`` for details.
"""

from pipeline.layout.gbt9704 import convert_many, docx_to, format_date, render_text, write_docx

__all__ = ["convert_many", "docx_to", "format_date", "render_text", "write_docx"]
