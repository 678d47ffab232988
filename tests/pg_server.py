"""A real PostgreSQL server for the tests, shared by every test package (pytest plugin, see tests/conftest.py).

``pg_server`` (session scope): a throw-away cluster made with ``initdb`` and started with ``pg_ctl`` on a free
loopback port (as the ``postgres`` OS user when the tests run as root), stopped and deleted at the end.
Tests using it skip, with the reason, when the binaries are missing or the server cannot start.
``pg_server.create_database()`` gives a fresh empty database's URL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin",
               "/usr/local/bin", "/usr/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_binary(name: str) -> str | None:
    for d in PG_BIN_DIRS:
        p = Path(d) / name
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
    return shutil.which(name)


class PgServer:
    def __init__(self, port: int, base: Path, user: str):
        self.port = port
        self.base = base
        self.user = user

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "lab") -> str:
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server():
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: install Debian's postgresql package")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg (PostgreSQL driver) is not installed")
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runuser = shutil.which("runuser")
        try:
            import pwd

            pw = pwd.getpwnam("postgres")
        except KeyError:
            pw = None
        if not runuser or pw is None:
            pytest.skip("running as root and no 'postgres' OS user / runuser to start PostgreSQL as")
        prefix = [runuser, "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="mipexr-pg-"))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    if prefix:
        for p in (base, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    port = free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC"}
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--no-instructions"], check=True, capture_output=True, timeout=120, env=env)
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60",
                        "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                              f"-c max_connections=200",
                        "start"], check=True, capture_output=True, timeout=120, env=env)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"could not start PostgreSQL with initdb/pg_ctl: {exc}; {detail[-300:]!r} {tail}")
    server = PgServer(port, base, "postgres")
    try:
        yield server
    finally:
        for module in ("dashboard.lab.db", "dashboard.datasets.db"):  # close pools before the server goes
            if module in sys.modules:
                sys.modules[module].dispose_engines()
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60, env=env)
        shutil.rmtree(base, ignore_errors=True)
