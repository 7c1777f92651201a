"""The main navigation, built from the user's roles."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from wellbeing.accounts.models import Role


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    items = [(url_for("home.index"), _("Home"))]
    roles = current_user.roles()
    if Role.PLATFORM_ADMIN in roles:
        items.append((url_for("admin.regions"), _("Regions")))
        items.append((url_for("overview.national"), _("National overview")))
    if Role.GSA in roles:
        items.append((url_for("portfolio.index"), _("Portfolio")))
    if roles & {Role.REGION_ADMIN, Role.GSA, Role.MUNICIPALITY_OFFICER, Role.PLATFORM_ADMIN}:
        items.append((url_for("offer.index"), _("Local offer")))
        items.append((url_for("cycle.index"), _("Municipal cycle")))
    if Role.REGION_ADMIN in roles or Role.PLATFORM_ADMIN in roles:
        items.append((url_for("admin.users"), _("Users")))
    items.append((url_for("accounts.profile"), _("Profile")))
    return items
