"""The ``wellbeing`` command: Flask's commands plus db, demo, create-admin, import-schools, worker."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from wellbeing import db


def _create_app():
    from wellbeing.app import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Welbevinden in beeld."""


def alembic_config():
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["database_url"] = current_app.extensions["wellbeing.settings"].database_url
    return config


@main.group("db")
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from alembic import command

    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)  # the SQLite file lives there
    command.upgrade(alembic_config(), revision)
    click.echo(f"database at {revision}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(), revision)


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Platform administrator")
@click.password_option()
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create a platform administrator (or give an existing user that role)."""
    from wellbeing.accounts.models import Membership, Role, User
    from wellbeing.accounts.security import MIN_PASSWORD_LENGTH, hash_password
    from wellbeing.accounts.service import user_by_email

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    user = user_by_email(email) or User(email=email.strip().lower(), name=name)
    user.password_hash = hash_password(password)
    if not user.has_role(Role.PLATFORM_ADMIN):
        user.memberships.append(Membership(role=Role.PLATFORM_ADMIN))
    db.session.add(user)
    db.session.commit()
    click.echo(f"platform administrator {user.email} ready")


@main.command("import-schools")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--region", "region_code", help="Region code in which unknown municipalities are created.")
@with_appcontext
def import_schools_command(path: Path, region_code: str | None) -> None:
    """Import a DUO-style school list; nothing is written unless every row is valid."""
    from wellbeing.tenancy.importer import import_schools

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path}: not UTF-8 text; save the file as UTF-8 CSV") from None
    result = import_schools(text, region_code)
    if not result.ok:
        db.session.rollback()
        for line, reason in result.errors:
            click.echo(f"{path}:{line}: {reason}" if line else f"{path}: {reason}", err=True)
        click.echo(f"{len(result.errors)} problem(s); nothing was imported", err=True)
        sys.exit(1)
    db.session.commit()  # the new and moved schools' summaries follow (wellbeing/changes.py)
    click.echo(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
               f"{result.municipalities_created} municipalities created"
               + (f"; the overviews follow {len(result.moved)} moved school(s)" if result.moved else ""))


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo region with schools and one user per role, and print the logins."""
    from wellbeing.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo

    logins = load_demo()
    db.session.commit()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<22} {email}")
    click.echo(f"Every role but school_coordinator also asks for a code: add the key {DEMO_TOTP_SECRET} to an\n"
               "authenticator app, or run `.venv/bin/wellbeing demo-code` for the current code.")


@main.command("demo-code")
def demo_code_command() -> None:
    """Print the current second-factor code of the demo users (their secret is public)."""
    import pyotp

    from wellbeing.demo import DEMO_TOTP_SECRET

    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())


@main.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run an RQ worker on every queue (needs REDIS_URL)."""
    from rq import Worker

    from wellbeing import jobs
    from wellbeing.jobs import worker as job_worker

    job_worker.bind(current_app._get_current_object())
    connection = jobs.redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: without it jobs run inline and no worker is needed")
    # A short heartbeat, so a worker killed with its work horse is found out (AbandonedJobError) within
    # a minute and a half; and after a Redis outage it looks again every 10 s, not up to a minute.
    worker = Worker(list(jobs.QUEUES), connection=connection, job_monitoring_interval=10)
    worker.max_connection_wait_time = 10.0
    worker.work(burst=burst)


@main.command("scheduler")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between checks.")
@click.option("--dispatch-interval", default=5.0, show_default=True,
              help="Seconds between sending jobs that waited for Redis and repairing lost ones.")
@with_appcontext
def scheduler(interval: float, dispatch_interval: float) -> None:
    """Queue the periodic jobs when due (reminders, the nightly summary refresh), send recorded jobs
    Redis could not take and repair jobs RQ lost. Run one."""
    from wellbeing.periodic import schedule

    schedule.run(interval, dispatch_interval)


@main.group("periodic")
def periodic_group() -> None:
    """Periodic jobs, by hand."""


@periodic_group.command("run")
@click.argument("name")
@with_appcontext
def periodic_run(name: str) -> None:
    """Run one periodic job now, in this process (it still takes its lock)."""
    from wellbeing.periodic.schedule import PERIODIC

    found = {p.name: p for p in PERIODIC}
    if name not in found:
        raise click.ClickException(f"unknown periodic job {name!r}; known: {', '.join(sorted(found))}")
    click.echo(f"{name}: {found[name].job()}")


@main.group("summaries")
def summaries_group() -> None:
    """Summary tables behind the portfolio and the overviews."""


@summaries_group.command("refresh")
@click.option("--region", "region_code", help="Only the schools of the region with this code.")
@click.option("--full", is_flag=True, help="Recompute finalised rounds too (after changing MIN_RESPONDENTS).")
@with_appcontext
def summaries_refresh(region_code: str | None, full: bool) -> None:
    """Recompute the summaries of every school (e.g. after an import or at night)."""
    import time

    from wellbeing.summaries.refresh import refresh_all
    from wellbeing.tenancy.models import Region

    region_id = None
    if region_code:
        region_id = db.session.scalar(select(Region.id).where(Region.code == region_code))
        if region_id is None:
            raise click.ClickException(f"no region with code {region_code!r}")
    started = time.perf_counter()
    count = refresh_all(region_id=region_id, full=full)
    db.session.commit()
    click.echo(f"refreshed {count} schools in {time.perf_counter() - started:.1f} s; the overviews change "
               "with the next release (`wellbeing overview release`)")


@main.group("overview")
def overview_group() -> None:
    """Releases of the municipality, region and national figures."""


@overview_group.command("release")
@with_appcontext
def overview_release() -> None:
    """Make a release now: compute, audit against every earlier release, store; pages show it."""
    from wellbeing.release.job import make_release

    release = make_release(reason="manual")
    db.session.commit()
    click.echo(f"release {release.id}: {release.cells} cells, {release.hidden} hidden, audited in "
               f"{release.seconds:.1f} s; next release on {release.next_release_on.isoformat()}")


@main.command("users")
@with_appcontext
def list_users() -> None:
    """List users and their roles."""
    from wellbeing.accounts.models import User

    for user in db.session.scalars(select(User).order_by(User.email)):
        click.echo(f"{user.email}: {', '.join(sorted(r.value for r in user.roles()))}")


@main.group("instruments")
def instruments_group() -> None:
    """Instrument files in instruments/."""


@instruments_group.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to check (default: the project's instruments/).")
def instruments_check(directory: Path | None) -> None:
    """Validate every instrument file; print id, version and item count of each."""
    from wellbeing.instruments.registry import INSTRUMENT_DIR, load_directory
    from wellbeing.instruments.schema import InstrumentError

    try:
        registry = load_directory(directory or INSTRUMENT_DIR)
    except InstrumentError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for instrument in registry:
        count = instrument.item_count() if hasattr(instrument, "item_count") else 0
        click.echo(f"{instrument.kind:<16} {instrument.id:<28} v{instrument.version:<3} {count} items "
                   f"({registry.files[(instrument.id, instrument.version)].name})")
    click.echo(f"{len(registry)} instrument(s) valid")
