"""The municipal cycle: 1 start picture, 2 Preventiematrix, 3 agreements, 4 monitoring.

The municipality's officers and the region's GGD staff (GSAs, administrators) read and edit it;
everyone else gets a 404 (``access.get_cycle_municipality``). Figures come from releases only.

A group of municipalities (``CycleGroup``, e.g. a youth-care subregion) runs the same pages under
``/cycle/group/<id>`` (``route`` registers every page for both owners), seen and edited by the
officers of its members and the region's GGD staff (``access.get_cycle_group``). Its figures are
the members' released figures and sums of them (``group_figures``); never new aggregates.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from wellbeing import access, csvout, db, jobs
from wellbeing.cycle import charts, export
from wellbeing.cycle.blueprint import bp
from wellbeing.cycle.catalogue import (
    CATALOGUE,
    FORUMS,
    MAX_CHOICES,
    STATUSES,
    indicators,
    level_label,
    sector_label,
)
from wellbeing.cycle.data import gather, load_figures, names
from wellbeing.cycle.forms import AgreementForm, ChoicesForm, ConfirmForm, EvaluationForm, NeedForm, TargetForm
from wellbeing.cycle.jobs import build_cycle_report
from wellbeing.cycle.models import CycleGroup, CycleReport
from wellbeing.cycle.service import OWN, AgreementInput, CycleError, Owner, TargetInput, owner_key
from wellbeing.cycle.summary import summarise, summarise_group, types_shown
from wellbeing.cycle import service
from wellbeing.db import utcnow
from wellbeing.labels import locale_code
from wellbeing.offer.service import partners_of
from wellbeing.overview.service import labels as overview_labels
from wellbeing.release.tables import ALL, TYPES
from wellbeing.reports.jobs import queued_message
from wellbeing.reports.models import ReportStatus
from wellbeing.schoolyear import SchoolYear

PENDING = (ReportStatus.QUEUED, ReportStatus.RUNNING)
STALE = timedelta(minutes=15)


@bp.app_context_processor
def _helpers():
    return {"cycle_sector_label": sector_label, "cycle_level_label": level_label, "cycle_forums": FORUMS,
            "cycle_statuses": STATUSES, "choice_label": service.choice_label, "cycle_action_label": _action_label,
            "cycle_here": owner_key, "cycle_is_group": lambda owner: isinstance(owner, CycleGroup)}


def _action_label(action: str) -> str:
    return {"cycle.situations.saved": _("top desired situations chosen"),
            "cycle.problems.saved": _("top problems chosen"), "cycle.need.added": _("need added"),
            "cycle.need.removed": _("need removed"), "cycle.target.added": _("target set"),
            "cycle.target.removed": _("target removed"), "cycle.evaluation.saved": _("evaluation written"),
            "cycle.agreement.added": _("agreement recorded"), "cycle.agreement.changed": _("agreement changed"),
            "cycle.agreement.removed": _("agreement removed"), "cycle.group.created": _("group made"),
            "cycle.group.changed": _("group changed")}.get(action, action)


def route(path: str, **options):
    """Register a cycle page twice, for a municipality (``/municipality/<id>/cycle...``) and for a
    group of municipalities (``/cycle/group/<id>...``): one view, one endpoint. ``url_for`` picks
    the rule by the owner's keyword, so pages build links with ``**owner_key(owner)``."""
    def register(view):
        bp.add_url_rule(f"/municipality/<int:municipality_id>/cycle{path}", view_func=view, **options)
        bp.add_url_rule(f"/cycle/group/<int:group_id>{path}", view_func=view, **options)
        return view
    return register


def _owner(owner_ids: dict[str, int]) -> Owner:
    """The municipality or group in the URL, through the access policy (404 outside the user's scope)."""
    if "group_id" in owner_ids:
        return access.get_cycle_group(current_user, owner_ids["group_id"])
    return access.get_cycle_municipality(current_user, owner_ids["municipality_id"])


def _messages() -> dict[str, str]:
    return {"unknown-choice": _("Choose from the list."),
            "too-many": _("Choose at most %(n)d, your own included.", n=MAX_CHOICES)}


@bp.route("/cycle")
@login_required
def index():
    municipalities = list(db.session.scalars(access.municipalities_query(current_user)))
    if not municipalities:
        abort(404)
    groups = list(db.session.scalars(access.groups_query(current_user)))
    return render_template("cycle/index.html", municipalities=municipalities, groups=groups)


# --- step 1: the start picture -------------------------------------------------------------------

@route("")
@login_required
def start(**owner_ids: int):
    municipality = _owner(owner_ids)
    is_group = isinstance(municipality, CycleGroup)
    labels = overview_labels()
    figures = load_figures(municipality)
    if figures is None:
        return render_template("cycle/group_start.html" if is_group else "cycle/start.html",
                               municipality=municipality, figures=None, step=1)
    year = request.args.get("year", "")
    if year not in figures.years:
        year = figures.current
    types = () if is_group else figures.municipality.types()
    column = request.args.get("type", ALL)
    if column not in types:
        column = ALL
    figures = figures.of_type(column)
    area_names = names(municipality)
    measures = [("participation", labels.participation), ("certificates", labels.certificates),
                *((f"pillar:{p}", _("Pillar %(pillar)s", pillar=label)) for p, label in labels.pillar_labels.items()),
                *((f"prevention:{v}", _("Recognised intervention, %(level)s", level=label.lower()))
                  for v, label in labels.prevention_labels.items())]
    measures = [(m, label) for m, label in measures
                if any(area.count(year, m) for area in (*figures.areas.values(), *figures.members))]
    if is_group:
        return render_template("cycle/group_start.html", municipality=municipality, figures=figures, year=year,
                               step=1, names=area_names, measures=measures, elements=labels.elements,
                               summary=summarise_group(figures, year, labels.elements, labels.pillar_labels))
    small = []
    for index, (element, title) in enumerate(labels.elements.items()):
        values = {level: [_median(figures.areas[level], y, element) for y in figures.years] for level in "mrn"}
        if any(v is not None for series in values.values() for v in series):
            small.append((element, title, charts.element_chart(f"sm{index}", title, figures.years, values,
                                                                area_names, year), values))
    cycle_summary = summarise(figures, year, labels.elements, labels.pillar_labels)
    shown = types_shown(figures.municipality, year, labels.elements) if column == ALL else []
    if shown:
        cycle_summary.append(_("Where the scores of all school types together must stay protected, those of "
                               "one type may show: choose %(types)s above.",
                               types=", ".join(labels.type_labels[t] for t in shown)))
    return render_template("cycle/start.html", municipality=municipality, figures=figures, year=year, step=1,
                           names=area_names, small=small, legend=charts.legend(area_names), measures=measures,
                           summary=cycle_summary, year_index=figures.years.index(year), types=types,
                           column=column, type_labels=labels.type_labels)


def _median(area, year: str, element: str) -> int | None:
    found = area.median(year, element)
    return None if found is None or found.hidden else found.median


# --- step 2: the Preventiematrix ------------------------------------------------------------------

def _choice_form(cycle, kind: str, formdata=None) -> ChoicesForm:
    form = ChoicesForm(formdata, prefix=kind)
    own = [(f"{OWN}{c.id}", c.own_text) for c in cycle.chosen(kind) if not c.catalogue_key]
    form.keys.choices = [(k, str(v)) for k, v in CATALOGUE[kind].items()] + own
    if formdata is None:
        form.keys.data = [c.catalogue_key or f"{OWN}{c.id}" for c in cycle.chosen(kind)]
    return form


def _target_form(cycle, formdata=None) -> TargetForm:
    form = TargetForm(formdata, prefix="target")
    form.indicator.choices = list(indicators(cycle.elements).items())
    form.school_type.choices = [(ALL, cycle.type_labels[ALL]), *((t, cycle.type_labels[t]) for t in TYPES)]
    current = SchoolYear.current()
    form.by_year.choices = [(str(current + n), str(current + n)) for n in range(6)]
    return form


def _matrix_page(municipality, forms: dict | None = None, status: int = 200):
    cycle = gather(municipality)
    forms = forms or {}
    forms.setdefault("situation", _choice_form(cycle, "situation"))
    forms.setdefault("problem", _choice_form(cycle, "problem"))
    forms.setdefault("need", NeedForm(prefix="need").fill())
    forms.setdefault("target", _target_form(cycle))
    return render_template("cycle/matrix.html", municipality=municipality, cycle=cycle, forms=forms, step=2,
                           confirm=ConfirmForm(), history=service.history(municipality)), status


@route("/matrix")
@login_required
def matrix(**owner_ids: int):
    return _matrix_page(_owner(owner_ids))


def _save_choices(owner_ids: dict[str, int], kind: str):
    municipality = _owner(owner_ids)
    cycle = gather(municipality, with_matrix=False)
    form = _choice_form(cycle, kind, request.form)
    if form.validate():
        try:
            service.save_choices(municipality, current_user, kind, form.keys.data or [], (form.own.data or "").strip())
        except CycleError as error:
            form.keys.errors.append(_messages()[error.code])
        else:
            db.session.commit()
            flash(_("Your choice is saved."), "success")
            return redirect(url_for("cycle.matrix", **owner_key(municipality), _anchor=f"h-{kind}"))
    return _matrix_page(municipality, {kind: form}, 400)


@route("/situations", methods=["POST"])
@login_required
def situations(**owner_ids: int):
    return _save_choices(owner_ids, "situation")


@route("/problems", methods=["POST"])
@login_required
def problems(**owner_ids: int):
    return _save_choices(owner_ids, "problem")


@route("/needs", methods=["POST"])
@login_required
def add_need(**owner_ids: int):
    municipality = _owner(owner_ids)
    form = NeedForm(request.form, prefix="need").fill()
    if not form.validate():
        return _matrix_page(municipality, {"need": form}, 400)
    service.add_need(municipality, current_user, form.sector.data, form.level.data, form.text.data.strip())
    db.session.commit()
    flash(_("The need is added to the matrix."), "success")
    return redirect(url_for("cycle.matrix", **owner_key(municipality), _anchor="h-matrix"))


def _remove(owner_ids: dict[str, int], getter, remover, done: str, endpoint: str, anchor: str):
    """The steps every "remove" button shares: the object must belong to the municipality (404), the
    form must carry its CSRF token (400); the removal is logged by ``remover``."""
    municipality = _owner(owner_ids)
    found = getter(municipality)
    if found is None or not ConfirmForm().validate():
        abort(404 if found is None else 400)
    remover(municipality, current_user, found)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(endpoint, **owner_key(municipality), _anchor=anchor))


@route("/needs/<int:need_id>/remove", methods=["POST"])
@login_required
def remove_need(need_id: int, **owner_ids: int):
    return _remove(owner_ids, lambda m: service.get_need(m, need_id), service.remove_need,
                   _("The need is removed."), "cycle.matrix", "h-matrix")


@route("/targets", methods=["POST"])
@login_required
def add_target(**owner_ids: int):
    municipality = _owner(owner_ids)
    cycle = gather(municipality, with_matrix=False)
    form = _target_form(cycle, request.form)
    if not form.validate():
        return _matrix_page(municipality, {"target": form}, 400)
    service.add_target(municipality, current_user, TargetInput(
        (form.ambition.data or "").strip(), form.indicator.data, form.school_type.data, form.threshold.data,
        form.by_year.data))
    db.session.commit()
    flash(_("The target is saved."), "success")
    return redirect(url_for("cycle.matrix", **owner_key(municipality), _anchor="h-targets"))


@route("/targets/<int:target_id>/remove", methods=["POST"])
@login_required
def remove_target(target_id: int, **owner_ids: int):
    return _remove(owner_ids, lambda m: service.get_target(m, target_id), service.remove_target,
                   _("The target is removed."), "cycle.matrix", "h-targets")


# --- step 3: agreements ----------------------------------------------------------------------------

def _agreement_form(municipality, cycle, agreement=None, formdata=None) -> AgreementForm:
    form = AgreementForm(formdata, obj=agreement if formdata is None else None)
    form.partner_id.choices = [("", _("No partner"))] + [(str(p.id), p.name) for p in partners_of(municipality.region_id)]
    form.target_id.choices = [("", _("No target"))] + [
        (str(t.target.id), t.words)
        for t in cycle.targets]
    if formdata is None and agreement is not None:
        form.partner_id.data = str(agreement.partner_id or "")
        form.target_id.data = str(agreement.target_id or "")
    return form


def _agreement_input(form: AgreementForm) -> AgreementInput:
    return AgreementInput(form.what.data.strip(), form.who.data.strip(),
                          int(form.partner_id.data) if form.partner_id.data else None, form.due_on.data,
                          form.forum.data, form.status.data,
                          int(form.target_id.data) if form.target_id.data else None, (form.note.data or "").strip())


def _agreement_page(municipality, found, template: str, saved: str):
    """A new agreement (``found`` None, on the list page) or an existing one: the form, saved and
    back to the list when valid, the page again with its errors (400) when not."""
    cycle = gather(municipality, with_matrix=False)
    form = _agreement_form(municipality, cycle, found, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        service.save_agreement(municipality, current_user, found, _agreement_input(form))
        db.session.commit()
        flash(saved, "success")
        return redirect(url_for("cycle.agreements", **owner_key(municipality), _anchor="h-list"))
    return render_template(template, municipality=municipality, cycle=cycle, agreement=found, form=form, step=3,
                           confirm=ConfirmForm()), 400 if request.method == "POST" else 200


@route("/agreements", methods=["GET", "POST"])
@login_required
def agreements(**owner_ids: int):
    return _agreement_page(_owner(owner_ids), None, "cycle/agreements.html", _("The agreement is recorded."))


@route("/agreements/<int:agreement_id>", methods=["GET", "POST"])
@login_required
def agreement(agreement_id: int, **owner_ids: int):
    municipality = _owner(owner_ids)
    found = service.get_agreement(municipality, agreement_id)
    if found is None:
        abort(404)
    return _agreement_page(municipality, found, "cycle/agreement.html", _("The agreement is saved."))


@route("/agreements/<int:agreement_id>/remove", methods=["POST"])
@login_required
def remove_agreement(agreement_id: int, **owner_ids: int):
    return _remove(owner_ids, lambda m: service.get_agreement(m, agreement_id), service.remove_agreement,
                   _("The agreement is removed."), "cycle.agreements", "h-list")


# --- step 4: monitoring, PDF and CSV --------------------------------------------------------------

def _reports(municipality) -> list[CycleReport]:
    return list(db.session.scalars(select(CycleReport).where(service.of(CycleReport, municipality))
                                   .order_by(CycleReport.requested_at.desc()).limit(5)))


@route("/monitoring")
@login_required
def monitoring(**owner_ids: int):
    municipality = _owner(owner_ids)
    cycle = gather(municipality, with_matrix=False)
    reports = _reports(municipality)
    forms = {}
    for view in cycle.targets:
        form = EvaluationForm(prefix=f"t{view.target.id}")
        form.school_year.choices = [(y, y) for y in reversed(cycle.years)] or [(str(SchoolYear.current()),) * 2]
        forms[view.target.id] = form
    return render_template("cycle/monitoring.html", municipality=municipality, cycle=cycle, forms=forms, step=4,
                           reports=reports, pending=any(r.status in PENDING for r in reports))


@route("/targets/<int:target_id>/evaluation", methods=["POST"])
@login_required
def evaluate(target_id: int, **owner_ids: int):
    municipality = _owner(owner_ids)
    target = service.get_target(municipality, target_id)
    if target is None:
        abort(404)
    form = EvaluationForm(request.form, prefix=f"t{target.id}")
    figures = load_figures(municipality)
    years = list(figures.years) if figures else []
    form.school_year.choices = [(y, y) for y in reversed(years)] or [(str(SchoolYear.current()),) * 2]
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("cycle.monitoring", **owner_key(municipality), _anchor=f"target-{target.id}"))
    service.set_evaluation(municipality, current_user, target, form.school_year.data, (form.note.data or "").strip())
    db.session.commit()
    flash(_("The evaluation is saved."), "success")
    return redirect(url_for("cycle.monitoring", **owner_key(municipality), _anchor=f"target-{target.id}"))


@route("/report", methods=["POST"])
@login_required
def request_report(**owner_ids: int):
    municipality = _owner(owner_ids)
    back = url_for("cycle.monitoring", **owner_key(municipality), _anchor="reports")
    if not ConfirmForm().validate():
        abort(400)
    if any(r.status in PENDING and r.requested_at > utcnow() - STALE for r in _reports(municipality)):
        flash(_("A report is already being made. It appears below when it is ready."), "error")
        return redirect(back)
    locale = request.form.get("locale", locale_code())
    if locale not in ("nl", "en"):
        abort(400)
    report = CycleReport(**owner_key(municipality), locale=locale, requested_by_id=current_user.id)
    db.session.add(report)
    db.session.flush()
    jobs.enqueue(build_cycle_report, report.id)
    db.session.commit()
    flash(queued_message(), "success")
    return redirect(back)


@route("/report/<int:report_id>.pdf")
@login_required
def download(report_id: int, **owner_ids: int):
    municipality = _owner(owner_ids)
    report = db.session.get(CycleReport, report_id)
    if report is None or not service.owns(municipality, report) or report.status != ReportStatus.DONE:
        abort(404)
    return Response(report.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="gemeentelijke-cyclus-{municipality.code.lower()}.pdf"',
        "Cache-Control": "private, no-store"})


@route("/matrix.csv")
@login_required
def matrix_csv(**owner_ids: int):
    municipality = _owner(owner_ids)
    return csvout.response(export.matrix_rows(gather(municipality)), f"preventiematrix-{municipality.code.lower()}.csv")


@route("/agreements.csv")
@login_required
def agreements_csv(**owner_ids: int):
    municipality = _owner(owner_ids)
    return csvout.response(export.agreement_rows(gather(municipality, with_matrix=False)),
                           f"afspraken-{municipality.code.lower()}.csv")

