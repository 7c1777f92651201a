"""The one gate for input: where bad input stops before a view, a form or the database sees it.

- Ids in URLs are bounded integers: Werkzeug's ``int`` converter is replaced for every route, so an
  id beyond a PostgreSQL ``integer`` is a 404, not a database error.
- Control characters (NUL and the other C0 characters except tab, newline and carriage return, and
  DEL) are refused in every query argument, form field and file name, with a page that says so,
  before the view runs: nothing is written for a refused request. Forms add the same check per
  field and lengths (``wellbeing.forms.BaseForm``).
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request, url_for
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

#: The largest value of a PostgreSQL ``integer`` (the type of every id column).
MAX_ID = 2**31 - 1
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Longest file name kept from an upload (the stored name is shortened further by its owner).
MAX_FILE_NAME = 200


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character no text field accepts (tab and line breaks are fine)."""
    return CONTROL.search(text) is not None


def strip_control(text: str) -> str:
    return CONTROL.sub("", text)


class BoundedInt(IntegerConverter):
    """``<int:...>`` limited to 0..MAX_ID: beyond it the URL matches nothing (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        if self.max is None or self.max > MAX_ID:
            self.max = MAX_ID


class InputRefused(BadRequest):
    """A request carried a control character; the error page explains it (see ``app``)."""


def refuse_control_characters() -> None:
    """Before every view: a control character anywhere in the query, the form or a file name refuses
    the whole request with a 400 that says why."""
    values = [*request.args.keys(), *request.args.values(),
              *(v for v in (request.view_args or {}).values() if isinstance(v, str))]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        values += [*request.form.keys(), *request.form.values()]
        values += [f.filename or "" for f in request.files.values()]
    if any(has_control(value) for value in values):
        raise InputRefused()


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered: their rules pick the converter up then."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(refuse_control_characters)


def safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login or a language switch; none with control
    characters or backslashes (a line break would end the Location header, a backslash reads as a slash)."""
    if target and not has_control(target) and not any(c in target for c in "\\\n\r\t") and len(target) <= 2000:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")
