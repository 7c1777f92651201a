"""Measuring tools for ``bench/run.py``: a keep-alive HTTP client with cookies and CSRF tokens,
percentiles, repeated runs, concurrent load and peak memory of processes. Standard library only;
it sends requests to the local server it is given and nowhere else."""
from __future__ import annotations

import http.client
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

_TOKEN = (re.compile(r'name="csrf_token"[^>]*value="([^"]+)"'), re.compile(r'value="([^"]+)"[^>]*name="csrf_token"'))


class Client:
    """One browser: a persistent connection to 127.0.0.1 and its cookies."""

    def __init__(self, port: int, timeout: float = 120) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.location: str | None = None
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # the server closed an idle keep-alive connection: reconnect once
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        self.location = response.headers.get("Location")
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=thu, 01 jan 1970" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, content

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> tuple[int, bytes]:
        return self.request("POST", path, form)

    def csrf(self, path: str) -> str:
        status, body = self.get(path)
        html = body.decode()
        for pattern in _TOKEN:
            match = pattern.search(html)
            if match:
                return match.group(1)
        raise RuntimeError(f"no CSRF token on {path} (HTTP {status})")

    def login(self, email: str, password: str) -> None:
        status, _ = self.post("/login", {"email": email, "password": password, "csrf_token": self.csrf("/login")})
        if status == 302 and (self.location or "").endswith("/login/code"):
            status = self.second_factor()
        if status != 302:
            raise RuntimeError(f"login as {email} failed: HTTP {status}")

    def second_factor(self) -> int:
        """Enter the benchmark users' code. Each time step's code works once per user, so a code
        refused (used by an earlier login) is followed by the next step's, after waiting for it."""
        import pyotp

        from benchdata.data import BENCH_TOTP_SECRET

        totp = pyotp.TOTP(BENCH_TOTP_SECRET)
        status = 401
        for _ in range(3):
            status, _ = self.post("/login/code", {"code": totp.now(), "csrf_token": self.csrf("/login/code")})
            if status != 401:
                return status
            time.sleep(totp.interval - time.time() % totp.interval + 0.1)
        return status

    def close(self) -> None:
        self.connection.close()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0–1)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Latency:
    p50: float          # seconds: the median over the runs of each run's p50
    p95: float
    runs: list[tuple[float, float]]   # (p50, p95) of each run

    def as_dict(self) -> dict:
        return {"p50_ms": round(self.p50 * 1000, 2), "p95_ms": round(self.p95 * 1000, 2),
                "runs_ms": [[round(a * 1000, 2), round(b * 1000, 2)] for a, b in self.runs]}


def repeated(action: Callable[[], object], runs: int = 5, per_run: int = 20, warmup: int = 3) -> Latency:
    """Time ``action`` ``per_run`` times in each of ``runs`` runs, one after another."""
    for _ in range(warmup):
        action()
    results = []
    for _ in range(runs):
        times = []
        for _ in range(per_run):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        results.append((percentile(times, 0.5), percentile(times, 0.95)))
    return Latency(median(r[0] for r in results), median(r[1] for r in results), results)


@dataclass(frozen=True)
class Load:
    throughput: float   # requests per second, median over runs
    p95: float          # seconds, median over runs
    errors: int
    runs: list[tuple[float, float]]

    def as_dict(self) -> dict:
        return {"throughput_rps": round(self.throughput, 1), "p95_ms": round(self.p95 * 1000, 2),
                "errors": self.errors, "runs": [[round(t, 1), round(p * 1000, 2)] for t, p in self.runs]}


def concurrent(users: list[Callable[[], bool]], per_user: int, runs: int = 5) -> Load:
    """Each callable is one virtual user on its own thread (and connection); it makes one request and
    returns whether it succeeded. Every run starts all users together and ends when all made
    ``per_user`` requests."""
    results, errors = [], 0
    for run in range(runs + 1):           # the first run warms up and is not counted
        latencies: list[list[float]] = [[] for _ in users]
        failures = [0] * len(users)
        barrier = threading.Barrier(len(users) + 1)

        def work(index: int) -> None:
            barrier.wait()
            for _ in range(per_user):
                started = time.perf_counter()
                ok = users[index]()
                latencies[index].append(time.perf_counter() - started)
                failures[index] += not ok
        threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(users))]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join(timeout=600)
        wall = time.perf_counter() - started
        if run:
            every = [t for per in latencies for t in per]
            results.append((len(every) / wall, percentile(every, 0.95)))
            errors += sum(failures)
    return Load(median(r[0] for r in results), median(r[1] for r in results), errors, results)


def _status(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0])  # kB
    except OSError:
        pass
    return values


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


class MemoryWatch:
    """Samples the peak resident memory (VmHWM) of groups of processes and their children, e.g. the
    gunicorn workers, and the RQ workers with the work horses they fork for each job."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]], interval: float = 0.05) -> None:
        self.groups, self.interval = groups, interval
        self.peak_kb = {name: 0 for name in groups}
        self.idle_kb: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self.idle_kb = {name: max((_status(p).get("VmRSS", 0) for p in pids()), default=0)
                        for name, pids in self.groups.items()}
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> None:
        for name, pids in self.groups.items():
            for pid in pids():
                for process in (pid, *children(pid)):
                    self.peak_kb[name] = max(self.peak_kb[name], _status(process).get("VmHWM", 0))

    def stop(self) -> dict[str, int]:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()
        return dict(self.peak_kb)
