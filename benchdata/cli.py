"""``wellbeing bench-data``: fill an empty database with a benchmark instance."""
from __future__ import annotations

import time
from datetime import date

import click
from flask.cli import with_appcontext

from benchdata.data import BenchDataError, default_answer_years, generate
from benchdata.layout import SCALES
from benchdata.school import YEARS
from wellbeing.accounts.security import MIN_PASSWORD_LENGTH
from wellbeing.cli import main


@click.command("bench-data")
@click.option("--scale", type=click.Choice(sorted(SCALES)), default="region", show_default=True,
              help="tiny (tests), region (one GGD region, ~650 schools) or national (~8,000 schools).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--answer-years", type=click.IntRange(0, YEARS), default=None,
              help="Store full answers for this many most recent school years (default: all 5). "
                   "Summaries always cover all five years.")
@click.option("--answer-scale", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Multiply the respondents of every round (growth benchmarks).")
@click.option("--password", envvar="BENCH_PASSWORD", required=True,
              help="Password of the benchmark logins (or BENCH_PASSWORD).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Pretend it is this day.")
@with_appcontext
def bench_data(scale: str, seed: int, answer_years: int | None, answer_scale: int, password: str,
               today) -> None:
    """Generate a deterministic, realistic benchmark instance straight into the (empty) database."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    years = default_answer_years(scale) if answer_years is None else answer_years
    click.echo(f"bench-data: scale {scale}, seed {seed}, full answers for the {years} most recent of {YEARS} "
               f"school years" + (f", respondents x{answer_scale}" if answer_scale > 1 else ""))
    if years < YEARS:
        click.echo(f"note: rounds of the {YEARS - years} oldest school year(s) have respondents, agreed scores "
                   "and complete summaries, but their individual answers are not stored")
    started = time.perf_counter()
    try:
        result = generate(scale, seed, password, years, answer_scale,
                          today=today.date() if today else date.today(), echo=click.echo)
    except BenchDataError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"total                        {time.perf_counter() - started:7.1f} s")
    click.echo("rows: " + ", ".join(f"{table} {count:,}" for table, count in result.counts.items()))
    click.echo("logins (the password you gave):")
    for role, email, scope in result.logins:
        click.echo(f"  {role:<22} {email:<32} {scope}")


def run() -> None:
    """``python -m benchdata.cli bench-data ...``: the ``wellbeing`` command with bench-data added (the
    generator is a development tool outside the product, so the product's command lacks it)."""
    if "bench-data" not in main.commands:
        main.add_command(bench_data)
    main()


if __name__ == "__main__":
    run()
