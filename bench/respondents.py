"""The 200-respondent load of issue 13: a whole team answering at once, on the deployed settings.

Every virtual respondent is a thread with its own connection and cookies and runs the full answer
flow once: the code entry form, the code, the first page, an autosave for every statement, the
review page and the submit. Meanwhile a prober asks ``/readyz`` ten times a second, as a health
check would.

The respondents' model: all 200 start in the same second (a team meeting told "start now"), so
the code entry, the code and the first page arrive as one burst. Then each reads a statement and
clicks an answer: ``BENCH_THINK`` seconds on average (default 3, drawn evenly from half to one and
a half times that), before every autosave and before sending. A statement is one sentence of ten
to fifteen words and four answers: about three seconds to read and choose, so 42 statements take
a respondent about two minutes, as the questionnaire is meant to. ``BENCH_THINK=0`` makes every
respondent click as fast as the server answers (a closed loop: latency = 200 / throughput), a
stress figure far beyond what people do.
"""
from __future__ import annotations

import http.client
import os
import random
import threading
import time

from benchdata.load import Client, concurrent, percentile

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "200"))
CODES_PER_CALL = 100


class Respondent:
    def __init__(self, port: int, code: str, items: list[str], seed: int, think: float) -> None:
        self.port, self.code, self.items, self.think = port, code, items, think
        self.rng = random.Random(seed)
        self.autosaves: list[float] = []
        self.others: list[float] = []
        self.errors: list[str] = []

    def _timed(self, into: list[float], call, expect: int) -> bytes:
        started = time.perf_counter()
        try:
            status, body = call()
        except OSError as exc:
            into.append(time.perf_counter() - started)
            self.errors.append(type(exc).__name__)
            return b""
        into.append(time.perf_counter() - started)
        if status != expect:
            self.errors.append(f"HTTP {status}")
        return body

    def _pause(self) -> None:
        if self.think:
            time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))

    def run(self, start: threading.Barrier) -> None:
        client = Client(self.port, timeout=60)
        start.wait()
        try:
            entry = self._timed(self.others, lambda: client.get("/r"), 200)
            token = _token(entry)
            # The code's first use binds this browser (a cookie); the answer pages then need only that.
            self._timed(self.others, lambda: client.post("/r", {"code": self.code, "csrf_token": token}), 302)
            page = self._timed(self.others, lambda: client.get("/r/answers/1"), 200)
            token = _token(page) or token
            for item in self.items:
                self._pause()
                value = self.rng.choice(("1", "2", "3", "4", "dk"))
                self._timed(self.autosaves, lambda item=item, value=value: client.post(
                    "/r/answers/autosave", {"item": item, "value": value}), 200)
            review = self._timed(self.others, lambda: client.get("/r/answers/review"), 200)
            token = _token(review) or token
            self._pause()
            self._timed(self.others, lambda: client.post("/r/answers/review", {"csrf_token": token}), 200)
        finally:
            client.close()


def _token(body: bytes) -> str:
    import re
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body or b"")
    return match.group(1).decode() if match else ""


class Prober(threading.Thread):
    """``/readyz`` every ``interval`` seconds on its own connection until stopped."""

    def __init__(self, port: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.port, self.interval = port, interval
        self.latencies: list[float] = []
        self.failures = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        client = Client(self.port, timeout=30)
        while not self.stopping.is_set():
            started = time.perf_counter()
            try:
                status, _ = client.get("/readyz")
            except (OSError, http.client.HTTPException):
                # A timed-out request leaves the connection half-used: count it and start afresh.
                status = None
                client.close()
                client = Client(self.port, timeout=30)
            self.latencies.append(time.perf_counter() - started)
            self.failures += status != 200
            self.stopping.wait(self.interval)
        client.close()


def codes_for(bench, count: int) -> tuple[list[str], list[str]]:
    codes, items = [], []
    while len(codes) < count:
        more, items = bench.open_codes(bench.ids["school"], min(CODES_PER_CALL, count - len(codes)))
        codes += more
    return codes, items


def measure(bench) -> dict:
    """Run the load once; returns the figures (seconds) for the report."""
    think = float(os.environ.get("BENCH_THINK", "3"))
    codes, items = codes_for(bench, RESPONDENTS)
    people = [Respondent(bench.port, code, items, seed, think) for seed, code in enumerate(codes)]
    ceiling_users = []
    for _ in range(RESPONDENTS):
        plain = Client(bench.port)
        ceiling_users.append(lambda plain=plain: plain.get("/healthz")[0] == 200)
    ceiling = concurrent(ceiling_users, per_user=10, runs=2)
    start = threading.Barrier(len(people) + 1)
    threads = [threading.Thread(target=p.run, args=(start,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    prober = Prober(bench.port)
    prober.start()
    load_before = os.getloadavg()[0]   # the machine is shared: every figure beside its load
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=900)
    wall = time.perf_counter() - began
    prober.stopping.set()
    prober.join(timeout=60)
    load_after = os.getloadavg()[0]
    saves = [t for p in people for t in p.autosaves]
    errors = [e for p in people for e in p.errors]
    requests = len(saves) + sum(len(p.others) for p in people)
    return {"respondents": len(people), "statements": len(items), "think_s": think, "wall_s": wall,
            "requests": requests, "throughput": requests / wall,
            "autosave_p50": percentile(saves, 0.5), "autosave_p95": percentile(saves, 0.95),
            "autosave_p99": percentile(saves, 0.99),
            "other_p95": percentile([t for p in people for t in p.others], 0.95),
            "readyz_p50": percentile(prober.latencies, 0.5), "readyz_p99": percentile(prober.latencies, 0.99),
            "readyz_max": max(prober.latencies), "readyz_failures": prober.failures,
            "readyz_samples": len(prober.latencies), "errors": len(errors), "error_kinds": sorted(set(errors))[:10],
            "healthz_ceiling": ceiling.throughput, "healthz_p95": ceiling.p95,
            "submitted": sum(1 for p in people if not p.errors),
            "load_before": load_before, "load_after": load_after}


def add_to_report(bench, figures: dict) -> None:
    ms = 1000
    goal_met = (figures["autosave_p95"] < 0.250 and figures["readyz_p99"] < 1.0 and figures["errors"] == 0
                and not figures["readyz_failures"])
    bench.report.add(
        f"{figures['respondents']} concurrent respondents, full answer flow ({figures['statements']} autosaves each"
        + (f", {figures['think_s']:g} s per statement on average" if figures["think_s"] else ", no think time")
        + ", all starting at once)",
        f"autosave p50 {figures['autosave_p50'] * ms:.0f} ms, p95 {figures['autosave_p95'] * ms:.0f} ms, "
        f"p99 {figures['autosave_p99'] * ms:.0f} ms; pages p95 {figures['other_p95'] * ms:.0f} ms; "
        f"{figures['throughput']:.0f} req/s; "
        f"/readyz p50 {figures['readyz_p50'] * ms:.0f} ms, p99 {figures['readyz_p99'] * ms:.0f} ms, "
        f"max {figures['readyz_max'] * ms:.0f} ms",
        f"/healthz ceiling {figures['healthz_ceiling']:.0f} req/s, p95 {figures['healthz_p95'] * ms:.0f} ms "
        f"at {figures['respondents']} concurrent",
        "autosave p95 < 250 ms, /readyz p99 < 1 s, no errors", goal_met,
        f"errors: {figures['errors']} {figures['error_kinds']}; /readyz failures {figures['readyz_failures']}; "
        f"{figures['submitted']} of {figures['respondents']} submitted without an error; "
        f"load average {figures['load_before']:.1f} before, {figures['load_after']:.1f} after",
        {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()})
