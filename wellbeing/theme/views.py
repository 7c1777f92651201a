"""The region theme: its stylesheet and logo (public, cacheable: colours and a logo are no secret) and
the administrator's form. The stylesheet is a file from a route, so the Content-Security-Policy stays
"style-src 'self'" with no inline style."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template, send_from_directory,
                   session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from wellbeing import access, db
from wellbeing.accounts.models import Role
from wellbeing.tenancy.models import Region
from wellbeing.theme.forms import ThemeForm
from wellbeing.theme.models import RegionTheme, theme_version
from wellbeing.theme.palette import palette

log = logging.getLogger(__name__)
bp = Blueprint("theme", __name__)
CACHE = "public, max-age=31536000, immutable"  # the URL carries the theme's version


@dataclass(frozen=True)
class Theme:
    name: str
    stylesheet_url: str
    logo_url: str | None


def _user_region_id() -> int | None:
    """The region whose theme this request shows: ``g.theme_region_id`` when a view set it (a page
    without a signed-in user, such as a respondent's, can set its school's region), else the first
    region among the signed-in user's memberships."""
    if g.get("theme_region_id"):
        return g.theme_region_id
    if not current_user.is_authenticated:
        return None
    for membership in current_user.memberships:
        if membership.region_id:
            return membership.region_id
        if membership.municipality is not None:
            return membership.municipality.region_id
        if membership.school is not None:
            return membership.school.municipality.region_id
    return None


def current_theme() -> Theme | None:
    """The theme for this request (a template helper); None for the product's own look."""
    if "wib_theme" not in g:
        g.wib_theme = None
        try:
            theme = _remembered_theme()
        except SQLAlchemyError:     # an error page must render even when the database is the error
            log.warning("no region theme: the database did not answer", exc_info=True)
            return None
        if theme is not None:
            region_id, name, version, has_logo = theme
            g.wib_theme = Theme(
                name=name, stylesheet_url=url_for("theme.stylesheet", region_id=region_id, v=version),
                logo_url=url_for("theme.logo", region_id=region_id, v=version) if has_logo else None)
    return g.wib_theme


# Every page shows the theme: a signed-in user's session remembers it for ten minutes, so a page costs
# no query for it. A changed theme shows at once to the administrator who saved it, to others within
# ten minutes.
REMEMBER_SECONDS = 600
SESSION_KEY = "theme"


def _remembered_theme() -> list | None:
    """[region id, region name, version, has logo] or None."""
    if g.get("theme_region_id") or not current_user.is_authenticated:
        return _lookup(_user_region_id())
    stored = session.get(SESSION_KEY)
    if stored and stored.get("user") == current_user.id and time.time() - stored.get("at", 0) < REMEMBER_SECONDS:
        return stored.get("theme")
    theme = _lookup(_user_region_id())
    session[SESSION_KEY] = {"user": current_user.id, "at": int(time.time()), "theme": theme}
    return theme


def _lookup(region_id: int | None) -> list | None:
    if region_id is None:
        return None
    row = db.session.execute(select(RegionTheme.updated_at, RegionTheme.has_logo, Region.name)
                             .join(Region, Region.id == RegionTheme.region_id)
                             .where(RegionTheme.region_id == region_id)).first()
    return None if row is None else [region_id, row.name, theme_version(row.updated_at), row.has_logo]


@bp.route("/theme/<int:region_id>.css")
def stylesheet(region_id: int):
    row = db.session.get(RegionTheme, region_id)
    if row is None:
        abort(404)
    body = ".wib-theme{" + "".join(f"{name}:{value};" for name, value in palette(row.colour).items()) + "}\n"
    return Response(body, mimetype="text/css", headers={"Cache-Control": CACHE})


@bp.route("/theme/<int:region_id>/logo.png")
def logo(region_id: int):
    row = db.session.get(RegionTheme, region_id)
    if row is None or not row.has_logo:
        abort(404)
    return Response(row.logo_png, mimetype="image/png", headers={"Cache-Control": CACHE})


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer with the product's icon."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400)


@bp.route("/admin/regions/<int:region_id>/theme", methods=["GET", "POST"])
@login_required
def edit(region_id: int):
    region = access.get_managed_region(current_user, region_id)
    row = db.session.get(RegionTheme, region.id)
    form = ThemeForm(colour=row.colour if row else "#00587a")
    if form.validate_on_submit():
        if row is None:
            row = RegionTheme(region_id=region.id)
            db.session.add(row)
        row.colour = form.colour.data.lower()
        upload = form.logo.data
        if upload and getattr(upload, "filename", ""):
            row.logo_png = upload.read()
        elif form.remove_logo.data:
            row.logo_png = None
        db.session.commit()
        session.pop(SESSION_KEY, None)
        flash(_("The theme of %(name)s is saved.", name=region.name), "success")
        return redirect(url_for("theme.edit", region_id=region.id))
    return render_template("theme/edit.html", region=region, form=form, theme=row,
                           is_region_admin=current_user.has_role(Role.REGION_ADMIN)), 400 if form.errors else 200
