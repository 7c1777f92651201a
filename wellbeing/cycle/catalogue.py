"""The cycle's fixed vocabularies, translated: the catalogue of desired situations and problems (from
the protective and risk factors in the domain documents), the sectors of the Preventiematrix, the
places where agreements are made, agreement statuses, and the product indicators a target can use.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wellbeing.offer.labels import KIND_LABELS, LEVEL_LABELS
from wellbeing.offer.models import LEVELS, PartnerKind

# Desired situations: protective factors for young people's mental health.
SITUATIONS = {
    "safe-climate": _l("A safe, positive climate at school, at home and in free time"),
    "emotional-skills": _l("Children learn to handle feelings, pressure and each other"),
    "trusted-adult": _l("Every child has an adult they trust"),
    "leisure": _l("Children take part in sport, culture and social activities"),
    "early-signals": _l("Worries are noticed early and followed up"),
    "easy-help": _l("Parents and young people ask for help without hesitation"),
    "support-route": _l("One clear support route between school, youth health care and youth services"),
    "home-school": _l("Parents, school and care work together as partners"),
    "plain-language": _l("Information that every family understands"),
    "equal-chances": _l("Children in vulnerable positions get the same chances"),
    "staff-wellbeing": _l("Teachers and staff feel well and supported"),
    "pupil-voice": _l("Pupils have a real say at school"),
}
# Problems the team wants to reduce: risk factors and common complaints.
PROBLEMS = {
    "bullying": _l("Bullying, online and offline"),
    "pressure": _l("Stress and pressure to perform"),
    "loneliness": _l("Loneliness"),
    "low-mood": _l("Anxiety and low mood"),
    "absence": _l("Absence and dropping out of school"),
    "money-worries": _l("Money worries and poverty at home"),
    "home-troubles": _l("Trouble or violence at home"),
    "transfer": _l("A bumpy move from primary to secondary school"),
    "waiting-lists": _l("Long waits for youth care"),
}
CATALOGUE = {"situation": SITUATIONS, "problem": PROBLEMS}
MAX_CHOICES = 3

SCHOOLS = "schools"
# Matrix rows: the schools themselves, then the partners of the local offer by kind.
SECTORS = (SCHOOLS, *(k.value for k in PartnerKind))


def sector_label(sector: str) -> str:
    if sector == SCHOOLS:
        return str(_l("Schools (education)"))
    return str(KIND_LABELS[sector])


def level_label(level: str) -> str:
    return str(LEVEL_LABELS[level])


FORUMS = {"lea": _l("Local education agenda (LEA)"),
          "oogo": _l("OOGO with the samenwerkingsverband"),
          "gala": _l("GALA plan (healthy and active living)"),
          "other": _l("Elsewhere")}
STATUSES = {"planned": _l("Planned"), "underway": _l("Under way"), "done": _l("Done"), "stopped": _l("Stopped")}

# Product indicators: a share of schools (count measures of the release) or a median score.
SHARE_INDICATORS = {
    "participation": _l("Share of schools with a finalised checklist round"),
    "certificates": _l("Share of schools with a valid vignet Welbevinden"),
    **{f"pillar:{p}": label for p, label in (
        ("educatie", _l("Share of schools doing an activity in the pillar Education")),
        ("signaleren", _l("Share of schools doing an activity in the pillar Signalling")),
        ("omgeving", _l("Share of schools doing an activity in the pillar School environment")),
        ("beleid", _l("Share of schools doing an activity in the pillar Policy")))},
    **{f"prevention:{v}": label for v, label in (
        ("universal", _l("Share of schools using a recognised intervention at the basic level")),
        ("selective", _l("Share of schools using a recognised intervention at the extra level")),
        ("indicated", _l("Share of schools using a recognised intervention at the special level")))},
}
MEDIAN = "median:"


def is_share(indicator: str) -> bool:
    return indicator in SHARE_INDICATORS


def indicator_label(indicator: str, elements: dict[str, str]) -> str:
    """The indicator in words; ``elements``: element id -> translated title."""
    if indicator.startswith(MEDIAN):
        return str(_l("Median score of the element %(element)s", element=elements.get(indicator[len(MEDIAN):], "?")))
    return str(SHARE_INDICATORS[indicator])


def indicators(elements: dict[str, str]) -> dict[str, str]:
    return {**{k: str(v) for k, v in SHARE_INDICATORS.items()},
            **{MEDIAN + e: indicator_label(MEDIAN + e, elements) for e in elements}}


__all__ = ["LEVELS", "CATALOGUE", "SECTORS", "FORUMS", "STATUSES"]
