"""Security headers on every response the app makes, errors included, on the embedded default as
behind the proxy (which adds only Strict-Transport-Security, since it holds the TLS).

The policy allows no inline script and no inline style: scripts and styles come from /static only,
and the charts are SVG with presentation attributes, which a Content-Security-Policy does not touch.
"""
from __future__ import annotations

from flask import Flask

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not "no-referrer": the CSRF check over HTTPS needs a same-origin Referer. Paths with respondent
    # codes never leave the site this way.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


_LOWER = [(name.lower(), name, value) for name, value in HEADERS.items()]
# Pages, exports and reports carry a school's content: a shared computer's browser must not keep
# them after logout. Only the static files (no content of anyone's) may be cached.
NO_STORE = ("Cache-Control", "no-store")
STATIC = "/static/"
_PATH = "PATH_INFO"  # a WSGI key, not a setting (the env.example test reads quoted names)


class SecurityHeaders:
    """WSGI middleware adding ``HEADERS`` to every response that has not set its own. At the WSGI
    level it costs a few microseconds, where Flask's header object would check each value again."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        cacheable = str(environ.get(_PATH) or "").startswith(STATIC)

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend((name, value) for lower, name, value in _LOWER if lower not in present)
            if not cacheable and "cache-control" not in present:
                headers.append(NO_STORE)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
