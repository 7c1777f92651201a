"""Vignet readiness: criterion by criterion what is met, what is missing and what to attest."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from wellbeing import access, audit, db
from wellbeing.forms import BaseForm
from wellbeing.menucard.service import menu_card
from wellbeing.vignet import service, uploads
from wellbeing.vignet.models import Attestation

bp = Blueprint("vignet", __name__, url_prefix="/school/<int:school_id>/vignet")

#: Where a school fixes a data rule of each type.
FIX_ENDPOINTS = {"menu_card": "menucard.index", "plan_actions": "plans.index", "plan_goals": "plans.index",
                 "priorities_covered": "plans.index", "evaluated": "plans.index", "round_finalised": "rounds.index"}


def _not_in_future(form, field) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(_l("The date cannot be in the future."))
    if field.data and field.data.year < 2000:
        raise ValidationError(_l("Give a date from 2000 onwards."))


class CertificateForm(BaseForm):
    awarded_on = DateField(_l("Awarded on"), validators=[InputRequired(message=_l("Give the date of the award.")),
                                                         _not_in_future])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=300)])


def _upload_messages() -> dict[str, str]:
    return {"type": _("Choose a PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or OpenDocument (.odt) file."),
            "content": _("The file's content does not match its type. Save it again as PDF and try once more."),
            "size": _("The file is larger than %(mb)d MB. Choose a smaller file or a PDF.",
                      mb=uploads.MAX_BYTES // (1024 * 1024)),
            "empty": _("The file is empty.")}


def _page(school, certificate_form=None, errors: dict[str, str] | None = None, notes: dict[str, str] | None = None,
          status: int = 200):
    readiness = service.readiness(school)
    return render_template(
        "vignet/index.html", school=school, readiness=readiness, card=menu_card(),
        school_type=school.school_type.value, certificates=service.certificates(school),
        certificate_form=certificate_form or CertificateForm(), errors=errors or {}, notes=notes or {},
        fix_endpoints=FIX_ENDPOINTS, can_edit=access.can_edit_school(current_user, school),
        max_mb=uploads.MAX_BYTES // (1024 * 1024)), status


@bp.route("")
@login_required
def index(school_id: int):
    return _page(access.get_school(current_user, school_id))


def _attestable(school, criterion_id: str):
    readiness = service.readiness(school)
    for result in readiness.results:
        if result.criterion.id == criterion_id and result.criterion.rule.type == "attestation":
            return result.criterion
    abort(404)


@bp.route("/attest/<criterion_id>", methods=["POST"])
@login_required
def attest(school_id: int, criterion_id: str):
    school = access.get_school_to_edit(current_user, school_id)
    _attestable(school, criterion_id)
    note = request.form.get("note", "")
    existing = db.session.scalar(select(Attestation).where(Attestation.school_id == school.id,
                                                           Attestation.criterion_id == criterion_id))
    try:
        evidence = uploads.check(request.files.get("file"))
    except uploads.UploadError as exc:
        return _page(school, errors={criterion_id: _upload_messages()[exc.code]}, notes={criterion_id: note},
                     status=400)
    if len(note) > 3000:
        return _page(school, errors={criterion_id: _("The note is too long (at most 3000 characters).")},
                     notes={criterion_id: note}, status=400)
    if not note.strip() and evidence is None and not (existing and existing.file_name):
        return _page(school, errors={criterion_id: _("Write a note or add a file as evidence.")},
                     notes={criterion_id: note}, status=400)
    service.attest(school, criterion_id, note, evidence, current_user)
    audit.record("vignet.attested", actor=current_user, school_id=school.id, detail=criterion_id)
    db.session.commit()
    flash(_("Your attestation is saved."), "success")
    return redirect(url_for("vignet.index", school_id=school.id, _anchor=f"c-{criterion_id}"))


@bp.route("/attest/<criterion_id>/withdraw", methods=["POST"])
@login_required
def withdraw(school_id: int, criterion_id: str):
    school = access.get_school_to_edit(current_user, school_id)
    row = db.session.scalar(select(Attestation).where(Attestation.school_id == school.id,
                                                      Attestation.criterion_id == criterion_id))
    if row is None:
        abort(404)
    db.session.delete(row)
    audit.record("vignet.attestation_withdrawn", actor=current_user, school_id=school.id, detail=criterion_id)
    db.session.commit()
    flash(_("The attestation and its evidence are removed."), "success")
    return redirect(url_for("vignet.index", school_id=school.id, _anchor=f"c-{criterion_id}"))


@bp.route("/evidence/<int:attestation_id>")
@login_required
def evidence(school_id: int, attestation_id: int):
    school = access.get_school(current_user, school_id)
    row = access.get_child(Attestation, attestation_id, school)
    if row.file_data is None:
        abort(404)
    return Response(row.file_data, mimetype=row.file_type, headers={
        "Content-Disposition": f'attachment; filename="{row.file_name}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


@bp.route("/certificates", methods=["POST"])
@login_required
def certificate(school_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    form = CertificateForm()
    if not form.validate_on_submit():
        return _page(school, certificate_form=form, status=400)
    row = service.record_certificate(school, form.awarded_on.data, form.note.data or "", current_user)
    audit.record("vignet.certificate", actor=current_user, school_id=school.id, detail=str(row.awarded_on))
    db.session.commit()
    flash(_("The certificate is recorded; it is valid until %(date)s.", date=format_date(row.expires_on, "long")), "success")
    return redirect(url_for("vignet.index", school_id=school.id, _anchor="certificate"))


