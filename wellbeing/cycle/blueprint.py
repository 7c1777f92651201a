"""The municipal cycle's blueprint, on its own so the municipality pages (``views``) and the group
pages (``group_views``) both register on it without importing each other."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cycle", __name__)
