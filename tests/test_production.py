"""The production stack as real processes: PostgreSQL, Redis, `wellbeing db upgrade`, two gunicorn
web nodes with deploy/gunicorn.conf.py (nginx balances between them: no state may live in one
process), an RQ worker, the scheduler and nginx with deploy/nginx.conf in front (TLS on a free port). A coordinator runs a whole round over HTTPS, three team members answer through the
/r/ pages, the worker makes the school report; then deploy/backup.sh and deploy/restore.sh copy the
database and the copy is compared table by table.

Every process and database is removed afterwards, also when a step fails. A missing binary fails the
test: `make test` installs them (scripts/ensure-system-packages).
"""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests import services
from tests.processes import Processes, http_status, require, wait_until
from wellbeing.schoolyear import SchoolYear

# End to end, like the browser journeys: runs in the PostgreSQL run of `make test`, not the SQLite one.
pytestmark = pytest.mark.production

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
COORDINATOR = ("school@demo.welbevinden.nl", "welbevinden-demo")
CODE = re.compile(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b")
WEB_NODES = ("web", "web-2")


@dataclass
class Stack:
    base: str                 # https://127.0.0.1:PORT, through nginx
    http_port: int
    status_port: int
    tls: ssl.SSLContext       # trusts the throwaway certificate
    database_url: str
    admin_url: str            # a superuser connection, for creating databases and comparing them
    role: str
    env: dict[str, str]
    processes: Processes
    tmp: Path


# --- a small browser: cookies, CSRF tokens, same-origin Referer -------------------------------

@dataclass
class Page:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path

    def csrf_token(self) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.text) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', self.text)
        assert match, f"no CSRF token on {self.url}"
        return match.group(1)


class Browser:
    """Follows redirects, keeps cookies (Secure ones too: this is HTTPS) and sends the Referer a
    browser sends under Referrer-Policy: same-origin, which the CSRF check over HTTPS needs."""

    def __init__(self, stack: Stack) -> None:
        self.base = stack.base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  urllib.request.HTTPSHandler(context=stack.tls))
        self.referer = self.base + "/"

    def get(self, path: str, headers: dict[str, str] | None = None) -> Page:
        return self._open(urllib.request.Request(self.base + path, headers=headers or {}))

    def post(self, path: str, data: dict[str, str], headers: dict[str, str] | None = None) -> Page:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, headers=headers or {}))

    def submit(self, path: str, data: dict[str, str], form_page: Page | None = None) -> Page:
        """Post a form with the CSRF token of ``form_page`` (default: GET ``path`` first)."""
        form_page = form_page or self.get(path)
        return self.post(path, {"csrf_token": form_page.csrf_token(), **data})

    def _open(self, request: urllib.request.Request) -> Page:
        request.add_header("Referer", self.referer)
        request.add_header("User-Agent", "wellbeing-production-test")
        try:
            with self.opener.open(request, timeout=60) as response:
                page = Page(response.status, response.geturl(), dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            page = Page(error.code, error.geturl(), dict(error.headers), error.read())
        self.referer = page.url
        return page


# --- the stack ------------------------------------------------------------------------------------

def _run(argv: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


def _admin(url: str):
    return psycopg.connect(url, autocommit=True)


def _with_database(url: str, database: str, user: str | None = None, password: str | None = None) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    if user:
        netloc = f"{urllib.parse.quote(user)}:{urllib.parse.quote(password or '', safe='')}@{netloc}"
    elif parts.username:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return urllib.parse.urlunsplit((parts.scheme, netloc, "/" + database, parts.query, ""))


def _certificate(folder: Path) -> Path:
    """A throwaway certificate for 127.0.0.1 (the test's client trusts exactly this one)."""
    require("openssl")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "privkey.pem"),
                    "-out", str(folder / "fullchain.pem")], check=True, capture_output=True)
    return folder / "fullchain.pem"


def _nginx_config(folder: Path, scratch: Path, web_ports: list[int], http_port: int, https_port: int,
                  status_port: int) -> Path:
    """deploy/nginx.conf with this machine's ports (one upstream server per web node), certificate
    and scratch folder put in."""
    text = (DEPLOY / "nginx.conf").read_text()
    replacements = [
        ("server web:8000;", "\n        ".join(f"server 127.0.0.1:{port};" for port in web_ports)),
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen 443 ssl http2 default_server;", f"listen 127.0.0.1:{https_port} ssl http2 default_server;"),
        ("listen 127.0.0.1:8081;", f"listen 127.0.0.1:{status_port};"),
        ("/etc/nginx/certs/", f"{folder}/"),
        ("pid /tmp/nginx.pid;", f"pid {folder}/nginx.pid;"),
    ]
    for old, new in replacements:
        assert old in text, f"deploy/nginx.conf no longer has {old!r}; update this test"
        text = text.replace(old, new)
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)  # the test host may have no IPv6
    temp_paths = "".join(f"    {kind}_temp_path {scratch}/{kind};\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = text.replace("http {\n", "http {\n" + temp_paths, 1)
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    for binary in ("nginx", "pg_dump", "pg_restore", "psql", "redis-server"):
        require(binary)
    tmp = tmp_path_factory.mktemp("production")
    suffix = secrets.token_hex(4)
    role, live = f"wb_role_{suffix}", f"wb_live_{suffix}"
    password = "pw@" + secrets.token_hex(8)  # an "@" to prove the URL handling in backup.sh/restore.sh
    with ExitStack() as cleanup:
        admin_url = cleanup.enter_context(services.postgres())
        redis_url = cleanup.enter_context(services.redis())
        with _admin(admin_url) as connection:
            connection.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)))
            connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(live), sql.Identifier(role)))
        cleanup.callback(_drop, admin_url, role)
        database_url = _with_database(admin_url, live, role, password)

        ports = {name: services.free_port() for name in ("web", "web-2", "http", "https", "status")}
        certificate = _certificate(tmp)
        tls = ssl.create_default_context(cafile=str(certificate))
        instance = tmp / "instance"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TEST_", "WELLBEING_", "FLASK_", "MAIL_", "PG", "GUNICORN_", "LOG_FORMAT"))}
        env.update(WELLBEING_ENV="production", SECRET_KEY=secrets.token_urlsafe(48), DATABASE_URL=database_url,
                   REDIS_URL=redis_url, WELLBEING_INSTANCE_PATH=str(instance),
                   BASE_URL=f"https://127.0.0.1:{ports['https']}", PYTHONUNBUFFERED="1")

        assert "database at head" in _run([str(BIN / "wellbeing"), "db", "upgrade"], env).stdout
        assert COORDINATOR[0] in _run([str(BIN / "wellbeing"), "demo"], env).stdout

        # nginx's workers (www-data when started as root) buffer bodies here: outside pytest's 0700 folders.
        scratch = Path(tempfile.mkdtemp(prefix="wellbeing-nginx-"))
        scratch.chmod(0o777)
        cleanup.callback(shutil.rmtree, scratch, True)
        processes = cleanup.enter_context(Processes(tmp / "logs"))  # stopped before the folders go
        for node in WEB_NODES:  # two web nodes on one database and one Redis
            processes.start(node, [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), "--bind",
                                   f"127.0.0.1:{ports[node]}", "--workers", "2", "wellbeing.app:create_app()"],
                            {**env, "FORWARDED_ALLOW_IPS": "127.0.0.1"}, cwd=ROOT)
        processes.start("worker", [str(BIN / "wellbeing"), "worker"], env, cwd=ROOT)
        processes.start("scheduler", [str(BIN / "wellbeing"), "scheduler"], env, cwd=ROOT)
        config = _nginx_config(tmp, scratch, [ports[node] for node in WEB_NODES], ports["http"], ports["https"],
                               ports["status"])
        processes.start("nginx", [require("nginx"), "-e", "stderr", "-p", str(tmp), "-c", str(config),
                                  "-g", "daemon off;"], env)

        base = f"https://127.0.0.1:{ports['https']}"
        for node in WEB_NODES:
            wait_until(lambda node=node: http_status(f"http://127.0.0.1:{ports[node]}/readyz") == 200, 60,
                       f"{node}'s /readyz", processes.check_alive)
        wait_until(lambda: http_status(f"{base}/readyz", context=tls) == 200, 30, "/readyz through nginx",
                   processes.check_alive)
        yield Stack(base, ports["http"], ports["status"], tls, database_url, admin_url, role, env, processes, tmp)


def _drop(admin_url: str, role: str) -> None:
    with _admin(admin_url) as connection:
        for (name,) in connection.execute("SELECT datname FROM pg_database WHERE datdba = "
                                          "(SELECT oid FROM pg_roles WHERE rolname = %s)", (role,)).fetchall():
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


# --- the round --------------------------------------------------------------------------------

def _answer(stack: Stack, code: str, value: str) -> None:
    """One team member: code entry, autosave on the first page, a form post per page, review, send."""
    member = Browser(stack)
    page = member.submit("/r", {"code": code.lower()})
    assert page.status == 200 and page.path == "/r/answers/1", (page.status, page.url)
    number = 1
    while True:
        items = list(dict.fromkeys(re.findall(r'name="item-([^"]+)"', page.text)))
        assert items, f"no statements on {page.path}"
        data = {f"item-{item}": value for item in items}
        if number == 1:
            token = page.csrf_token()
            for item in items:
                saved = member.post("/r/answers/autosave", {"item": item, "value": value}, {"X-CSRFToken": token})
                assert (saved.status, json.loads(saved.body)) == (200, {"saved": True}), saved.text[:500]
            reloaded = member.get("/r/answers/1")
            for item in items:
                assert re.search(rf'name="item-{re.escape(item)}" value="{value}" checked', reloaded.text), item
            data["category"] = "teacher"
        page = member.post(page.path, {"csrf_token": page.csrf_token(), "go": "next", **data})
        assert page.status == 200, (page.status, page.url, page.text[:500])
        if page.path == "/r/answers/review":
            break
        number += 1
        assert page.path == f"/r/answers/{number}"
    thanks = member.submit("/r/answers/review", {}, form_page=page)
    assert thanks.status == 200
    assert member.get("/r/answers/1").status == 404  # sent: nothing opens the answers any more
    assert Browser(stack).submit("/r", {"code": code}).status == 400  # nor the code, anywhere


def test_a_whole_round_and_the_report_through_nginx_gunicorn_worker_and_scheduler(stack):
    coordinator = Browser(stack)
    home = coordinator.submit("/login", {"email": COORDINATOR[0], "password": COORDINATOR[1]})
    assert home.status == 200, home.text[:500]
    school_id = int(re.match(r"/school/(\d+)", home.path).group(1))

    year = str(SchoolYear.current() + 1)
    detail = coordinator.submit(f"/school/{school_id}/rounds", {"school_year": year, "mode": "individual"})
    round_path = detail.path
    assert re.fullmatch(rf"/school/{school_id}/rounds/\d+", round_path), (detail.status, detail.url)
    sheet = coordinator.submit(f"{round_path}/codes", {"count": "3"}, form_page=detail)
    codes = list(dict.fromkeys(CODE.findall(sheet.text)))
    assert sheet.status == 200 and len(codes) == 3

    for code, value in zip(codes, ["1", "4", "3"], strict=True):
        _answer(stack, code, value)

    team = coordinator.get(f"{round_path}/team")
    assert "Versie 1 van het teambeeld, op basis van 3 teamleden." in team.text
    _check_every_answer_kept(stack, int(round_path.rsplit("/", 1)[1]), ["1", "4", "3"])
    for action in ("close", "finalise"):
        page = coordinator.submit(f"{round_path}/status", {"action": action}, form_page=coordinator.get(round_path))
        assert page.status == 200 and page.path == round_path
    assert "Afgerond" in coordinator.get(round_path).text

    report_page = f"/school/{school_id}/report"
    requested = coordinator.submit(report_page, {"locale": "nl"})
    assert requested.status == 200 and requested.path == report_page
    link = re.compile(rf'href="(/school/{school_id}/report/\d+\.pdf)"')
    found: dict[str, str] = {}

    def report_ready() -> bool:
        page = coordinator.get(report_page)
        assert 'class="report-failed"' not in page.text, "the worker failed to make the report"
        match = link.search(page.text)
        if match:
            found["url"] = match.group(1)
        return bool(match)
    wait_until(report_ready, 120, "the worker to make the report", stack.processes.check_alive, interval=0.5)
    pdf = coordinator.get(found["url"])
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.body.startswith(b"%PDF-") and b"%%EOF" in pdf.body[-1024:] and len(pdf.body) > 10_000

    _check_proxy(stack, pdf)
    _check_scheduler(stack)
    _check_logs(stack, codes, pdf.headers["X-Request-ID"])


def _check_every_answer_kept(stack: Stack, round_id: int, values: list[str]) -> None:
    """Every statement of every member is stored with the value that member gave, whichever web
    node took the request; and both nodes took part of the round."""
    with psycopg.connect(stack.database_url) as connection:
        rows = connection.execute(
            "SELECT r.id, count(a.item_id), array_agg(DISTINCT a.value) FROM respondent r "
            "JOIN answer a ON a.respondent_id = r.id WHERE r.round_id = %s AND r.submitted_at IS NOT NULL "
            "GROUP BY r.id ORDER BY r.id", [round_id]).fetchall()
    assert len(rows) == len(values), rows
    counts = {count for _, count, _ in rows}
    assert len(counts) == 1 and counts.pop() >= 20, rows  # the whole checklist, for each of them
    assert [answered for _, _, answered in rows] == [[int(v)] for v in values]
    for node in WEB_NODES:
        served = [line for line in _json_lines(node, stack.processes.running[node].output())
                  if line.get("logger") == "wellbeing.access" and line["path"].startswith("/r/")]
        assert served, f"{node} served no respondent request: nginx did not balance"


def _check_proxy(stack: Stack, page: Page) -> None:
    """TLS 1.2+, security headers, the redirect to HTTPS, nginx's request id, the body limits."""
    headers = {k.lower(): v for k, v in page.headers.items()}
    assert headers["strict-transport-security"].startswith("max-age=63072000")
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin" and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "server" not in headers or headers["server"] == "nginx"  # no version
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])  # nginx's $request_id, echoed by the app

    host = urllib.parse.urlsplit(stack.base)
    with stack.tls.wrap_socket(socket.create_connection((host.hostname, host.port), timeout=10),
                               server_hostname=host.hostname) as tls_socket:
        assert tls_socket.version() in ("TLSv1.2", "TLSv1.3")
    # A client that offers only TLS 1.0/1.1 (allowed on our side at security level 0) is refused.
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.check_hostname, old.verify_mode = False, ssl.CERT_NONE
    old.set_ciphers("ALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # that is the point
        old.minimum_version, old.maximum_version = ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1
    with pytest.raises(ssl.SSLError):
        http.client.HTTPSConnection(host.hostname, host.port, context=old, timeout=10).request("GET", "/healthz")

    # The compose health check's listener: /readyz through nginx, nothing else.
    assert http_status(f"http://127.0.0.1:{stack.status_port}/readyz") == 200
    assert http_status(f"http://127.0.0.1:{stack.status_port}/login") == 404

    plain = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    plain.request("GET", "/login?next=/x")
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location").startswith("https://127.0.0.1")
    assert redirect.getheader("Location").endswith("/login?next=/x")

    def post_size(size: int, send_body: bool) -> http.client.HTTPResponse:
        conn = http.client.HTTPSConnection(host.hostname, host.port, context=stack.tls, timeout=60)
        conn.putrequest("POST", "/login")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        if send_body:
            conn.send(b"a=" + b"x" * (size - 2))
        return conn.getresponse()
    too_big_for_nginx = post_size(11 * 1024 * 1024, send_body=False)
    assert too_big_for_nginx.status == 413 and too_big_for_nginx.getheader("X-Request-ID") is None  # nginx said no
    too_big_for_the_app = post_size(9 * 1024 * 1024, send_body=True)
    assert too_big_for_the_app.status == 413 and too_big_for_the_app.getheader("X-Request-ID")  # the app said no


def _check_scheduler(stack: Stack) -> None:
    """The scheduler queued its hourly job at start-up and a worker ran it."""
    def claimed() -> bool:
        with psycopg.connect(stack.database_url) as connection:
            return bool(connection.execute("SELECT count(*) FROM sent_notice WHERE kind = %s",
                                           ("periodic:remind-closing-rounds",)).fetchone()[0])
    wait_until(claimed, 60, "the scheduler's first tick", stack.processes.check_alive)
    wait_until(lambda: "remind_closing_rounds" in stack.processes.running["worker"].output(), 60,
               "the worker to run the periodic job", stack.processes.check_alive)


def _json_lines(name: str, text: str, only_objects: bool = False) -> list[dict]:
    """Every line of ``text`` as JSON; with ``only_objects``, the lines that start with "{"."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and (not only_objects or line.startswith("{")):
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                pytest.fail(f"{name} log line {number} is not JSON: {line[:300]}")
    return lines


def _check_logs(stack: Stack, codes: list[str], request_id: str) -> None:
    logs = {name: running.output() for name, running in stack.processes.running.items()}
    web = [line for node in WEB_NODES for line in _json_lines(node, logs[node])]
    worker = _json_lines("worker", logs["worker"])
    nginx = _json_lines("nginx", logs["nginx"], only_objects=True)  # its error log is text
    _json_lines("scheduler", logs["scheduler"])
    everything = "\n".join(logs.values())
    for code in codes:
        assert code not in everything and code.lower() not in everything, f"respondent code {code} in a log"
    assert COORDINATOR[1] not in everything, "a password in a log"

    access = [line for line in web if line.get("logger") == "wellbeing.access"]
    assert {"time", "level", "logger", "message", "request_id", "method", "path", "status", "duration_ms"} <= set(access[0])
    respondent = [line for line in access if line["path"].startswith("/r/")]
    assert respondent and all(line["path"].startswith("/r/***") for line in respondent)
    assert any(line["request_id"] == request_id and line["path"].endswith(".pdf") for line in access)
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in web)
    assert not [line for line in web if line["level"] in ("ERROR", "CRITICAL")], "errors in the web log"
    assert any("Job OK" in line["message"] for line in worker)
    assert any(line.get("request_id") == request_id and line["path"].endswith(".pdf") for line in nginx)
    assert all("?" not in line["path"] for line in nginx)


# --- backups ------------------------------------------------------------------------------------

def _snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and an md5 of its rows, and every sequence's last value."""
    result: dict[str, tuple[int, str]] = {}
    with psycopg.connect(url) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]
        for table in tables:
            count, digest = connection.execute(sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {} t"
            ).format(sql.Identifier(table))).fetchone()
            result[table] = (count, digest)
        for (sequence,) in connection.execute("SELECT sequence_name FROM information_schema.sequences "
                                              "WHERE sequence_schema = 'public'").fetchall():
            value = connection.execute(sql.SQL("SELECT last_value FROM {}").format(sql.Identifier(sequence))).fetchone()
            result[f"sequence {sequence}"] = (value[0], "")
    return result


def _script(name: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(DEPLOY / name), *args], env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_backup_and_restore_give_an_identical_database(stack):
    for name in ("scheduler", "worker", *WEB_NODES, "nginx"):  # nothing may write while we compare
        assert stack.processes.stop(name) == 0, f"{name} did not stop cleanly"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    folder = stack.tmp / "backups"
    folder.mkdir()
    database = urllib.parse.urlsplit(stack.database_url).path.lstrip("/")
    expired, recent, unrelated = (folder / f"{database}-20200101T000000Z.dump", folder / f"{database}-recent.dump",
                                  folder / "notes.txt")
    for path, days in ((expired, 30), (recent, 2), (unrelated, 30)):
        path.write_text("old")
        os.utime(path, (time.time() - days * 86400,) * 2)

    app_style_url = stack.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    made = _script("backup.sh", ["--dir", str(folder)], {**env, "DATABASE_URL": app_style_url,
                                                            "BACKUP_KEEP_DAYS": "14"})
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.parent == folder and re.fullmatch(rf"{database}-\d{{8}}T\d{{6}}Z\.dump", dump.name)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert not expired.exists() and recent.exists() and unrelated.exists(), made.stderr
    assert not list(folder.glob("*.partial"))

    source = _snapshot(stack.database_url)
    assert source["respondent"][0] >= 3 and source["answer"][0] > 0 and source["report"][0] >= 1

    target_name = f"wb_copy_{secrets.token_hex(4)}"
    with _admin(stack.admin_url) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(target_name),
                                                                         sql.Identifier(stack.role)))
    parts = urllib.parse.urlsplit(stack.database_url)
    target_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + target_name, "", ""))
    restored = _script("restore.sh", [str(dump), target_url], env)
    assert restored.returncode == 0, restored.stderr
    assert _snapshot(target_url) == source

    refused = _script("restore.sh", [str(dump), target_url], env)
    assert refused.returncode != 0 and "not empty" in refused.stderr and "--force" in refused.stderr
    with psycopg.connect(target_url, autocommit=True) as connection:
        connection.execute("DELETE FROM answer")
    forced = _script("restore.sh", ["--force", str(dump), target_url], env)
    assert forced.returncode == 0, forced.stderr
    assert _snapshot(target_url) == source

    unreachable = parts._replace(netloc=f"{parts.username}@127.0.0.1:{services.free_port()}").geturl()
    failed = _script("backup.sh", ["--dir", str(folder)], {**env, "DATABASE_URL": unreachable})
    assert failed.returncode != 0 and "pg_dump" in failed.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted([dump.name, recent.name, unrelated.name])
    shutil.rmtree(folder)
