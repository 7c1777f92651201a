"""Log lines for people and for log collectors, with a request id and an access line per request.

JSON (one object per line) when ``WELLBEING_ENV=production`` or ``LOG_FORMAT=json``; plain text
otherwise (``LOG_FORMAT=text`` forces it in production). Every line written while a request runs
carries its request id, method and path; the access line adds the status and the duration.

Some paths hold secrets: respondent codes (``/r/<code>/...``), invitation and reset tokens. They are
logged as ``/r/***/...``; query strings are never logged. The same masking runs over every message
(an e-mail body in the outbox log, an RQ job description), along with passwords in URLs and
``password=`` pairs, so no line carries a code, a token or a password whoever wrote it.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import IO

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
ACCESS_LOGGER = "wellbeing.access"
#: An incoming request id is kept only when it is short and made of safe characters.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SECRET_PATH = re.compile(r"(/(?:r|invitation|reset)/)(?!\*\*\*)[^/\s?#\"'<>]+")
_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^:/\s@]*:)[^@\s/]+@", re.IGNORECASE)
_PASSWORD_PAIR = re.compile(r"((?:password|passwd|pwd|secret_key)\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s&,;]+)",
                            re.IGNORECASE)
_OURS = "_wellbeing_handler"


def redact(text: str) -> str:
    """``text`` with respondent codes, invitation/reset tokens and passwords replaced by ``***``."""
    text = _SECRET_PATH.sub(r"\1***", text)
    text = _URL_PASSWORD.sub(r"\1***@", text)
    return _PASSWORD_PAIR.sub(r"\1***", text)


def loggable_path(path: str) -> str:
    """The path as it may be logged: secrets masked, never a query string."""
    return redact(path.split("?", 1)[0])


def wanted_format(production: bool, log_format: str | None) -> str:
    """"json" or "text": ``LOG_FORMAT`` when it names one, else JSON in production."""
    chosen = (log_format or "").strip().lower()
    if chosen in ("json", "text"):
        return chosen
    return "json" if production else "text"


def format_from_environment(environ: dict[str, str] | None = None) -> str:
    """The format for a process that has no app yet (gunicorn's master reads this)."""
    environ = os.environ if environ is None else environ
    return wanted_format(environ.get("WELLBEING_ENV") == "production", environ.get("LOG_FORMAT"))


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``method`` and ``path`` of the running request (if any) to a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            if not hasattr(record, "request_id"):
                record.request_id = g.get("request_id")
            if not hasattr(record, "method"):
                record.method = request.method
            if not hasattr(record, "path"):
                record.path = loggable_path(request.path)
        return True


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the request fields that apply."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {"time": _timestamp(record), "level": record.levelname, "logger": record.name,
                                    "message": redact(record.getMessage())}
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger [request id]: message`` for people reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request_tag)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_tag = f" [{request_id}]" if request_id else ""
        return redact(super().format(record))


def make_handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing ``log_format`` ("json" or "text") lines to ``stream`` (default stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(RequestContextFilter())
    return handler


def install(log_format: str) -> logging.Handler | None:
    """Put our handler on the root logger, replacing one an earlier app installed.

    Leaves logging alone when something else configured the root logger already (pytest's capture,
    an embedding program): its handlers win. Returns the installed handler, if any.
    """
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, _OURS, False)]
    if len(ours) != len(root.handlers):
        return None
    for handler in ours:
        root.removeHandler(handler)
    handler = make_handler(log_format)
    setattr(handler, _OURS, True)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return handler


def init_app(app: Flask) -> None:
    """Configure the process's log lines and give every request an id and an access line."""
    settings = app.extensions["wellbeing.settings"]
    log_format = wanted_format(settings.production, app.config.get("LOG_FORMAT") or os.environ.get("LOG_FORMAT"))
    if install(log_format) is not None:
        from flask.logging import default_handler
        app.logger.removeHandler(default_handler)  # the root handler writes app.logger's lines too
    app.before_request(_start_request)
    app.after_request(_finish_request)


def request_id_from(value: str | None) -> str:
    """The caller's id when it is safe to echo and log, otherwise a new one."""
    if value and _SAFE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _start_request() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    path = loggable_path(request.path)
    logging.getLogger(ACCESS_LOGGER).info(
        "%s %s %s %s ms", request.method, path, response.status_code, duration,
        extra={"request_id": request_id, "method": request.method, "path": path,
               "status": response.status_code, "duration_ms": duration})
    return response
