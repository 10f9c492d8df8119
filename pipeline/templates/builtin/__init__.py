"""Built-in templates: the office's genres written from their known form.

Each genre is a ``Spec`` written from GB/T 9704-2012, 《党政机关公文处理工作条例》 and the practice of
people's congress offices (../shared/DOMAIN.md), not from any archive, so that an empty archive
drafts well from the first day. A spec holds the title pattern, the body skeleton (paragraphs with
``{{ 名称 }}`` slots; a paragraph that is one list slot repeats, numbered), the content slots
(named for what goes in them, typed, with a hint and examples), the fixed phrases the genre uses
(each one present in a filled draft) and its variants (a 纪要 of the 主任会议 or of the 党组会议).
The default arrangement's fixed phrases of 审议意见, 决议, 纪要, 建议答复, 讲话稿 and 工作总结 are the
ones ``phrase_forms.choose_for`` keeps from the template's own wording on the development half of
real local documents (benchmarks/templates.py; tests/real/test_templates_real.py checks they still
are); for 决定 and 任免 no phrase reached the bar and the written list stands.
The GB/T 9704 elements come from the genre's layout (``pipeline.templates.elements``).
``assemble.builtin_template`` turns a spec into the template every command uses.
"""

from __future__ import annotations

from pipeline.templates.builtin.congress import SPECS as CONGRESS
from pipeline.templates.builtin.spec import Spec, Variant
from pipeline.templates.builtin.statutory import SPECS as STATUTORY
from pipeline.templates.builtin.writing import SPECS as WRITING

__all__ = ["Spec", "Variant", "builtin_genres", "spec_for"]

_BY_GENRE: dict[str, Spec] = {}
for _spec in (*CONGRESS, *STATUTORY, *WRITING):
    _BY_GENRE[_spec.genre] = _spec
    for _alias in _spec.aliases:
        _BY_GENRE.setdefault(_alias, _spec)


def spec_for(genre: str) -> Spec | None:
    """The built-in spec of ``genre`` (or of a genre it is another name of), None when there is none."""
    return _BY_GENRE.get(genre.strip())


def builtin_genres() -> list[str]:
    """The genres with a built-in template, in the order the specs are written."""
    return [s.genre for s in (*CONGRESS, *STATUTORY, *WRITING)]
