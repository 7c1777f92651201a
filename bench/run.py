"""``make bench``: a throwaway PostgreSQL and Redis, the benchmark data, gunicorn and RQ workers, and
the measures of issue 6, each beside an anchor measured in the same run.

    BENCH_SCALE=region|national (default national)   BENCH_GROWTH=0 skips the 1x/4x/16x growth runs
    BENCH_ONLY=respondents runs only the 200-respondent load (to compare worker models: GUNICORN_WORKER_CLASS,
    GUNICORN_WORKERS and GUNICORN_THREADS reach gunicorn)   BENCH_THINK=seconds per statement (default 3; 0: no pause)

Writes bench/results/<date>-<scale>.md and .json and prints the table. Sends requests only to the
gunicorn it starts on 127.0.0.1; every loop is bounded.
"""
from __future__ import annotations

import logging
import os
import runpy
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import measures  # noqa: E402
import psycopg  # noqa: E402
import respondents  # noqa: E402
from report import Report  # noqa: E402

from tests import services  # noqa: E402
from benchdata.load import Client, MemoryWatch, children, repeated  # noqa: E402

BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
RQ_WORKERS = 2


class Bench:
    def __init__(self, scale: str, database_url: str, redis_url: str, workdir: Path) -> None:
        self.scale, self.database_url, self.redis_url, self.workdir = scale, database_url, redis_url, workdir
        self.password = secrets.token_urlsafe(18)
        self.report = Report(scale)
        self.port = services.free_port()
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.env = {**os.environ, "WELLBEING_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                    "DATABASE_URL": database_url, "REDIS_URL": redis_url, "BENCH_PASSWORD": self.password,
                    # Production refuses to start without the address its links point at.
                    "BASE_URL": os.environ.get("BASE_URL", "https://bench.welbevinden.invalid"),
                    "WELLBEING_INSTANCE_PATH": str(workdir / "instance"), "PYTHONPATH": str(ROOT)}
        self.app = None
        self.ids: dict[str, int] = {}
        self.logins: dict[str, str] = {}

    # --- processes and databases ---------------------------------------------------------------

    def wellbeing(self, args: list[str], database_url: str | None = None, timeout: float = 1800) -> str:
        env = {**self.env, "DATABASE_URL": database_url or self.database_url}
        done = subprocess.run([str(BIN / "wellbeing"), *args], env=env, capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"wellbeing {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def bench_data(self, args: list[str], database_url: str, quiet: bool = False) -> str:
        """``python -m benchdata.cli bench-data``: the ``wellbeing`` command with the generator added
        (the benchmark generator is no part of the product, so its command is not in the product CLI)."""
        env = {**self.env, "DATABASE_URL": database_url}
        command = [sys.executable, "-m", "benchdata.cli", "bench-data", *args]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   cwd=ROOT)
        lines = []
        for line in process.stdout:
            lines.append(line)
            if not quiet and " INFO " not in line:
                print("  " + line, end="", flush=True)
        if process.wait(timeout=3600):
            raise RuntimeError("bench-data failed:\n" + "".join(lines[-40:]))
        return "".join(lines)

    def create_database(self, name: str) -> str:
        self.drop_database(name)
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.database_url.rsplit("/", 1)[0] + "/" + name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "w")
        process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.processes.append((name, process))
        return process

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            with suppress(ProcessLookupError):
                process.terminate()
        for _, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []

    def wait_ready(self, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with suppress(OSError):
                client = Client(self.port, timeout=2)
                if client.get("/readyz")[0] == 200:
                    client.close()
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become ready; see {self.workdir / 'gunicorn.log'}")

    # --- the in-process app for service-layer work ----------------------------------------------

    def make_app(self, database_url: str):
        from wellbeing.app import create_app
        from wellbeing.config import load_settings

        env = {k: v for k, v in self.env.items() if k != "REDIS_URL"}   # jobs here run inline
        env.update(DATABASE_URL=database_url, WELLBEING_ENV="development")  # cookies without Secure for the test client
        app = create_app(load_settings(env=env))
        logging.getLogger("wellbeing.access").setLevel(logging.WARNING)  # gunicorn's log has the access lines
        return app

    def overview_time(self, region_id: int, municipality_id: int | None = None) -> tuple[float, float | None]:
        """In-process p50 of ``service.overview`` (cached where the version has a cache) and of
        ``service.compute`` (the uncached build behind it), or None where there is no such split."""
        from wellbeing import db
        from wellbeing.overview import service
        from wellbeing.tenancy.models import Municipality, Region

        with self.app.test_request_context():
            region = db.session.get(Region, region_id)
            municipality = db.session.get(Municipality, municipality_id) if municipality_id else None
            cached = repeated(lambda: service.overview(region, municipality), 5, 10).p50
            compute = getattr(service, "compute", None)
            cold = repeated(lambda: compute(region, municipality), 3, 5).p50 if compute else None
            db.session.rollback()
            return cached, cold

    def compute_time(self, database_url: str, region_id: int):
        """p50 of the uncached region overview build (``service.compute``) on another database:
        what the first request after a change costs, and what must not grow with the answers."""
        from wellbeing import db
        from wellbeing.overview import service
        from wellbeing.tenancy.models import Region

        app = self.make_app(database_url)
        with app.test_request_context():
            region = db.session.get(Region, region_id)
            latency = repeated(lambda: service.compute(region), 5, 5)
            db.session.rollback()
        app.extensions["wellbeing.db"].engine.dispose()
        return latency

    def in_process_page(self, database_url: str, email: str, url: str):
        app = self.make_app(database_url)
        client = app.test_client()
        with app.app_context():
            page = client.get("/login").get_data(as_text=True)
        import re
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        done = client.post("/login", data={"email": email, "password": self.password, "csrf_token": token})
        if done.headers.get("Location", "").endswith("/login/code"):
            import pyotp

            from benchdata.data import BENCH_TOTP_SECRET
            page = client.get("/login/code").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            client.post("/login/code", data={"code": pyotp.TOTP(BENCH_TOTP_SECRET).now(), "csrf_token": token})

        def get() -> None:
            if client.get(url).status_code != 200:
                raise RuntimeError(f"{url} failed in-process")
        latency = repeated(get, measures.PAGE_RUNS, measures.PAGE_REQUESTS)
        app.extensions["wellbeing.db"].engine.dispose()
        return latency

    def open_codes(self, school_id: int, count: int) -> tuple[list[str], list[str]]:
        from sqlalchemy import select

        from wellbeing import db
        from wellbeing.rounds import service
        from wellbeing.rounds.models import Round, RoundStatus

        with self.app.app_context():
            round_ = db.session.scalar(select(Round).where(Round.school_id == school_id,
                                                           Round.status == RoundStatus.OPEN))
            codes = service.issue_codes(round_, count)
            items = [i.id for e in service.instrument_of(round_).elements_for(round_.school.school_type.value)
                     for i in e.items_for(round_.school.school_type.value)]
            db.session.commit()
        return codes, items

    def schools_without_round(self, count: int) -> list[int]:
        with psycopg.connect(self.database_url) as connection:
            return [r[0] for r in connection.execute(
                "SELECT s.id FROM school s JOIN municipality m ON m.id = s.municipality_id WHERE m.region_id = %s "
                "AND NOT EXISTS (SELECT 1 FROM round r WHERE r.school_id = s.id AND r.school_year = %s) "
                "ORDER BY s.school_type <> 'vo', s.id LIMIT %s", [self.ids["region"], self.current, count])]

    def closed_round(self, school_id: int, respondents: int) -> int:
        """A closed round of this school year with ``respondents`` submitted answer sets and agreed scores."""
        from sqlalchemy import insert

        from wellbeing import db
        from wellbeing.db import utcnow
        from wellbeing.rounds import releases, service
        from wellbeing.rounds.models import (Answer, Category, Consensus, Priority, Respondent, Round, RoundMode,
                                             RoundStatus)
        from wellbeing.tenancy.models import School

        rng = __import__("random").Random(school_id)
        with self.app.app_context():
            school = db.session.get(School, school_id)
            checklist = service.registry().latest(service.CHECKLIST_ID)
            items = [i.id for e in checklist.elements_for(school.school_type.value)
                     for i in e.items_for(school.school_type.value)]
            now = utcnow()
            round_ = Round(school_id=school_id, school_year=self.current, instrument_id=checklist.id,
                           instrument_version=checklist.version, mode=RoundMode.INDIVIDUAL, status=RoundStatus.CLOSED,
                           opened_at=now, closed_at=now)
            db.session.add(round_)
            people = [Respondent(round_id=0, token_hash=None, started_at=now,
                                 submitted_at=now, category=rng.choice(list(Category))) for _ in range(respondents)]
            db.session.flush()
            for person in people:
                person.round_id = round_.id
            db.session.add_all(people)
            db.session.flush()
            db.session.execute(insert(Answer), [
                {"respondent_id": p.id, "item_id": item, "value": rng.choice((1, 2, 3, 4, None)), "updated_at": now}
                for p in people for item in items])
            db.session.add_all(Consensus(round_id=round_.id, item_id=item, agreed_score=rng.randint(1, 4),
                                         rationale="", priority=Priority.HIGH if n < 2 else Priority.NONE)
                               for n, item in enumerate(items))
            releases.release_if_due(round_)  # pages read releases only
            db.session.commit()
            return round_.id

    # --- the run ---------------------------------------------------------------------------------

    def settle(self, database_url: str | None = None, limit: float = 600) -> None:
        """Wait until no autovacuum worker runs, so it does not share the two cores with a measure."""
        deadline = time.monotonic() + limit
        with psycopg.connect(database_url or self.database_url, autocommit=True) as connection:
            while time.monotonic() < deadline and connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'").fetchone()[0]:
                time.sleep(1)

    def lookup(self) -> None:
        with psycopg.connect(self.database_url) as connection:
            for role, email, region, municipality, school in connection.execute(
                    "SELECT b.role, u.email, b.region_id, b.municipality_id, b.school_id FROM membership b "
                    "JOIN user_account u ON u.id = b.user_id WHERE u.email LIKE '%%@bench.welbevinden.nl'"):
                self.logins[role] = email
                if role == "region_admin":
                    self.ids["region"] = region
                if municipality:
                    self.ids["municipality"] = municipality
                if school:
                    self.ids["school"] = school
        from wellbeing.schoolyear import SchoolYear
        current = SchoolYear.current()
        self.current = str(current)
        self.years = [str(current - n) for n in range(4, -1, -1)]

    def run(self, growth: bool, only: str = "") -> None:
        report = self.report
        with report.timed("db upgrade"):
            self.wellbeing(["db", "upgrade"])
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            # A throwaway server started with fsync off (tests/services.py); give the load room for WAL.
            connection.execute("ALTER SYSTEM SET max_wal_size = '8GB'")
            connection.execute("ALTER SYSTEM SET checkpoint_timeout = '30min'")
            connection.execute("SELECT pg_reload_conf()")
            report.environment["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
        with report.timed("bench-data --scale " + self.scale) as phase:
            output = self.bench_data(["--scale", self.scale], self.database_url)
        phase.detail = next((line for line in output.splitlines() if line.startswith("rows:")), "")[:300]
        report.bench_data_output = [line for line in output.splitlines() if " INFO " not in line and not line.startswith("  ")]
        self.lookup()
        self.settle()
        self.app = self.make_app(self.database_url)
        web = runpy.run_path(str(GUNICORN_CONF))   # as deployed: the production settings file
        report.environment["gunicorn"] = (f"{web['workers']} {web['worker_class']} workers"
                                          + (f" x {web['threads']} threads" if web["worker_class"] == "gthread" else "")
                                          + " (deploy/gunicorn.conf.py)")
        with report.timed(f"start gunicorn ({report.environment['gunicorn']}) and {RQ_WORKERS} RQ workers"):
            master = self.start("gunicorn", [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF),
                                             "--bind", f"127.0.0.1:{self.port}", "wellbeing.app:create_app()"])
            workers = [self.start(f"worker-{n}", [str(BIN / "wellbeing"), "worker"]) for n in range(RQ_WORKERS)]
            self.wait_ready()
        watch = MemoryWatch({"web": lambda: children(master.pid), "rq": lambda: [w.pid for w in workers]})
        watch.start()
        if only == "respondents":
            with report.timed(f"{respondents.RESPONDENTS} respondents"):
                respondents.add_to_report(self, respondents.measure(self))
            watch.stop()
            self.stop()
            return
        region, municipality = self.ids["region"], self.ids["municipality"]
        with report.timed("pages"):
            measures.page(self, "municipality overview /municipality/<id>", self.logins["municipality_officer"],
                          f"/municipality/{municipality}", region)
            measures.page(self, "region overview /region/<id>/overview", self.logins["region_admin"],
                          f"/region/{region}/overview", region)
            measures.page(self, "national overview /overview/national", self.logins["platform_admin"],
                          "/overview/national", None, national=True)
            # The cycle's start picture shows the municipality beside its region and the country,
            # every school year the releases hold: its floor is the national aggregates.
            measures.page(self, "cycle start picture /municipality/<id>/cycle", self.logins["municipality_officer"],
                          f"/municipality/{municipality}/cycle", region, national_floor=True)
            measures.release(self)
        if only == "pages":    # BENCH_ONLY=pages: a quick look at the page latencies alone
            watch.stop()
            self.stop()
            return
        report.explain = measures.explain(self.database_url, region, self.years)
        with report.timed("autosave under load"):
            measures.autosave(self, self.ids["school"])
        with report.timed(f"{respondents.RESPONDENTS} respondents, full answer flow"):
            respondents.add_to_report(self, respondents.measure(self))
        with report.timed("finalise"):
            measures.finalise(self)
        with report.timed("PDFs"):
            measures.pdf(self, "school PDF (request to done)", self.logins["school_coordinator"],
                         f"/school/{self.ids['school']}/report", f"/school/{self.ids['school']}/report", 1,
                         self.school_pdf_time)
            measures.pdf(self, "region PDF (request to done)", self.logins["region_admin"],
                         f"/region/{region}/overview", f"/region/{region}/report", 5, self.region_pdf_time)
        peaks = watch.stop()
        report.add("peak memory of a gunicorn web worker (VmHWM)", f"{peaks['web'] / 1024:.0f} MB",
                   f"idle after start {watch.idle_kb['web'] / 1024:.0f} MB", "< 250 MB", peaks["web"] < 250 * 1024,
                   "max over the workers, sampled during all loads above")
        report.add("peak memory of an RQ worker incl. its work horses (VmHWM)", f"{peaks['rq'] / 1024:.0f} MB",
                   f"idle after start {watch.idle_kb['rq'] / 1024:.0f} MB", "< 250 MB", peaks["rq"] < 250 * 1024,
                   "sampled every 50 ms; a horse's last moments may be missed")
        self.stop()
        with report.timed("import 8,000 schools"):
            measures.import_schools(self)
        if growth:
            with report.timed("growth 1x/4x/16x"):
                measures.growth(self)

    def school_pdf_time(self) -> float:
        from flask_babel import force_locale

        from wellbeing import db
        from wellbeing.reports import pdf
        from wellbeing.reports.gather import gather
        from wellbeing.tenancy.models import School

        with self.app.test_request_context(), force_locale("nl"):
            school = db.session.get(School, self.ids["school"])
            return median(_timed(lambda: pdf.build_school_report(gather(school, "nl"))) for _ in range(3))

    def region_pdf_time(self) -> float:
        from flask_babel import force_locale

        from wellbeing import db
        from wellbeing.overview import pdf, service
        from wellbeing.tenancy.models import Region

        with self.app.test_request_context(), force_locale("nl"):
            region = db.session.get(Region, self.ids["region"])
            return median(_timed(lambda: pdf.build_overview_report(service.overview(region))) for _ in range(3))


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "national")
    if scale not in ("tiny", "region", "national"):
        print(f"BENCH_SCALE must be region or national, not {scale!r}", file=sys.stderr)
        return 2
    growth = os.environ.get("BENCH_GROWTH", "1") != "0"
    with tempfile.TemporaryDirectory(prefix="wellbeing-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "instance").mkdir()
        with services.postgres() as database_url, services.redis() as redis_url:
            bench = Bench(scale, database_url, redis_url, workdir)
            try:
                with bench.report.timed("total"):
                    bench.run(growth, os.environ.get("BENCH_ONLY", ""))
            except BaseException as exc:
                bench.report.notes.append(f"the run stopped early: {type(exc).__name__}: {exc}")
                raise
            finally:
                bench.stop()
                if os.environ.get("BENCH_LOGS"):  # keep the processes' logs for a look afterwards
                    import shutil
                    shutil.copytree(workdir, os.environ["BENCH_LOGS"], dirs_exist_ok=True,
                                    ignore=shutil.ignore_patterns("instance"))
                paths = bench.report.write(ROOT / "bench" / "results")
                print(bench.report.markdown())
                print("written: " + ", ".join(str(p.relative_to(ROOT)) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
