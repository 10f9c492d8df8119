"""Segmentation: the domain lexicon, the user lexicon, and rjieba/jieba parity on a built-in sample."""

from __future__ import annotations

from pathlib import Path

from pipeline.index.analysis import bigram_terms, word_terms
from pipeline.text.segment import load_home_lexicon, words, words_reference

SAMPLE = [
    "区人大常委会召开第五次主任会议，听取关于督导涉访单位工作情况的汇报。",
    "常委会组成人员对一府一委两院的工作报告提出审议意见，要求在两个月内书面报告研究处理情况。",
    "国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知（国办发〔2019〕2号）",
    "全年共处理公文4000多份，同比增长104%，接待来信来访70余人次。",
    "坚持和完善人民代表大会制度，发展全过程人民民主，推动高质量发展。",
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：现将《方案》印发给你们，请认真贯彻执行。",
    "2020年2月4日，工业和信息化部装备工业一司会同国家卫健委赴北京北铃专用汽车有限公司督导检查。",
    "網址 www.gov.cn 上的國務院文件",
]


def test_lexicon_words_stay_whole() -> None:
    assert "督导涉访单位" in words("关于督导涉访单位的通知")
    assert "一府一委两院" in words("听取一府一委两院工作报告")
    assert "全过程人民民主" in words("发展全过程人民民主")


def test_rjieba_and_jieba_give_identical_tokens() -> None:
    for sentence in SAMPLE:
        assert words(sentence) == words_reference(sentence), sentence


def test_punctuation_and_spaces_are_dropped() -> None:
    tokens = words("一、 总体要求：（一）指导思想。")
    assert all(t.strip() and any(ch.isalnum() for ch in t) for t in tokens)


def test_user_lexicon_in_home_is_loaded(tmp_path: Path) -> None:
    word = "鸭绿江口湿地保护站"
    assert word not in words(f"参观{word}建设情况")
    (tmp_path / "lexicon.txt").write_text(f"{word} 5000\n", encoding="utf-8")
    load_home_lexicon(tmp_path)
    assert word in words(f"参观{word}建设情况")
    assert words(f"参观{word}建设情况") == words_reference(f"参观{word}建设情况")


def test_traditional_text_is_folded_to_simplified() -> None:
    assert word_terms("國務院關於督導檢查的通知") == word_terms("国务院关于督导检查的通知")
    assert bigram_terms("ＡＢＣ２０１９國務") == ["abc", "2019", "国务"]


def test_bigrams_cover_subwords_and_single_characters() -> None:
    assert bigram_terms("督导涉访") == ["督导", "导涉", "涉访"]
    assert bigram_terms("税") == ["税"]
    assert bigram_terms("国发〔2019〕5号") == ["国发", "2019", "5", "号"]


def test_sub_words_of_a_long_word() -> None:
    from pipeline.text.segment import sub_words

    assert sub_words("实施办法") == ["实施", "办法"]
    assert sub_words("人大") == ["人大"]  # nothing inside: the word itself


def test_searching_loads_neither_pure_jieba_nor_zhconv() -> None:
    """The reference tokenizer (1–2 s to load) and zhconv (pkg_resources, ~0.5 s) are loaded only
    when needed: a search's or an ingest's start (keywords use jieba's idf table) pays for neither. The reference, loaded late, still holds the
    domain lexicon added before it existed."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pipeline.index.query import parse\n"
        "from pipeline.text.synonyms import SynonymTable\n"
        "from pipeline.text.segment import load_home_lexicon, words, words_reference\n"
        "from pipeline.text.normalize import fold\n"
        "load_home_lexicon(None)\n"
        "parse('督导涉访单位 实施办法', SynonymTable(), relaxed=True)\n"
        "assert fold('简体文本') == '简体文本'\n"
        "from pipeline.classify.keywords import keywords\n"
        "assert keywords('督导涉访单位工作情况的汇报，督导涉访单位', title='督导')\n"
        "print(sorted(m for m in ('jieba', 'zhconv', 'pkg_resources') if m in sys.modules))\n"
        "print(words('关于督导涉访单位的通知') == words_reference('关于督导涉访单位的通知'),\n"
        "      '督导涉访单位' in words_reference('关于督导涉访单位的通知'))\n"
        "print(fold('國務院') == '国务院')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout.split("\n")
    assert out[:3] == ["[]", "True True", "True"]
