"""Global options work before and after the sub-command."""

from __future__ import annotations

import json

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


@pytest.mark.parametrize(("argv", "message"), [
    (["excerpts", "--json"], "用法错误：缺少参数：query"),
    (["search", "人大", "--year", "abc", "--json"], "用法错误：参数 --year 的值 'abc' 无效（应为整数）"),
    (["search", "人大", "--sort", "foo", "--json"], "用法错误：参数 --sort 的取值 'foo' 无效（可选：'relevance', 'date'）"),
    (["--json", "search", "人大", "--bogus"], "用法错误：无法识别的参数：--bogus"),
])
def test_usage_errors_are_chinese_and_json_gets_one_document(argv, message, capsys):
    import json

    from pipeline.cli.main import main

    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert json.loads(out) == {"error": message}
    assert message in err and "用法：gongwen" in err


def test_failures_still_print_one_json_document(tmp_path, capsys):
    import json

    from pipeline.cli.main import main

    assert main(["--home", str(tmp_path), "show", "0000000000000000", "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == {"error": "档案库中没有编号为 0000000000000000 的公文"}
    assert main(["--home", str(tmp_path), "templates", "show", "通告"]) == 1  # no built-in, no archive
    assert capsys.readouterr().out == ""  # without --json the message goes to stderr only


def test_help_is_chinese(capsys):
    from pipeline.cli.main import main

    assert main(["search", "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("用法：gongwen search") and "位置参数" in text and "显示帮助并退出" in text
    assert "usage" not in text and "options:" not in text and "show this help" not in text


@pytest.mark.parametrize(("command", "failure"), [("parse", "解析失败"), ("check", "校核失败")])
def test_a_bad_file_is_named_and_the_batch_goes_on(command, failure, tmp_path, capsys):
    from pipeline.cli.main import main

    good = tmp_path / "通知.txt"
    good.write_text("关于召开座谈会的通知\n\n各代表：\n\n定于下周召开座谈会。\n\n区人大常委会办公室\n2024年3月1日\n",
                    encoding="utf-8")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    code = main(["--home", str(tmp_path / "home"), "--json", command, str(empty), str(good)])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{failure}：{empty}：文件为空" in captured.err
    results = json.loads(captured.out)
    assert [r["path"] for r in results] == [str(empty), str(good)]
    assert results[0]["error"] == "文件为空" and "error" not in results[1]
