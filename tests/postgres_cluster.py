"""PostgreSQL for the tests: a throwaway cluster started once per session (initdb + pg_ctl on a
Unix socket, ``pipeline.storage.postgres.cluster``), or the server ``GONGWEN_TEST_PG`` names;
each test gets a database of its own. Tests skip, saying why, only when neither exists."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg 未安装：pip install 'psycopg[binary]'")

from pipeline.storage.postgres.cluster import (
    Cluster,
    bin_dir,
    create_database,
    start_cluster,
)

SERVER_VARIABLE = "GONGWEN_TEST_PG"


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
    return create_database(server)


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
