"""The measures of ``bench/run.py``. Each takes the running ``Bench`` and adds rows to its report."""
from __future__ import annotations

import random
import time
from statistics import median

import psycopg
from sqlalchemy import select

import uptake_release
from benchdata.load import Client, concurrent, repeated

PAGE_RUNS, PAGE_REQUESTS = 5, 20
SCHOOL_FIGURES = """SELECT {group}, school_type, count(*), count(*) FILTER (WHERE finalised_this_year),
  count(*) FILTER (WHERE doing_educatie), count(*) FILTER (WHERE doing_signaleren),
  count(*) FILTER (WHERE doing_omgeving), count(*) FILTER (WHERE doing_beleid),
  count(*) FILTER (WHERE uses_universal), count(*) FILTER (WHERE uses_selective),
  count(*) FILTER (WHERE uses_indicated), count(*) FILTER (WHERE certificate_expires >= current_date)
FROM summary_school {where} GROUP BY 1, 2"""
SCORE_FIGURES = """SELECT r.school_year, r.{group}, r.school_type, e.element_id, count(*),
  percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY e.score)
FROM summary_round r JOIN summary_element e ON e.round_id = r.round_id
WHERE {where} r.school_year = ANY(%(years)s) AND r.scored GROUP BY 1, 2, 3, 4"""
PRIORITY_FIGURES = """SELECT p.item_id, r.{group}, count(*) FROM summary_priority p
JOIN summary_round r ON r.round_id = p.round_id WHERE {where} r.school_year = %(current)s GROUP BY 1, 2"""
#: What the region page's service runs (wellbeing/overview/service.py), for EXPLAIN ANALYZE.
PAGE_QUERIES = {
    "summary_school": "SELECT * FROM summary_school WHERE region_id = %(region)s",
    "summary_round": "SELECT round_id, school_id, municipality_id, school_type, school_year, scored FROM summary_round "
                     "WHERE region_id = %(region)s AND school_year = ANY(%(years)s)",
    "summary_element": "SELECT round_id, element_id, score FROM summary_element WHERE round_id IN (SELECT round_id "
                       "FROM summary_round WHERE region_id = %(region)s AND school_year = ANY(%(years)s))",
    "summary_priority": "SELECT round_id, item_id FROM summary_priority WHERE round_id IN (SELECT round_id "
                        "FROM summary_round WHERE region_id = %(region)s AND school_year = ANY(%(years)s))",
}


def floor_queries(region_id: int | None) -> list[str]:
    """The SQL aggregates a page needs at the least: one region's (by municipality), or the nation's (by region)."""
    if region_id is None:
        return [SCHOOL_FIGURES.format(group="region_id", where=""), SCORE_FIGURES.format(group="region_id", where=""),
                PRIORITY_FIGURES.format(group="region_id", where="")]
    where = "r.region_id = %(region)s AND"
    return [SCHOOL_FIGURES.format(group="municipality_id", where="WHERE region_id = %(region)s"),
            SCORE_FIGURES.format(group="municipality_id", where=where),
            PRIORITY_FIGURES.format(group="municipality_id", where=where)]


def floor(database_url: str, region_id: int | None, years: list[str], current: str):
    params = {"region": region_id, "years": years, "current": current}
    with psycopg.connect(database_url) as connection:
        queries = floor_queries(region_id)

        def run() -> None:
            for query in queries:
                connection.execute(query, params).fetchall()
        return repeated(run, PAGE_RUNS, PAGE_REQUESTS)


def explain(database_url: str, region_id: int, years: list[str]) -> dict[str, str]:
    params = {"region": region_id, "years": years}
    plans = {}
    with psycopg.connect(database_url) as connection:
        for name, query in PAGE_QUERIES.items():
            rows = connection.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params).fetchall()
            plans[name] = "\n".join(r[0] for r in rows)
    return plans


def page(bench, label: str, email: str, url: str, region_id: int | None, national: bool = False,
         national_floor: bool = False) -> None:
    """p50/p95 of ``url`` beside its SQL floor: the region's aggregates, or the country's for a
    national page and for a page that shows national figures beside local ones (``national_floor``)."""
    client = Client(bench.port)
    client.login(email, bench.password)
    status, body = client.get(url)
    if status != 200 or b"<table" not in body:
        bench.report.add(label, "not available", "", "", None,
                         f"GET {url} gave HTTP {status}" + ("" if status != 200 else " without figures"))
        return

    def get() -> None:
        code, _ = client.get(url)
        if code != 200:
            raise RuntimeError(f"{url}: HTTP {code}")
    latency = repeated(get, PAGE_RUNS, PAGE_REQUESTS)
    base = floor(bench.database_url, None if national or national_floor else region_id, bench.years, bench.current)
    inner = bench.overview_time(region_id, municipality_id=bench.ids["municipality"] if "municipality/" in url
                                else None) if not (national or national_floor) else None
    goal = "p50 ≤ 2× floor" + ("; p95 < 150 ms" if national else "")
    met = latency.p50 <= 2 * base.p50 and (not national or latency.p95 < 0.150)
    note = ""
    if inner is not None:
        note = f"in-process service.overview(): {inner[0] * 1000:.1f} ms"
        if inner[1] is not None:
            note += f"; uncached service.compute() (first request after a change): {inner[1] * 1000:.1f} ms"
    bench.report.add(label, f"p50 {latency.p50 * 1000:.1f} ms, p95 {latency.p95 * 1000:.1f} ms",
                     f"floor {base.p50 * 1000:.1f} ms (SQL aggregates, psycopg)", goal, met, note,
                     {"page": latency.as_dict(), "floor": base.as_dict(), "url": url})
    client.close()


def release(bench) -> None:
    """The release job (``wellbeing.release.job.make_release``) in-process, at this scale: the exact
    audit of every measure against the release bench-data made, then rolled back. Worker time is
    the process's CPU time (the machine is shared; wall time is reported beside it)."""
    from wellbeing import db
    from wellbeing.release.job import make_release

    with bench.app.app_context():
        cpu, wall = time.process_time(), time.perf_counter()
        made = make_release(reason="manual")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        cells, hidden = made.cells, made.hidden
        db.session.rollback()
    base = floor(bench.database_url, None, bench.years, bench.current)
    # Bench data has no local offer, so the job above releases no uptake: its uptake part is timed
    # on a synthetic offer over the same schools (bench/uptake_release.py), a second release against a first.
    first, second = uptake_release.run(bench.scale, 1)
    total = cpu + second["cpu"]
    bench.report.add("overview release job (audit against every earlier release, all pages)",
                     f"{cpu:.0f} s worker time ({wall:.0f} s wall)",
                     f"national floor {base.p50 * 1000:.1f} ms (SQL aggregates)", "≤ 300 s worker time",
                     total <= 300, f"{cells:,} cells, {hidden:,} protected; with uptake {total:.0f} s",
                     {"cpu_seconds": cpu, "wall_seconds": wall, "cells": cells, "hidden": hidden,
                      "floor": base.as_dict(), "with_uptake_cpu_seconds": total})
    bench.report.add("  its uptake part, synthetic offer (bench/uptake_release.py)",
                     f"{second['cpu']:.0f} s worker time ({second['wall']:.0f} s wall)",
                     f"first release {first['cpu']:.0f} s", "", None,
                     f"{second['items']:,} offer items, {second['cells']:,} cells, {second['hidden']:,} protected",
                     {"first": first, "second": second})


def autosave(bench, school_id: int) -> None:
    codes, items = bench.open_codes(school_id, 50)
    users, healthz = [], []
    for index, code in enumerate(codes):
        client = Client(bench.port)
        # The code's first use binds the browser (a cookie); autosave then needs only that cookie.
        status, _ = client.post("/r", {"code": code, "csrf_token": client.csrf("/r")})
        if status != 302:
            raise RuntimeError(f"code entry failed: HTTP {status}")
        rng = random.Random(index)

        def save(client=client, rng=rng) -> bool:
            status, _ = client.post("/r/answers/autosave", {"item": rng.choice(items),
                                                            "value": rng.choice(("1", "2", "3", "4", "dk"))})
            return status == 200
        users.append(save)
        plain = Client(bench.port)
        healthz.append(lambda plain=plain: plain.get("/healthz")[0] == 200)
    ceiling = concurrent(healthz, per_user=40)
    load = concurrent(users, per_user=40)
    share = load.throughput / ceiling.throughput
    bench.report.add(
        "respondent autosave, 50 concurrent respondents",
        f"{load.throughput:.0f} req/s, p95 {load.p95 * 1000:.1f} ms ({share:.0%} of ceiling)",
        f"/healthz {ceiling.throughput:.0f} req/s, p95 {ceiling.p95 * 1000:.1f} ms",
        "≥ 1/3 of ceiling; p95 < 50 ms", share >= 1 / 3 and load.p95 < 0.050,
        f"errors: {load.errors}" if load.errors else "",
        {"autosave": load.as_dict(), "healthz": ceiling.as_dict()})


def finalise(bench) -> None:
    """Finalise rounds of 120 submitted respondents the way the status view does, and refresh the
    school's summaries as the job it schedules would."""
    from wellbeing import db
    from wellbeing.accounts.models import User
    from wellbeing.rounds import service
    from wellbeing.rounds.models import Round, RoundStatus
    from wellbeing.summaries.refresh import refresh_school_job

    round_ids = [bench.closed_round(school_id, 120) for school_id in bench.schools_without_round(6)]
    totals, refreshes = [], []
    with bench.app.app_context():
        actor = db.session.scalar(select(User).where(User.email == bench.logins["school_coordinator"]))
        for round_id in round_ids:
            started = time.perf_counter()
            round_ = db.session.get(Round, round_id)
            service.set_status(round_, RoundStatus.FINALISED, actor)
            db.session.commit()
            middle = time.perf_counter()
            refresh_school_job(round_.school_id)
            ended = time.perf_counter()
            totals.append(ended - started)
            refreshes.append(ended - middle)
            db.session.remove()
    total, refresh = median(totals[1:]), median(refreshes[1:])   # the first one warms up
    bench.report.add("finalise a round of 120 respondents (incl. summary refresh)", f"{total * 1000:.1f} ms",
                     f"of which refresh_school {refresh * 1000:.1f} ms", "< 200 ms", total < 0.200, "",
                     {"runs_ms": [round(t * 1000, 1) for t in totals]})


def _report_done(database_url: str, after_id: int, limit: float = 180) -> tuple[str, float]:
    deadline = time.perf_counter() + limit
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.perf_counter() < deadline:
            row = connection.execute("SELECT status, size FROM report WHERE id > %s ORDER BY id DESC LIMIT 1",
                                     [after_id]).fetchone()
            if row and row[0] in ("done", "failed"):
                return row[0], time.perf_counter()
            time.sleep(0.01)
    return "timeout", time.perf_counter()


def pdf(bench, label: str, email: str, page_url: str, post_url: str, goal_seconds: float, in_process) -> None:
    client = Client(bench.port)
    client.login(email, bench.password)
    times, statuses = [], []
    for _ in range(6):
        token = client.csrf(page_url)
        with psycopg.connect(bench.database_url) as connection:
            last = connection.execute("SELECT coalesce(max(id), 0) FROM report").fetchone()[0]
        started = time.perf_counter()
        status, _ = client.post(post_url, {"csrf_token": token, "locale": "nl"})
        outcome, ended = _report_done(bench.database_url, last)
        times.append(ended - started)
        statuses.append(outcome if status == 302 else f"HTTP {status}")
    figure = median(times[1:])
    build = in_process()
    ok = all(s == "done" for s in statuses)
    bench.report.add(label, f"{figure * 1000:.0f} ms" if ok else "failed: " + ", ".join(statuses),
                     f"building the PDF in-process {build * 1000:.0f} ms", f"< {goal_seconds:g} s",
                     ok and figure < goal_seconds, "HTTP POST → RQ worker → report row done",
                     {"runs_ms": [round(t * 1000) for t in times], "statuses": statuses})


def import_schools(bench) -> None:
    """Import a DUO-style list of 8,000 schools into a fresh database, then import it again."""
    from benchdata.layout import SCALES, make_layout

    url = bench.create_database("bench_import")
    bench.wellbeing(["db", "upgrade"], url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("INSERT INTO region (code, name, created_at) VALUES ('IMPORT', 'GGD Import', now())")
    layout = make_layout(SCALES["national"], 99, dict.fromkeys(("region", "municipality", "board", "school"), 0))
    municipalities = {m.id: m for m in layout.municipalities}
    boards = {b.id: b for b in layout.boards}
    path = bench.workdir / "schools.csv"

    def write(rename: float) -> None:
        rng = random.Random(5)
        lines = ["BRIN;vestigingsnummer;naam;type;gemeentecode;gemeentenaam;bestuursnummer;bestuursnaam"]
        for s in layout.schools:
            m, b = municipalities[s.municipality_id], boards.get(s.board_id)
            name = s.name + (" (nieuw)" if rng.random() < rename else "")
            lines.append(f"{s.brin};{s.vestiging};{name};{s.school_type};{m.code};{m.name};"
                         f"{b.code if b else ''};{b.name if b else ''}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write(0)
    started = time.perf_counter()
    output = bench.wellbeing(["import-schools", str(path), "--region", "IMPORT"], url)
    first = time.perf_counter() - started
    write(0.02)
    started = time.perf_counter()
    second_output = bench.wellbeing(["import-schools", str(path), "--region", "IMPORT"], url)
    second = time.perf_counter() - started
    started = time.perf_counter()
    bench.wellbeing(["users"], url)
    startup = time.perf_counter() - started
    bench.drop_database("bench_import")
    bench.report.add("import 8,000 schools (wellbeing import-schools, new)", f"{first:.1f} s",
                     f"process start-up (wellbeing users) {startup:.1f} s", "< 10 s", first < 10,
                     f"{output.strip()}; again with 2% renamed: {second:.1f} s ({second_output.strip()})",
                     {"first_s": first, "second_s": second, "startup_s": startup})


def growth(bench) -> None:
    """The uncached region overview build at 1×, 4× and 16× the answers with the same schools
    (separate databases): it reads summaries only, so it must stay flat."""
    results = {}
    for factor in (1, 4, 16):
        url = bench.create_database("bench_growth")
        bench.wellbeing(["db", "upgrade"], url)
        started = time.perf_counter()
        bench.bench_data(["--scale", "region", "--answer-scale", str(factor)], url, quiet=True)
        loaded = time.perf_counter() - started
        with psycopg.connect(url) as connection:
            answers = connection.execute("SELECT count(*) FROM answer").fetchone()[0]
            region_id = connection.execute("SELECT id FROM region WHERE code = 'BENCH-01'").fetchone()[0]
        bench.settle(url)
        latency = bench.compute_time(url, region_id)  # uncached: the cache would hide any growth
        results[factor] = (latency, answers, loaded)
        bench.report.phase(f"growth {factor}x: load region data", loaded, f"{answers:,} answers")
        bench.drop_database("bench_growth")
    base = results[1][0].p50
    p50s = [results[f][0].p50 for f in (1, 4, 16)]
    spread = max(p50s) / min(p50s)
    bench.report.add("growth: region overview build (uncached) at 4x / 16x the answers (same schools)",
                     " / ".join(f"{results[f][0].p50 * 1000:.1f} ms ({results[f][1] / 1e6:.1f} M answers)"
                                for f in (4, 16)),
                     f"1x: {base * 1000:.1f} ms ({results[1][1] / 1e6:.1f} M answers)",
                     "flat: slowest ≤ 1.2x fastest", spread <= 1.2,
                     f"p50 of service.compute() in-process; slowest/fastest = {spread:.2f}", {
                         str(f): {"answers": a, "page": lat.as_dict(), "load_s": round(t, 1)}
                         for f, (lat, a, t) in results.items()})

