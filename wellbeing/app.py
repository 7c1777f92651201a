"""The application factory: a short list of named steps."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _

from wellbeing import db
from wellbeing.config import Settings, load_settings
from wellbeing.extensions import babel, csrf, login_manager


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=True)
    app.config.update(settings.flask_config())
    app.extensions["wellbeing.settings"] = settings
    configure_logging(app)
    register_extensions(app, settings)
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
    from wellbeing import audit, headers, i18n
    from wellbeing.accounts.models import User
    from wellbeing.sessions import CookieSessions

    app.session_interface = CookieSessions()
    db.init_app(app, settings.database_url)
    audit.init_app(app)
    headers.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None


def register_input_gate(app: Flask) -> None:
    """Bounded ids in every URL and no control characters in any input (before the blueprints,
    whose rules take the URL converters when they are registered)."""
    from wellbeing import inputs
    inputs.init_app(app)


def register_blueprints(app: Flask) -> None:
    from wellbeing import health, i18n
    from wellbeing.accounts.views import bp as accounts
    from wellbeing.admin.views import bp as admin
    from wellbeing.home.views import bp as home
    from wellbeing.menucard.views import bp as menucard
    from wellbeing.overview.views import bp as overview
    from wellbeing.plans.views import bp as plans
    from wellbeing.portfolio.views import bp as portfolio
    from wellbeing.reports.views import bp as reports
    from wellbeing.rounds.respond import bp as respond
    from wellbeing.rounds.views import bp as rounds
    from wellbeing.vignet.views import bp as vignet

    for blueprint in (home, accounts, i18n.bp, admin, rounds, respond, menucard, plans, vignet, reports, portfolio,
                      overview, health.bp):
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    def page(code: int, title: str, text: str):
        return render_template("errors/error.html", code=code, title=title, text=text), code

    app.register_error_handler(400, lambda e: page(400, _("Bad request"),
                                                   _("The request could not be understood. Go back and try again.")))
    app.register_error_handler(403, lambda e: page(403, _("Not allowed"),
                                                   _("You may look at this, but only the school's coordinators "
                                                     "can change it.")))
    app.register_error_handler(404, lambda e: page(404, _("Page not found"),
                                                   _("This page does not exist, or you have no access to it.")))
    app.register_error_handler(405, lambda e: page(405, _("Not allowed"), _("This action is not possible here.")))
    app.register_error_handler(413, lambda e: page(413, _("File too large"),
                                                   _("The file is larger than allowed. Choose a smaller file.")))
    app.register_error_handler(500, lambda e: page(500, _("Something went wrong"),
                                                   _("An unexpected error occurred. Nothing was saved; try again.")))

    from flask_wtf.csrf import CSRFError

    from wellbeing.inputs import InputRefused
    app.register_error_handler(InputRefused, lambda e: page(
        400, _("Input refused"), _("What you sent contains a control character (such as a NUL byte) that no text "
                                   "may hold. Nothing was saved. Remove it (retype the text rather than pasting it) "
                                   "and try again.")))
    app.register_error_handler(CSRFError, lambda e: page(
        400, _("Form expired"), _("The form was open too long or was changed. Go back, reload and try again.")))


def register_template_helpers(app: Flask) -> None:
    from wellbeing.home.navigation import navigation
    from wellbeing.labels import TEMPLATE_HELPERS

    app.jinja_env.globals.update(navigation=navigation, **TEMPLATE_HELPERS)


def load_instruments(app: Flask) -> None:
    """Validate every instrument file at start-up; a broken file stops the app with its name."""
    from wellbeing.instruments import registry

    registry.init_app(app)
