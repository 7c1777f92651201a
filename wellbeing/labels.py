"""Translated labels for the enumerations, shared by templates, forms and documents."""
from __future__ import annotations

from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale
from flask_babel import lazy_gettext as _l

from wellbeing.accounts.models import Role
from wellbeing.rounds.forms import CATEGORY_LABELS
from wellbeing.rounds.models import Category
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
    return str(CATEGORY_LABELS[Category(getattr(category, "value", category))])


AUDIT_LABELS = {
    "content.viewed": _l("Content opened from outside the school"),
    "sharing.changed": _l("Sharing with the GSA changed"),
    "round.opened": _l("Round opened"),
    "round.closed": _l("Round closed"),
    "round.open": _l("Round reopened"),
    "round.finalised": _l("Round finalised"),
    "round.reminder": _l("Reminder sent"),
    "menucard.saved": _l("Menu card saved"),
    "menucard.own_added": _l("Own activity added to the menu card"),
    "menucard.own_removed": _l("Own activity removed from the menu card"),
    "plan.changed": _l("Plan changed"),
    "plan.carried_over": _l("Unfinished actions carried over"),
    "vignet.attested": _l("Vignet criterion attested"),
    "vignet.attestation_withdrawn": _l("Vignet attestation withdrawn"),
    "vignet.certificate": _l("Vignet certificate recorded"),
    "report.requested": _l("School report requested"),
    "export.downloaded": _l("School data exported"),
    "visit_note.added": _l("Visit note added by the GSA"),
    "offer.linked": _l("Linked to the municipality's offer"),
    "offer.unlinked": _l("Link to the municipality's offer removed"),
}


RECOGNITION_LABELS = {
    "well-founded": _l("Well-founded"),
    "first-evidence": _l("Effective, first evidence"),
    "good-evidence": _l("Effective, good evidence"),
    "strong-evidence": _l("Effective, strong evidence"),
}
PREVENTION_LABELS = {"universal": _l("Universal"), "selective": _l("Selective"), "indicated": _l("Indicated")}
ACTION_STATUS_LABELS = {"planned": _l("Planned"), "in_progress": _l("In progress"), "done": _l("Done"),
                        "stopped": _l("Stopped")}
PERIOD_LABELS = {"year": _l("Whole year"), "p1": _l("Aug–Oct"), "p2": _l("Nov–Jan"), "p3": _l("Feb–Apr"),
                 "p4": _l("May–Jul")}
CRITERION_STATUS_LABELS = {"met": _l("Met"), "missing": _l("Missing"), "needs_attestation": _l("Needs attestation")}


def _value(member) -> str:
    return getattr(member, "value", member)


def recognition_label(level: str) -> str:
    return str(RECOGNITION_LABELS[level])


def prevention_label(level: str) -> str:
    return str(PREVENTION_LABELS[level])


def action_status_label(status) -> str:
    return str(ACTION_STATUS_LABELS[_value(status)])


def period_label(period) -> str:
    return str(PERIOD_LABELS[_value(period)])


def criterion_status_label(status: str) -> str:
    return str(CRITERION_STATUS_LABELS[status])


def audit_label(action: str) -> str:
    return str(AUDIT_LABELS.get(action, action))


def locale_code() -> str:
    """'nl' or 'en': the key into an instrument's texts."""
    return "en" if str(get_locale()) == "en" else "nl"


TEMPLATE_HELPERS = {"role_label": role_label, "school_type_label": school_type_label,
                    "sharing_label": sharing_label, "round_status_label": round_status_label,
                    "category_label": category_label, "locale_code": locale_code,
                    "audit_label": audit_label, "recognition_label": recognition_label,
                    "prevention_label": prevention_label, "action_status_label": action_status_label,
                    "period_label": period_label, "criterion_status_label": criterion_status_label,
                    "format_date": format_date, "format_datetime": format_datetime, "format_time": format_time,
                    "format_decimal": format_decimal}
