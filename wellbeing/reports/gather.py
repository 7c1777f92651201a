"""Fill ``ReportData`` from the database, translated into the report's language."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from wellbeing.progress.gather import school_facts
from wellbeing.progress import phase as phases
from wellbeing.instruments.registry import registry
from wellbeing.labels import (
    action_status_label,
    criterion_status_label,
    period_label,
    recognition_label,
    school_type_label,
)
from wellbeing.menucard import service as menucard
from wellbeing.plans import service as plans
from wellbeing.reports.data import (
    ActionRow,
    AgreementRow,
    Agreements,
    CriterionRow,
    ElementRow,
    GoalRow,
    MenuRow,
    PillarColumn,
    PlanYear,
    PriorityRow,
    Readiness,
    ReportData,
    YearScore,
)
from wellbeing.rounds import service as rounds
from wellbeing.rounds.forms import PRIORITY_LABELS
from wellbeing.rounds.models import Priority
from wellbeing.tenancy.models import School
from wellbeing.vignet import service as vignet
from wellbeing.pillars import PILLARS


def _intervention(intervention_id: str | None) -> str:
    found = registry().intervention(intervention_id) if intervention_id else None
    return f"{found.name} ({recognition_label(found.recognition)})" if found else ""


def gather(school: School, locale: str) -> ReportData:
    """Call inside ``force_locale(locale)``: labels come out in the report's language."""
    lc = "en" if locale == "en" else "nl"
    school_type = school.school_type.value
    minimum = current_app.extensions["wellbeing.settings"].min_respondents
    checklist = registry().latest(rounds.CHECKLIST_ID)
    columns = rounds.years_overview(school, minimum)
    elements = tuple(ElementRow(e.title[lc], tuple(YearScore(c.round.school_year, c.team.get(e.id), c.agreed.get(e.id))
                                                   for c in columns))
                     for e in checklist.elements_for(school_type))
    priorities = tuple(PriorityRow(p.element_title[lc], p.text[lc], p.agreed_score, p.rationale)
                       for p in plans.priorities(school, (Priority.HIGH,)))
    card = menucard.menu_card()
    entries = menucard.entries(school)
    by_activity = {e.activity_id: e for e in entries if e.activity_id}
    gaps = set(menucard.gaps(school, entries))

    def row(entry, text: str, own: bool) -> MenuRow:
        status = entry.status.value if entry and entry.status else ""
        return MenuRow(text, card.statuses[status][lc] if status else "", entry.since_year or "" if entry else "",
                       entry.grades if entry else "", entry.note if entry else "", own,
                       _intervention(entry.intervention_id) if entry else "")

    menu = tuple(PillarColumn(
        card.pillar_label(p, school_type, lc),
        tuple(row(by_activity.get(a.id), a.text[lc], False) for a in card.activities_for(p, school_type))
        + tuple(row(e, e.title, True) for e in entries if e.own and e.pillar == p),
        p in gaps) for p in PILLARS)
    element_titles = {e.id: e.title[lc] for e in checklist.elements}
    items = checklist.items()
    goals = tuple(GoalRow(g.what, g.measure, g.target, g.target_year or "",
                          items[g.item_id].text[lc] if g.item_id in items else element_titles.get(g.element_id, ""))
                  for g in plans.goals(school))
    plan = plans.plan_or_default(school)
    all_actions = plans.actions(school)
    plan_years = tuple(PlanYear(str(y), tuple(
        ActionRow(card.pillar_label(a.pillar, school_type, lc), a.title, a.owner, period_label(a.period),
                  action_status_label(a.status), a.evaluation)
        for a in all_actions if a.school_year == str(y))) for y in plan.school_years())
    facts = school_facts(school)
    current = phases.phase(facts)
    return ReportData(
        locale=lc, generated_on=date.today(), school_name=school.name, brin=f"{school.brin}{school.vestiging}",
        school_type=school_type_label(school.school_type), municipality=school.municipality.name,
        phase_number=current.number, phase_title=current.title, next_step=current.next_step,
        years=tuple(c.round.school_year for c in columns), elements=elements, priorities=priorities, menu=menu,
        goals=goals, plan=plan_years, readiness=_readiness(school, facts, card, lc),
        agreements=_agreements(columns[-1].round, school_type, lc) if columns else None)


def _agreements(round_, school_type: str, lc: str) -> Agreements:
    """Every statement of the round: what the team agreed, or that it was not discussed."""
    agreed = rounds.agreements(round_)
    rows = []
    for element in rounds.instrument_of(round_).elements_for(school_type):
        for item in element.items_for(school_type):
            row = agreed.get(item.id)
            priority = str(PRIORITY_LABELS[row.priority]) if row and row.priority != Priority.NONE else ""
            rows.append(AgreementRow(element.title[lc], item.text[lc], row.agreed_score if row else None, priority,
                                     row is not None))
    return Agreements(round_.school_year, tuple(rows))


def _readiness(school: School, facts, card, lc: str) -> Readiness | None:
    state = vignet.readiness(school, facts)
    if state.criteria is None:
        return None
    school_type = school.school_type.value
    rows = tuple(CriterionRow(
        _("General") if r.criterion.pillar == "general" else card.pillar_label(r.criterion.pillar, school_type, lc),
        r.criterion.text[lc], criterion_status_label(r.status), r.status == "met",
        "" if r.status == "met" else r.criterion.todo[lc]) for r in state.results)
    cert = state.certificate
    if cert.valid:
        line = _("Valid until %(date)s", date=format_date(cert.certificate.expires_on, "long"))
    elif cert.certificate is not None:
        line = _("Expired on %(date)s", date=format_date(cert.certificate.expires_on, "long"))
    else:
        line = ""
    return Readiness(state.criteria.title[lc], state.met, state.total, rows, line)
