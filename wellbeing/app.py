"""The application factory: a short list of named steps."""
from __future__ import annotations

from flask import Flask

from wellbeing import db
from wellbeing.config import Settings, load_settings
from wellbeing.extensions import babel, compress, csrf, login_manager


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=True)
    app.config.update(settings.flask_config())
    app.extensions["wellbeing.settings"] = settings
    configure_logging(app)
    register_extensions(app, settings)
    watch_changes()
    register_jobs()
    register_input_gate(app)
    register_blueprints(app)
    register_error_pages(app)
    register_template_helpers(app)
    load_instruments(app)
    trust_proxy(app, settings)
    return app


def trust_proxy(app: Flask, settings: Settings) -> None:
    """In production the app runs behind one reverse proxy: take the client address and scheme from
    its X-Forwarded-* headers, or every login would throttle the proxy's own address."""
    if settings.production:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def configure_logging(app: Flask) -> None:
    from wellbeing import logs
    logs.init_app(app)


def register_extensions(app: Flask, settings: Settings) -> None:
    from wellbeing import headers, i18n
    from wellbeing.auth import federation, login_sessions
    from wellbeing.sessions import CookieSessions

    app.session_interface = CookieSessions()
    db.init_app(app, settings.database_url, settings.database_pool_size)
    headers.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    if not settings.production:
        # Behind the proxy nginx compresses (deploy/nginx.conf); served alone, the app does it itself.
        compress.init_app(app)

    # A cookie opens nothing unless its session is known on the server (wellbeing/auth/login_sessions.py).
    login_manager.user_loader(login_sessions.load_user)
    federation.init_app(app, settings.oidc_providers)


def watch_changes() -> None:
    """A commit that changed a school's data refreshes that school's summaries (wellbeing/changes.py)."""
    from wellbeing import changes
    from wellbeing.summaries import refresh

    changes.init_app()
    changes.on_change(refresh.schedule)


def register_jobs() -> None:
    """Import every module that defines jobs, so the registry is complete (a worker runs in this app)."""
    from wellbeing import mail  # noqa: F401
    from wellbeing.accounts import jobs as accounts_jobs  # noqa: F401
    from wellbeing.cycle import jobs as cycle_jobs  # noqa: F401
    from wellbeing.overview import jobs as overview_jobs  # noqa: F401
    from wellbeing.periodic import jobs as periodic_jobs  # noqa: F401
    from wellbeing.release import job as release_job  # noqa: F401
    from wellbeing.reports import jobs as report_jobs  # noqa: F401
    from wellbeing.summaries import refresh  # noqa: F401


def register_input_gate(app: Flask) -> None:
    """Bounded ids in every URL and no control characters in any input (before the blueprints,
    whose rules take the URL converters when they are registered)."""
    from wellbeing import inputs
    inputs.init_app(app)


def register_blueprints(app: Flask) -> None:
    from wellbeing import health, i18n
    from wellbeing.accounts.views import bp as accounts
    from wellbeing.admin.views import bp as admin
    from wellbeing.auth.federated_views import bp as federation
    from wellbeing.auth.views import bp as auth
    from wellbeing.cycle import group_views, views  # noqa: F401  (both register their pages on the blueprint)
    from wellbeing.cycle.blueprint import bp as cycle
    from wellbeing.home.views import bp as home
    from wellbeing.menucard.views import bp as menucard
    from wellbeing.offer.views import bp as offer
    from wellbeing.overview.views import bp as overview
    from wellbeing.plans.views import bp as plans
    from wellbeing.portfolio.views import bp as portfolio
    from wellbeing.reports.views import bp as reports
    from wellbeing.about.views import bp as about
    from wellbeing.theme.views import bp as theme
    from wellbeing.rounds.meeting import bp as meeting
    from wellbeing.rounds.respond import bp as respond
    from wellbeing.rounds.views import bp as rounds
    from wellbeing.vignet.views import bp as vignet

    for blueprint in (home, accounts, auth, federation, i18n.bp, admin, rounds, meeting, respond, menucard, plans, vignet,
                      reports, portfolio, overview, offer, cycle, health.bp, theme, about):
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    from wellbeing import errors
    errors.register(app)


def register_template_helpers(app: Flask) -> None:
    from wellbeing.home.navigation import navigation
    from wellbeing.labels import TEMPLATE_HELPERS
    from wellbeing.theme.views import current_theme

    app.jinja_env.globals.update(navigation=navigation, current_theme=current_theme, **TEMPLATE_HELPERS)


def load_instruments(app: Flask) -> None:
    """Validate every instrument file at start-up; a broken file stops the app with its name."""
    from wellbeing.instruments import registry

    registry.init_app(app)
