"""PostgreSQL for the tests: a throwaway cluster started once per session (initdb + pg_ctl on a
Unix socket, ``pipeline.storage.postgres.cluster``), or the server ``GONGWEN_TEST_PG`` names;
each test gets a database of its own. Tests skip, saying why, only when neither exists."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg 未安装：pip install 'psycopg[binary]'")

from pipeline.storage.postgres.cluster import Cluster, bin_dir, start_cluster  # noqa: E402

SERVER_VARIABLE = "GONGWEN_TEST_PG"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A server URL whose user may create databases."""
    given = os.environ.get(SERVER_VARIABLE)
    if given:
        yield given
        return
    if bin_dir() is None:
        pytest.skip("no PostgreSQL binaries (initdb) on this machine: apt-get install postgresql")
    cluster = start_cluster()
    try:
        yield cluster.url
    finally:
        cluster.stop()


def new_database(server: str) -> str:
    """A fresh, empty database on ``server``; its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return _with_database(server, name)


@pytest.fixture
def pg_url(pg_server: str) -> str:
    return new_database(pg_server)


@pytest.fixture(scope="module")
def pg_module_url(pg_server: str) -> str:
    return new_database(pg_server)


@pytest.fixture(scope="module")
def two_clusters() -> Iterator[tuple[Cluster, Cluster]]:
    """Two throwaway clusters (the foreign-table partition test)."""
    if bin_dir() is None:
        pytest.skip("no PostgreSQL binaries (initdb) on this machine: apt-get install postgresql")
    first = start_cluster()
    try:
        second = start_cluster()
        try:
            yield first, second
        finally:
            second.stop()
    finally:
        first.stop()
