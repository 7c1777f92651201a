"""Start real processes for a test and stop every one of them afterwards, even when the test fails.

Each process runs in its own session (so gunicorn's workers and RQ's work-horses stop with their
parent), writes stdout and stderr to a file the test can read, and is stopped by its own id:
SIGTERM to its group, then SIGKILL after a grace period. A process is reaped only when it is stopped,
so its id (and with it the group's) cannot be reused by another process while we signal the group.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self


class ProcessError(RuntimeError):
    pass


def require(binary: str) -> str:
    """The path of ``binary``; a missing one is an error (``make test`` installs it), never a skip."""
    found = shutil.which(binary) or next(
        (p for p in (f"/usr/sbin/{binary}", f"/sbin/{binary}") if os.access(p, os.X_OK)), None)
    if found is None:
        raise ProcessError(f"{binary} is not installed: run scripts/ensure-system-packages (make test does)")
    return found


@dataclass
class Running:
    name: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return not _exited(self.process.pid)


class Processes:
    """``with Processes(folder) as procs: procs.start("web", [...], env)`` — all stopped on exit."""

    def __init__(self, folder: Path, grace: float = 15) -> None:
        self.folder = Path(folder)
        self.grace = grace
        self.running: dict[str, Running] = {}

    def __enter__(self) -> Self:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()

    def start(self, name: str, argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> Running:
        if name in self.running:
            raise ProcessError(f"{name} runs already")
        log = self.folder / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(list(argv), env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.running[name] = Running(name, process, log)
        return self.running[name]

    def stop(self, name: str) -> int | None:
        """Stop ``name`` and what it started; returns its exit code."""
        running = self.running.pop(name, None)
        if running is None:
            return None
        pid = running.process.pid
        _signal_group(pid, signal.SIGTERM)
        if not _wait_exited(pid, self.grace):
            _signal_group(pid, signal.SIGKILL)
            _wait_exited(pid, 10)
        _signal_group(pid, signal.SIGKILL)  # children left behind; the unreaped parent keeps the id ours
        return running.process.wait(timeout=10)

    def kill(self, name: str) -> None:
        """SIGKILL ``name`` and its whole group at once (e.g. an RQ worker with its work horse), as a
        crashed machine or the OOM killer would: no clean-up runs."""
        running = self.running.pop(name)
        # Children that left the group (RQ's work horse starts a session of its own) die too.
        for pid in _descendants(running.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _signal_group(running.process.pid, signal.SIGKILL)
        running.process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name)

    def check_alive(self) -> None:
        """Fail with the output of any process that has exited."""
        for running in self.running.values():
            if not running.alive():
                raise ProcessError(f"{running.name} exited:\n{running.output()[-4000:]}")

    def logs(self) -> str:
        return "\n".join(r.output() for r in self.running.values())


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from /proc (Linux)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            todo.append(child)
    return found


def _exited(pid: int) -> bool:
    """Whether ``pid`` (a child of ours) has exited, without reaping it."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _wait_exited(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not _exited(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # the session started for this process: its group id is its pid
    except (ProcessLookupError, PermissionError):
        pass


def wait_until(condition: Callable[[], bool], timeout: float, what: str, check: Callable[[], None] | None = None,
               interval: float = 0.2) -> None:
    """Poll ``condition`` until it holds; ``check`` runs between polls (e.g. ``Processes.check_alive``)."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return
        if check is not None:
            check()
        if time.monotonic() > deadline:
            raise ProcessError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def http_status(url: str, timeout: float = 2, context=None) -> int | None:
    """The status of a GET, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None
