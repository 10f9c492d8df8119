"""公文校核: check a finished document against GB/T 9704-2012, the 条例's 文种 rules, GB/T 15834
punctuation and GB/T 15835 numerals, the office's word lists and the archive.

``check_file(path, home=None, annotate=None)`` → ``{"path", "genre", "findings": [...], …}``
(``pipeline.check.run``); ``write_comments`` (``pipeline.check.annotate``) puts the findings as
Word comments in a copy. One module per rule family (``layout``; ``frame`` for 版头/版记; ``text``
and ``punct``; ``genre_rules``; ``words``; ``archive_rules``) registers its rules in ``registry``.
Every rule reads the shared model (``docmodel``, filled from a .docx by ``docx_reader``:
paragraphs, sections, footers) and its zones (``zones``: 版头, 标题, 主送, 正文, 附件说明, 署名,
成文日期, 附件, 版记).
"""
