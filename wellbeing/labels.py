"""Translated labels for the enumerations, shared by templates, forms and documents."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from wellbeing.accounts.models import Role
from wellbeing.tenancy.models import SchoolType, Sharing

ROLE_LABELS = {
    Role.PLATFORM_ADMIN: _l("Platform administrator"),
    Role.REGION_ADMIN: _l("GGD administrator"),
    Role.GSA: _l("Gezonde School adviser"),
    Role.MUNICIPALITY_OFFICER: _l("Municipal policy officer"),
    Role.SCHOOL_COORDINATOR: _l("School coordinator"),
}
SCHOOL_TYPE_LABELS = {
    SchoolType.PO: _l("Primary education (po)"),
    SchoolType.VO: _l("Secondary education (vo)"),
    SchoolType.SO: _l("Special education (so/vso)"),
    SchoolType.MBO: _l("Vocational education (mbo)"),
}
SHARING_LABELS = {
    Sharing.PROGRESS: _l("Progress only"),
    Sharing.CONTENT: _l("Progress and content"),
}


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[Role(role)])


def school_type_label(school_type: SchoolType) -> str:
    return str(SCHOOL_TYPE_LABELS[SchoolType(school_type)])


def sharing_label(sharing: Sharing) -> str:
    return str(SHARING_LABELS[Sharing(sharing)])


ROUND_STATUS_LABELS = {"open": _l("Open"), "closed": _l("Closed"), "finalised": _l("Finalised")}


def round_status_label(status) -> str:
    return str(ROUND_STATUS_LABELS[getattr(status, "value", status)])


def category_label(category) -> str:
    from wellbeing.rounds.forms import CATEGORY_LABELS
    from wellbeing.rounds.models import Category
    return str(CATEGORY_LABELS[Category(getattr(category, "value", category))])


AUDIT_LABELS = {
    "content.viewed": _l("Content opened from outside the school"),
    "sharing.changed": _l("Sharing with the GSA changed"),
    "round.opened": _l("Round opened"),
    "round.closed": _l("Round closed"),
    "round.open": _l("Round reopened"),
    "round.finalised": _l("Round finalised"),
    "round.reminder": _l("Reminder sent"),
}


def audit_label(action: str) -> str:
    return str(AUDIT_LABELS.get(action, action))


def locale_code() -> str:
    """'nl' or 'en': the key into an instrument's texts."""
    return "en" if str(get_locale()) == "en" else "nl"


TEMPLATE_HELPERS = {"role_label": role_label, "school_type_label": school_type_label,
                    "sharing_label": sharing_label, "round_status_label": round_status_label,
                    "category_label": category_label, "locale_code": locale_code,
                    "audit_label": audit_label}
