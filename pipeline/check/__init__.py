"""公文校核: check a finished document against GB/T 9704-2012, the 条例's 文种 rules, GB/T 15834
punctuation and GB/T 15835 numerals, the office's word lists and the archive.

``check_file(path, home=None)`` → ``{"path", "genre", "findings": [...]}`` (``pipeline.check.run``);
``annotate(path, result, out)`` writes the findings as Word comments in a copy
(``pipeline.check.annotate``). One module per rule family (``layout``, ``frame`` for 版头/版记,
``text``, ``genre_rules``, ``archive_rules``, ``words``) registers its rules in ``registry``; each
reads the shared model (``docmodel``: paragraphs, sections, footers) and its zones (``zones``:
版头, 标题, 主送, 正文, 附件说明, 署名, 成文日期, 附件, 版记).
"""
