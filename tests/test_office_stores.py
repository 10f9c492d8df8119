"""Accounts, sessions, login throttling and the use record, on real SQLite files in a home."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.office.audit import Use
from pipeline.office.permissions import ROUTES, normalise_roles
from pipeline.office.throttle import LoginThrottle

PASSWORD = "Passw0rd-甲"
PROJECT = Path(__file__).resolve().parents[1]


# --- accounts and roles --------------------------------------------------------------------------


def test_roles_are_read_with_aliases_and_kept_apart() -> None:
    assert normalise_roles(["管理员"]) == ("系统管理员",)
    assert normalise_roles(["年鉴编辑,起草人员"]) == ("起草人员", "年鉴编辑")
    with pytest.raises(ValueError, match="三员分立"):
        normalise_roles(["审计员", "档案员"])
    with pytest.raises(ValueError, match="没有这个角色"):
        normalise_roles(["超级用户"])


def test_accounts_hash_passwords_and_sign_in_only_when_enabled(home: Path) -> None:
    accounts = Archive(home).accounts
    assert not accounts.exist() and not (home / "accounts.sqlite").exists()
    accounts.add("张三", ["起草人员"], PASSWORD)
    stored = sqlite3.connect(home / "accounts.sqlite").execute("SELECT password FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("张三", PASSWORD).roles == ("起草人员",)
    assert accounts.authenticate("张三", "wrong-password-1") is None
    assert accounts.authenticate("李四", PASSWORD) is None
    accounts.set_enabled("张三", False)
    assert accounts.authenticate("张三", PASSWORD) is None


@pytest.mark.parametrize("name, password, message", [
    ("<img src=x>", PASSWORD, "用户名只能"), ("张三", "short1", "密码至少"), ("张三", "onlyletters", "两类")])
def test_accounts_refuse_bad_names_and_weak_passwords(home: Path, name: str, password: str,
                                                      message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Archive(home).accounts.add(name, ["起草人员"], password)


def test_only_readers_can_be_granted_restricted_documents(home: Path) -> None:
    accounts = Archive(home).accounts
    accounts.add("审计", ["审计员"], PASSWORD)
    accounts.add("编辑", ["年鉴编辑"], PASSWORD)
    with pytest.raises(ValueError, match="无需授权"):
        accounts.set_restricted("审计", True)
    assert accounts.set_restricted("编辑", True).restricted


def test_sessions_end_on_sign_out_disable_and_idle(home: Path) -> None:
    archive = Archive(home)
    account = archive.accounts.add("张三", ["起草人员"], PASSWORD)
    sessions = archive.sessions
    token = sessions.start(account, "10.0.0.5")
    assert sessions.account(token).name == "张三"
    assert sessions.account("forged-token") is None
    with sqlite3.connect(home / "accounts.sqlite") as conn:  # idle for two hours
        conn.execute("UPDATE sessions SET seen = seen - 7200")
    assert sessions.account(token) is None
    token = sessions.start(account, "10.0.0.5")
    archive.accounts.set_enabled("张三", False)
    assert sessions.account(token) is None
    archive.accounts.set_enabled("张三", True)
    token = sessions.start(account, "10.0.0.5")
    sessions.end(token)
    assert sessions.account(token) is None


def test_throttle_counts_per_account_and_per_address() -> None:
    throttle = LoginThrottle(account_limit=3, address_limit=5)
    for _ in range(3):
        assert throttle.wait_seconds("张三", "10.0.0.1") == 0
        throttle.failed("张三", "10.0.0.1")
    assert throttle.wait_seconds("张三", "10.0.0.9") > 0  # the account, from anywhere
    assert throttle.wait_seconds("李四", "10.0.0.2") == 0
    for name in ("甲", "乙"):  # the address: 3 + 2 failures
        throttle.failed(name, "10.0.0.1")
    assert throttle.wait_seconds("丙", "10.0.0.1") > 0
    throttle.succeeded("张三")
    assert throttle.wait_seconds("张三", "10.0.0.9") == 0


def test_every_route_in_the_table_names_a_known_action() -> None:
    from pipeline.office.permissions import ACTIONS

    assert {route.action for route in ROUTES.values()} <= set(ACTIONS)


# --- the use record --------------------------------------------------------------------------------


def _filled(home: Path, rows: int = 5) -> Archive:
    archive = Archive(home)
    for n in range(rows):
        archive.use_record.append([Use(user="张三", action="检索", target=f"q=第{n}次", address="10.0.0.5")])
    return archive


def test_use_record_is_chained_and_verifies(home: Path) -> None:
    archive = _filled(home)
    report = archive.use_record.verify()
    assert report["ok"] and report["records"] == 5, report
    anchor = json.loads((home / "use-record.anchor").read_text(encoding="utf-8"))
    assert anchor["seq"] == 5 and anchor["hash"] == report["latest"]["hash"]
    rows = archive.use_record.entries(user="张三")
    assert [r["target"] for r in rows] == [f"q=第{n}次" for n in range(5)]
    assert all(rows[i]["prev"] == rows[i - 1]["hash"] for i in range(1, 5))


def test_the_table_refuses_updates_and_deletes(home: Path) -> None:
    _filled(home)
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        for sql in ("UPDATE use_record SET user = '李四' WHERE seq = 2", "DELETE FROM use_record WHERE seq = 5"):
            with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
                conn.execute(sql)


def _tamper(home: Path, *statements: str) -> None:
    conn = sqlite3.connect(home / "catalog.sqlite")
    with conn:
        conn.execute("DROP TRIGGER use_record_no_update")
        conn.execute("DROP TRIGGER use_record_no_delete")
        for sql in statements:
            conn.execute(sql)
    conn.close()


def test_an_edited_row_is_found(home: Path) -> None:
    archive = _filled(home)
    _tamper(home, "UPDATE use_record SET target = 'q=无关' WHERE seq = 3")
    problems = archive.use_record.verify()["problems"]
    assert any(p["seq"] == 3 and "被改写" in p["problem"] for p in problems), problems


def test_a_cut_off_tail_is_found_even_after_later_appends(home: Path) -> None:
    archive = _filled(home)
    _tamper(home, "DELETE FROM use_record WHERE seq >= 4")
    assert not archive.use_record.verify()["ok"]
    archive.use_record.append([Use(user="李四", action="检索", target="q=之后")])  # papers over?
    report = archive.use_record.verify()
    assert not report["ok"] and any("截断或改写" in p["problem"] for p in report["problems"]), report


def test_a_rewritten_tail_is_found_with_the_auditors_hash(home: Path) -> None:
    archive = _filled(home, rows=3)
    noted = archive.use_record.verify()["latest"]["hash"]  # what the 审计员 copied
    _tamper(home, "DELETE FROM use_record WHERE seq = 3")
    (home / "use-record.anchor").unlink()  # the file went with the rewrite
    archive.use_record.append([Use(user="张三", action="检索", target="q=伪造")])
    assert archive.use_record.verify()["ok"]  # consistent in itself …
    report = archive.use_record.verify(anchor=noted)
    assert not report["ok"] and "不在记录链中" in report["problems"][0]["problem"]  # … not with the note


def _gongwen(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli.main", "--home", str(home), *args],
                          check=False, input=stdin, capture_output=True, text=True, cwd=PROJECT,
                          env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"}, timeout=120)


def test_cli_writes_its_commands_under_the_os_user_and_verifies(home: Path) -> None:
    import getpass

    made = _gongwen(home, "users", "add", "王五", "--role", "管理员", "--password-stdin", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert _gongwen(home, "search", "民生实事").returncode == 0
    listed = _gongwen(home, "audit", "--json")
    rows = json.loads(listed.stdout)["records"]
    assert [(r["user"], r["action"], r["channel"]) for r in rows] == [
        (getpass.getuser(), "账户管理", "命令行"), (getpass.getuser(), "检索", "命令行")]
    assert "users add 王五 --role 管理员 --password-stdin" in rows[0]["target"]
    assert PASSWORD not in (home / "catalog.sqlite").read_bytes().decode("utf-8", "replace")
    assert _gongwen(home, "audit", "--verify").returncode == 0
    _tamper(home, "UPDATE use_record SET user = '别人' WHERE seq = 2")
    checked = _gongwen(home, "audit", "--verify")
    assert checked.returncode == 1 and "被改写" in checked.stdout
    assert json.loads(_gongwen(home, "--json", "audit", "--verify").stdout)["ok"] is False


def test_cli_users_commands(home: Path) -> None:
    assert _gongwen(home, "users", "add", "<b>x</b>", "--role", "起草人员", "--password-stdin",
                    stdin=PASSWORD + "\n").returncode == 2
    assert _gongwen(home, "users", "add", "甲", "--role", "审计员", "--role", "档案员",
                    "--password-stdin", stdin=PASSWORD + "\n").returncode == 2
    assert _gongwen(home, "users", "add", "甲", "--role", "档案员", "--password-stdin",
                    stdin=PASSWORD + "\n").returncode == 0
    assert _gongwen(home, "users", "grant", "甲").returncode == 0
    assert _gongwen(home, "users", "disable", "甲").returncode == 0
    assert _gongwen(home, "users", "disable", "乙").returncode == 1
    users = json.loads(_gongwen(home, "users", "list", "--json").stdout)["users"]
    assert users == [{"name": "甲", "roles": ["档案员"], "enabled": False, "restricted": True}]


def test_serve_refuses_the_network_without_a_system_administrator(home: Path) -> None:
    refused = _gongwen(home, "serve", "--host", "0.0.0.0", "--port", "1")
    assert refused.returncode == 2
    assert "系统管理员" in refused.stderr and "users add" in refused.stderr
