"""The deployment files hold together: the compose file validates with the env example, the example
documents every setting the code reads, the scripts parse, the systemd units verify, nginx accepts its
configuration and gunicorn its own. (tests/test_production.py runs them for real.)

A missing tool (docker-compose, systemd-analyze, nginx, shellcheck) fails the test: `make test`
installs them through scripts/ensure-system-packages.
"""
from __future__ import annotations

import configparser
import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.processes import require
from wellbeing.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
APP_SERVICES = ("migrate", "web", "worker", "scheduler")
SERVICES = {"postgres", "redis", "proxy", "backup", *APP_SERVICES}
#: How the code reads settings: env.get("X", env["X"], _int(env, "X"), os.environ.get("X"), os.getenv("X").
# A WSGI middleware reads its request's environ with the same syntax; those are no settings.
WSGI_KEYS = {"PATH_INFO", "QUERY_STRING", "REQUEST_METHOD", "REMOTE_ADDR", "SCRIPT_NAME", "SERVER_NAME"}
READS = re.compile(r"""(?:\benv(?:iron)?\.get\(|\benv(?:iron)?\[|_int\(\s*env,\s*|os\.getenv\()\s*["']([A-Z][A-Z0-9_]*)["']""")


def _run(argv, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, **kwargs)


def _env_file(tmp_path: Path) -> Path:
    """deploy/env.example with the two secrets an operator must fill in filled in."""
    text = (DEPLOY / "env.example").read_text()
    text = re.sub(r"(?m)^POSTGRES_PASSWORD=$", f"POSTGRES_PASSWORD={secrets.token_hex(12)}", text)
    text = re.sub(r"(?m)^SECRET_KEY=$", f"SECRET_KEY={secrets.token_urlsafe(48)}", text)
    path = tmp_path / "wellbeing.env"
    path.write_text(text)
    return path


def _settings_in(path: Path) -> dict[str, str]:
    """The KEY=value lines that are not comments."""
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(\S.*|)", line)
            assert match, f"{path.name}:{number}: not KEY=value: {line!r}"
            values[match.group(1)] = match.group(2)
    return values


# --- compose ----------------------------------------------------------------------------------

def _compose_config(tmp_path: Path) -> dict:
    env_file = _env_file(tmp_path)
    result = _run([require("docker-compose"), "-f", str(DEPLOY / "compose.yaml"), "--env-file", str(env_file), "config"],
                  env={**os.environ, "WELLBEING_ENV_FILE": str(env_file)})
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_validates_with_the_env_example_and_wires_the_services(tmp_path):
    config = _compose_config(tmp_path)
    services = config["services"]
    assert set(services) == SERVICES
    commands = {name: services[name]["command"] for name in APP_SERVICES}
    assert commands["migrate"] == ["wellbeing", "db", "upgrade"]
    assert commands["worker"] == ["wellbeing", "worker"] and commands["scheduler"] == ["wellbeing", "scheduler"]
    assert commands["web"][0] == "gunicorn" and commands["web"][-1] == "wellbeing.app:create_app()"
    assert "/app/deploy/gunicorn.conf.py" in commands["web"]
    assert services["web"]["environment"]["FORWARDED_ALLOW_IPS"] == "*"
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "scheduler"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy", name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["WELLBEING_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgresql://wellbeing:") and "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["SECRET_KEY"], "the env file's SECRET_KEY reaches the app"
        assert services[name]["read_only"] is True and services[name]["cap_drop"] == ["ALL"], name
    assert "pgdata:/var/lib/postgresql/data:rw" in services["postgres"]["volumes"]
    assert "--appendonly" in services["redis"]["command"] and "yes" in services["redis"]["command"]
    for name in ("postgres", "redis", "web", "proxy"):
        assert services[name]["healthcheck"]["test"], name
    assert any("/readyz" in part for part in services["proxy"]["healthcheck"]["test"])
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}, "only the proxy may be reachable from outside"
    assert {p["target"] for p in services["proxy"]["ports"]} == {80, 443}
    assert set(config["volumes"]) >= {"pgdata", "redisdata", "instance"}


def test_compose_refuses_to_run_without_a_database_password(tmp_path):
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = _run([require("docker-compose"), "-f", str(DEPLOY / "compose.yaml"), "--env-file", str(empty), "config"],
                  env={**os.environ, "WELLBEING_ENV_FILE": str(empty)})
    assert result.returncode != 0 and "POSTGRES_PASSWORD" in result.stderr


def test_the_dockerfile_copies_what_exists_and_runs_as_a_user(tmp_path):
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"(?m)^FROM python:3\.11-slim\b", text)
    users = re.findall(r"(?m)^USER\s+(\S+)", text)
    assert users and users[-1] not in ("root", "0")
    for sources in re.findall(r"(?m)^COPY\s+(.+?)\s+\S+$", text):
        for source in sources.split():
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repository"
    assert "pybabel compile" in text and "pip install" in text
    assert "COPY deploy/gunicorn.conf.py ./deploy/gunicorn.conf.py" in text and "WORKDIR /app" in text


# --- the settings -------------------------------------------------------------------------------

def _names_read_by_the_code() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [*sorted((ROOT / "wellbeing").rglob("*.py")), DEPLOY / "gunicorn.conf.py"]:
        for name in READS.findall(path.read_text()):
            if name not in WSGI_KEYS:
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_env_example_documents_every_setting_the_code_reads():
    read = _names_read_by_the_code()
    from_config = {n for n, files in read.items() if "wellbeing/config.py" in files}
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MIN_RESPONDENTS", "RESET_HOURS"} <= from_config, \
        "the pattern no longer finds config.py's settings; fix READS"
    text = (DEPLOY / "env.example").read_text()
    documented = set(re.findall(r"(?m)^#?\s?([A-Z][A-Z0-9_]*)=", text))
    missing = {name: sorted(files) for name, files in read.items() if name not in documented}
    assert not missing, f"add these to deploy/env.example: {missing}"


def test_the_env_example_documents_every_variable_the_compose_file_uses():
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (DEPLOY / "compose.yaml").read_text()))
    used.discard("WELLBEING_ENV_FILE")  # names the env file itself; set in the shell (see deploy/README.md)
    documented = set(re.findall(r"(?m)^#?\s?([A-Z][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text()))
    assert used and used <= documented, used - documented


def test_the_env_example_is_a_production_configuration_once_its_secrets_are_filled_in(tmp_path):
    values = _settings_in(_env_file(tmp_path))
    settings = load_settings(env=values)
    assert settings.production and settings.redis_url and settings.database_url.startswith("postgresql://")
    assert str(settings.instance_path) == "/var/lib/wellbeing"
    assert settings.base_url.startswith("https://")
    blank = _settings_in(DEPLOY / "env.example")
    assert blank["SECRET_KEY"] == "", "the example must not ship a usable secret"


# --- scripts ----------------------------------------------------------------------------------

SCRIPTS = [DEPLOY / "backup.sh", DEPLOY / "restore.sh", DEPLOY / "pgurl.sh", ROOT / "scripts" / "ensure-system-packages"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_parse_and_pass_shellcheck(script):
    parsed = _run(["bash", "-n", str(script)])
    assert parsed.returncode == 0, parsed.stderr
    checked = _run([require("shellcheck"), "-x", "-P", "SCRIPTDIR", str(script)])
    assert checked.returncode == 0, checked.stdout
    if script.name != "pgurl.sh":  # sourced, not run
        assert os.access(script, os.X_OK), f"{script.name} is not executable"


def test_pgurl_turns_a_database_url_into_libpq_variables():
    url = "postgresql+psycopg://us%40er:p%3As+s@db.example:6543/wb%2Dx?sslmode=require&connect_timeout=5"
    shown = _run(["bash", "-c", 'source "$1"; pg_env_from_url "$2" && env | grep ^PG | sort',
                  "pgurl", str(DEPLOY / "pgurl.sh"), url], env={"PATH": os.environ["PATH"]})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["PGCONNECT_TIMEOUT=5", "PGDATABASE=wb-x", "PGHOST=db.example", "PGPASSWORD=p:s+s",
                                    "PGPORT=6543", "PGSSLMODE=require", "PGUSER=us@er"]
    for bad in ("mysql://h/db", "postgresql://h:5432", "postgresql://h/db?unknown=1"):
        refused = _run(["bash", "-c", 'source "$1"; pg_env_from_url "$2"', "pgurl", str(DEPLOY / "pgurl.sh"), bad])
        assert refused.returncode != 0 and refused.stderr, bad


def test_backup_and_restore_refuse_bad_arguments(tmp_path):
    env = {"PATH": os.environ["PATH"]}
    no_url = _run([str(DEPLOY / "backup.sh"), "--dir", str(tmp_path)], env=env)
    assert no_url.returncode != 0 and "DATABASE_URL" in no_url.stderr
    zero = _run([str(DEPLOY / "backup.sh"), "--keep-days", "0"], env={**env, "DATABASE_URL": "postgresql://h/db"})
    assert zero.returncode != 0 and "at least 1" in zero.stderr
    usage = _run([str(DEPLOY / "restore.sh"), str(tmp_path / "missing.dump")], env=env)
    assert usage.returncode != 0 and "usage" in usage.stderr
    missing = _run([str(DEPLOY / "restore.sh"), str(tmp_path / "missing.dump"), "postgresql://h/db"], env=env)
    assert missing.returncode != 0 and "no readable backup" in missing.stderr
    assert not list(tmp_path.iterdir())


# --- systemd --------------------------------------------------------------------------------------

UNIT_FILES = sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.target")) + sorted(UNITS.glob("*.timer"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(path)
    return parser


def test_the_systemd_units_verify(tmp_path):
    """systemd-analyze verify, with /opt/wellbeing pointed at a stand-in holding the programs."""
    analyze = require("systemd-analyze")
    prefix = tmp_path / "prefix"
    for program in (".venv/bin/gunicorn", ".venv/bin/wellbeing", "deploy/backup.sh"):
        stub = prefix / program
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\n")
        stub.chmod(0o755)
    copies = tmp_path / "units"
    copies.mkdir()
    for unit in UNIT_FILES:
        (copies / unit.name).write_text(unit.read_text().replace("/opt/wellbeing", str(prefix)))
    result = _run([analyze, "verify", "--man=no", *sorted(str(p) for p in copies.iterdir())])
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), \
        result.stdout + result.stderr  # warnings (an unknown key, a typo) count as failures too


def test_the_units_are_hardened_and_ordered_after_the_migration():
    names = {p.name for p in UNIT_FILES}
    assert {"wellbeing-web.service", "wellbeing-worker@.service", "wellbeing-scheduler.service",
            "wellbeing-migrate.service", "wellbeing.target", "wellbeing-backup.service",
            "wellbeing-backup.timer"} <= names
    instance = _settings_in(DEPLOY / "env.example")["WELLBEING_INSTANCE_PATH"]
    for path in UNIT_FILES:
        if path.suffix != ".service":
            continue
        service = _unit(path)["Service"]
        assert service["EnvironmentFile"] == "/etc/wellbeing/wellbeing.env", path.name
        assert service["User"] == "wellbeing" and service["NoNewPrivileges"] == "yes", path.name
        assert service["ProtectSystem"] == "strict" and service["PrivateTmp"] == "yes", path.name
        if path.name == "wellbeing-backup.service":
            assert service["Type"] == "oneshot" and service["ExecStart"].endswith("/deploy/backup.sh")
            assert "BACKUP_DIR=/var/lib/wellbeing-backups" in service["Environment"]
            assert service["ReadWritePaths"] == "/var/lib/wellbeing-backups"
            continue
        assert instance in service["ReadWritePaths"].split(), path.name
        if path.name == "wellbeing-migrate.service":
            assert service["Type"] == "oneshot" and "db upgrade" in service["ExecStart"]
            assert {"wellbeing-web.service", "wellbeing-scheduler.service"} <= set(_unit(path)["Unit"]["Before"].split())
        else:
            assert service["Restart"] == "on-failure", path.name
            unit = _unit(path)["Unit"]
            assert "wellbeing-migrate.service" in unit["Requires"].split() and "wellbeing-migrate.service" in unit["After"].split()
    web = _unit(UNITS / "wellbeing-web.service")["Service"]
    assert "gunicorn -c /opt/wellbeing/deploy/gunicorn.conf.py" in web["ExecStart"]
    assert "GUNICORN_BIND=127.0.0.1:8000" in web["Environment"]
    assert "%i" in (UNITS / "wellbeing-worker@.service").read_text()


# --- nginx and gunicorn -------------------------------------------------------------------------

def test_nginx_accepts_the_configuration(tmp_path):
    nginx = require("nginx")
    subprocess.run([require("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
                   check=True, capture_output=True)
    text = (DEPLOY / "nginx.conf").read_text()
    assert "server web:8000;" in text
    config = tmp_path / "nginx.conf"
    # The compose host name "web" does not resolve here; the rest is tested as written.
    config.write_text(text.replace("server web:8000;", "server 127.0.0.1:8000;")
                      .replace("/etc/nginx/certs/", f"{tmp_path}/").replace("pid /tmp/nginx.pid;", f"pid {tmp_path}/nginx.pid;"))
    result = _run([nginx, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(config)])
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


def test_the_proxy_allows_a_little_more_than_the_app_and_only_tls_12_and_13():
    text = (DEPLOY / "nginx.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", text).group(1)) * 1024 * 1024
    app_limit = load_settings(env={}).flask_config()["MAX_CONTENT_LENGTH"]
    assert app_limit < limit <= app_limit + 4 * 1024 * 1024
    assert re.findall(r"ssl_protocols ([^;]+);", text) == ["TLSv1.2 TLSv1.3"]
    assert "access_log /dev/stdout json;" in text and "$request_uri" not in text.split("log_format", 1)[1].split(";", 1)[0]


def test_gunicorn_s_database_connections_fit_postgresql_s_default_limit(monkeypatch):
    """The deployed defaults fit PostgreSQL's default max_connections (100) with the RQ workers, the
    scheduler and a reserve, however many threads wait for a connection (deploy/README.md)."""
    for name in ("GUNICORN_WORKER_CLASS", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_POOL_SIZE", "")   # recorded, so the conf's setdefault is undone afterwards
    monkeypatch.delenv("DATABASE_POOL_SIZE")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    pool = load_settings(env={"DATABASE_POOL_SIZE": os.environ["DATABASE_POOL_SIZE"]}).database_pool_size
    assert conf["worker_class"] == "gthread" and 1 <= pool <= conf["threads"]
    per_process = 2 * pool + 2             # the request pool, the autocommit pool, the readiness probe's
    others = 2 * (2 + 1) + 10              # two RQ workers and the scheduler; migrations, backups, psql
    assert conf["workers"] * per_process + others <= 100
    # Fewer threads than the default pool: no connection that no thread could use.
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    monkeypatch.delenv("DATABASE_POOL_SIZE")
    runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert os.environ["DATABASE_POOL_SIZE"] == "4"
    # The operator's number wins.
    monkeypatch.setenv("DATABASE_POOL_SIZE", "12")
    runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert os.environ["DATABASE_POOL_SIZE"] == "12"


def test_gunicorn_accepts_its_configuration_and_keeps_its_access_log_off():
    env = {**os.environ, "WELLBEING_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "BASE_URL": "https://welbevinden.example.nl"}
    env.pop("LOG_FORMAT", None)
    result = _run([str(Path(sys.executable).parent / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"),
                   "--print-config", "wellbeing.app:create_app()"], env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"(?m)^(\w+)\s+= (.*)$", result.stdout))
    assert printed["accesslog"] == "None" and printed["worker_class"] == "gthread"
    assert "wellbeing.logs.JsonFormatter" in printed["logconfig_dict"]
    assert "'gunicorn.access': {'level': 'CRITICAL', 'handlers': []" in printed["logconfig_dict"]
    assert int(printed["max_requests"]) >= 10_000  # a worker's restart costs a second of CPU
