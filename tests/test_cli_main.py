"""Global options work before and after the sub-command."""

from __future__ import annotations

import pytest

from pipeline.cli.main import build_parser


@pytest.mark.parametrize(
    ("argv", "home", "as_json"),
    [
        (["--home", "X", "parse", "a.txt"], "X", False),
        (["parse", "a.txt", "--home", "Y"], "Y", False),
        (["--json", "parse", "a.txt"], "indexes", True),
        (["parse", "--json", "a.txt"], "indexes", True),
    ],
)
def test_global_options_anywhere(argv, home, as_json, monkeypatch):
    monkeypatch.delenv("GONGWEN_HOME", raising=False)
    args = build_parser().parse_args(argv)
    assert (args.home, args.json) == (home, as_json)


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["no-such-command"])
    assert exc.value.code == 2


@pytest.mark.parametrize("command", [["edit", "abc123"], ["draft", "纪要", "-o", "x.docx"]])
def test_set_without_equals_is_a_usage_error(command):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([*command, "--set", "标题"])
    assert exc.value.code == 2


def test_set_pairs_keep_everything_after_the_first_equals():
    args = build_parser().parse_args(["draft", "纪要", "-o", "x.docx", "--set", "正文=a=b"])
    assert dict(args.values) == {"正文": "a=b"}
