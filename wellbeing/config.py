"""Settings from the environment, typed, with embedded defaults.

Without ``DATABASE_URL`` the app uses a SQLite file under ``instance/``; without ``REDIS_URL`` jobs
run inline. In production (``WELLBEING_ENV=production``) a real ``SECRET_KEY`` and an https
``BASE_URL`` are required.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-not-secret"
DEV_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """Raised at start-up when the environment cannot give a safe configuration."""


@dataclass(frozen=True)
class OidcProvider:
    """One OpenID Connect provider users may sign in with. ``kind`` "school": an education
    federation (Entree, SURFconext), for school staff; "organisation": a GGD's or municipality's own
    provider, for the staff of ``region`` (a region code). The secret lives only in the environment."""

    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    kind: str = "organisation"
    region: str | None = None
    scope: str = "openid email profile"


def _oidc_providers(env: dict[str, str], production: bool) -> tuple[OidcProvider, ...]:
    """``OIDC_PROVIDERS=entree,ggd-utrecht`` and, per name, ``OIDC_<NAME>_ISSUER``, ``_CLIENT_ID``,
    ``_CLIENT_SECRET``, ``_KIND``, ``_REGION``, ``_LABEL`` and ``_SCOPE`` (NAME upper case, - as _)."""
    providers = []
    for name in [n.strip() for n in env.get("OIDC_PROVIDERS", "").split(",") if n.strip()]:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", name):
            raise ConfigError(f"OIDC_PROVIDERS: {name!r} is not a short lower-case name")
        prefix = "OIDC_" + name.upper().replace("-", "_") + "_"
        value = {key: env.get(prefix + key, "").strip() for key in
                 ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "KIND", "REGION", "LABEL", "SCOPE")}
        for key in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"):
            if not value[key]:
                raise ConfigError(f"{prefix}{key} must be set for the OpenID Connect provider {name!r}")
        kind = value["KIND"] or "organisation"
        if kind not in ("school", "organisation"):
            raise ConfigError(f"{prefix}KIND must be school or organisation, got {kind!r}")
        if kind == "organisation" and not value["REGION"]:
            raise ConfigError(f"{prefix}REGION must name the region (its code) whose staff sign in here")
        if production and not value["ISSUER"].startswith("https://"):
            raise ConfigError(f"{prefix}ISSUER must start with https:// in production")
        default_scope = "openid email profile" + (" entree" if kind == "school" else "")
        providers.append(OidcProvider(name=name, label=value["LABEL"] or name, issuer=value["ISSUER"].rstrip("/"),
                                      client_id=value["CLIENT_ID"], client_secret=value["CLIENT_SECRET"],
                                      kind=kind, region=value["REGION"] or None,
                                      scope=value["SCOPE"] or default_scope))
    return tuple(providers)


def _base_url(env: dict[str, str], production: bool) -> str:
    """The address links in e-mails and on the code sheet point at. Production must say it (a guess
    would send every team member to the wrong host); development defaults to ``make run``'s."""
    raw = env.get("BASE_URL", "").strip()
    if not raw:
        if production:
            raise ConfigError("BASE_URL must be set in production, e.g. https://welbevinden.example.nl")
        return DEV_BASE_URL
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"BASE_URL must be an http(s) address without query, got {raw!r}")
    if production and parts.scheme != "https":
        raise ConfigError("BASE_URL must start with https:// in production")
    return raw.rstrip("/")


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    database_url: str
    redis_url: str | None
    instance_path: Path
    base_url: str
    mail_server: str | None
    mail_port: int
    mail_username: str | None
    mail_password: str | None
    mail_use_tls: bool
    mail_sender: str
    min_respondents: int
    min_schools: int
    login_max_failures: int
    login_lock_minutes: int
    invitation_days: int
    reset_hours: int
    # Where the accessibility statement sends people who meet a barrier (the operator's address).
    accessibility_contact: str = "toegankelijkheid@welbevinden.example"
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    reset_max_per_address: int = 3
    reset_max_per_client: int = 10
    oidc_providers: tuple[OidcProvider, ...] = ()
    # The most database connections each of a process's two pools opens (db.Database); the web
    # processes get theirs from deploy/gunicorn.conf.py, and the count is in deploy/README.md.
    database_pool_size: int = 15
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    def flask_config(self) -> dict[str, object]:
        return {
            "SECRET_KEY": self.secret_key,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.production,
            "REMEMBER_COOKIE_SECURE": self.production,
            "WTF_CSRF_TIME_LIMIT": None,
            "BABEL_DEFAULT_LOCALE": "nl",
            # Times are stored in UTC and shown as the user's clock in the Netherlands reads them.
            "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
            "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
            "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
            **self.extra,
        }


def load_settings(env: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Read settings from ``env`` (default ``os.environ``); ``overrides`` win (tests use them)."""
    env = dict(os.environ if env is None else env)
    instance_path = Path(env.get("WELLBEING_INSTANCE_PATH", PROJECT_ROOT / "instance"))
    mode = env.get("WELLBEING_ENV", "development")
    secret = env.get("SECRET_KEY", "")
    if mode == "production" and (len(secret) < 32 or secret == DEV_SECRET):
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters in production")
    values: dict[str, object] = dict(
        env=mode,
        secret_key=secret or DEV_SECRET,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'wellbeing.sqlite'}",
        redis_url=env.get("REDIS_URL") or None,
        instance_path=instance_path,
        base_url=_base_url(env, mode == "production"),
        mail_server=env.get("MAIL_SERVER") or None,
        mail_port=_int(env, "MAIL_PORT", 587),
        mail_username=env.get("MAIL_USERNAME") or None,
        mail_password=env.get("MAIL_PASSWORD") or None,
        mail_use_tls=env.get("MAIL_USE_TLS", "1") not in ("0", "false", "no"),
        mail_sender=env.get("MAIL_SENDER", "Welbevinden in beeld <noreply@localhost>"),
        # Anonymity thresholds are settings with a floor that configuration cannot go below.
        min_respondents=max(3, _int(env, "MIN_RESPONDENTS", 3)),
        min_schools=max(3, _int(env, "MIN_SCHOOLS", 5)),
        login_max_failures=_int(env, "LOGIN_MAX_FAILURES", 5),
        login_lock_minutes=_int(env, "LOGIN_LOCK_MINUTES", 15),
        invitation_days=_int(env, "INVITATION_DAYS", 7),
        reset_hours=_int(env, "RESET_HOURS", 2),
        accessibility_contact=env.get("ACCESSIBILITY_CONTACT", "toegankelijkheid@welbevinden.example"),
        # A signed-in session ends after this long without a request, and after this long in any case.
        session_idle_minutes=_int(env, "SESSION_IDLE_MINUTES", 30),
        session_max_hours=_int(env, "SESSION_MAX_HOURS", 12),
        # Reset links per hour: mailed to one address, and asked for from one client address.
        reset_max_per_address=_int(env, "RESET_MAX_PER_ADDRESS", 3),
        reset_max_per_client=_int(env, "RESET_MAX_PER_CLIENT", 10),
        oidc_providers=_oidc_providers(env, mode == "production"),
        database_pool_size=max(1, _int(env, "DATABASE_POOL_SIZE", 15)),
    )
    values.update(overrides)
    for floor_name in ("min_respondents",):
        values[floor_name] = max(3, int(values[floor_name]))  # type: ignore[arg-type]
    values["min_schools"] = max(3, int(values["min_schools"]))  # type: ignore[arg-type]
    return Settings(**values)  # type: ignore[arg-type]
