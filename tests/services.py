"""Throwaway PostgreSQL and Redis servers for the test session.

``TEST_DATABASE_URL`` / ``TEST_REDIS_URL`` are used when given; otherwise a server is started in a
temporary directory on a free port. Missing binaries are an error, never a skip.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager


class ServiceError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:  # initdb and pg_ctl refuse to run as root
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def postgres():
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise ServiceError("PostgreSQL is not installed: run `make test` (it installs it) or set TEST_DATABASE_URL")
    bindir = os.path.dirname(found[-1])
    tmp = tempfile.mkdtemp(prefix="wellbeing-pg-")
    os.chmod(tmp, 0o777)
    data, port = os.path.join(tmp, "data"), free_port()
    subprocess.run(_as_postgres([f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync",
                                 "-E", "UTF8"]), check=True, capture_output=True)
    subprocess.run(_as_postgres([f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(tmp, "log"), "-w", "-o",
                                 f"-p {port} -k {tmp} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off "
                                 "-c full_page_writes=off", "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def redis():
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceError("Redis is not installed: run `make test` (it installs it) or set TEST_REDIS_URL")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        raise ServiceError("Redis did not start")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
