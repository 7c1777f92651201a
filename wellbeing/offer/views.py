"""The local offer: kept by the municipality and GGD, read and linked by schools, uptake upward."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wellbeing import access, audit, csvout, db
from wellbeing.access import Level
from wellbeing.labels import locale_code
from wellbeing.menucard.service import menu_card
from wellbeing.pillars import PILLARS
from wellbeing.offer import csvio, facts, service
from wellbeing.offer.forms import ImportForm, ItemForm, PartnerForm
from wellbeing.offer.labels import HELPERS
from wellbeing.offer.models import OfferItem, Partner, PartnerKind
from wellbeing.offer.service import ItemInput, OfferError
from wellbeing.plans import service as plans
from wellbeing.tenancy.models import Municipality

bp = Blueprint("offer", __name__)
MAX_CSV = 2 * 1024 * 1024


@bp.app_context_processor
def _helpers():
    return {**HELPERS, "school_offer": service.for_school}


def _messages() -> dict[str, str]:
    return {
        "unknown-level": _("Choose a prevention level."), "unknown-pillar": _("Choose a pillar."),
        "unknown-school-type": _("Choose at least one school type."),
        "bad-ages": _("Give ages between 0 and 30, the lower one first."),
        "unknown-intervention": _("Choose an intervention from the list."),
        "unknown-item": _("This offer is not available for your school."),
        "unknown-kind": _("Choose whether the school uses the offer or wishes for it."),
        "unknown-target": _("Choose an activity or action of your school."),
        "target-required": _("Choose the activity or action the partner carries out."),
    }


def _pillar_labels(school_type: str = "po") -> dict[str, str]:
    card, lc = menu_card(), locale_code()
    return {p: card.pillar_label(p, school_type, lc) for p in PILLARS}


def _kept_in_region(municipality: Municipality) -> list[Municipality]:
    """The municipalities of ``municipality``'s region whose offer the user keeps."""
    query = access.municipalities_query(current_user).where(Municipality.region_id == municipality.region_id)
    return list(db.session.scalars(query))


def _may_edit(item: OfferItem) -> bool:
    return all(access.can_keep_offer(current_user, m) for m in item.municipalities)


def _may_edit_partner(partner: Partner) -> bool:
    """A partner is shared by the region: only someone who keeps every offer it has may change it."""
    items = db.session.scalars(select(OfferItem).where(OfferItem.partner_id == partner.id))
    return all(_may_edit(item) for item in items)


# --- for the municipality and the GGD ------------------------------------------------------------

@bp.route("/offer")
@login_required
def index():
    municipalities = [m for m in db.session.scalars(access.municipalities_query(current_user))]
    if not municipalities:
        abort(404)
    return render_template("offer/index.html", municipalities=municipalities)


@bp.route("/municipality/<int:municipality_id>/offer")
@login_required
def municipality(municipality_id: int):
    municipality = access.get_offer_municipality(current_user, municipality_id)
    pillar = request.args.get("pillar") if request.args.get("pillar") in PILLARS else None
    return render_template(
        "offer/municipality.html", municipality=municipality, items=service.items_for(municipality, pillar),
        pillar=pillar, pillars=_pillar_labels(), notes=access.sees_private_offer_notes(current_user, municipality),
        partners=service.partners_of(municipality.region_id), may_edit=_may_edit)


def _item_form(municipality: Municipality, item: OfferItem | None) -> ItemForm:
    form = ItemForm(obj=item)
    form.partner_id.choices = [(str(p.id), p.name) for p in service.partners_of(municipality.region_id)]
    form.pillar.choices = list(_pillar_labels().items())
    form.intervention_id.choices = [("", _("None"))] + service.intervention_choices()
    kept = _kept_in_region(municipality)
    if item is not None:
        kept += [m for m in item.municipalities if m not in kept]
    form.municipalities.choices = [(m.id, m.name) for m in kept]
    if not form.is_submitted():
        if item is None:
            form.municipalities.data, form.school_types.data = [municipality.id], ["po"]
            form.age_min.data, form.age_max.data = 4, 12
        else:
            form.partner_id.data = str(item.partner_id)
            form.school_types.data = list(item.types)
            form.municipalities.data = [m.id for m in item.municipalities]
            form.intervention_id.data = item.intervention_id or ""
    return form


@bp.route("/municipality/<int:municipality_id>/offer/items/new", methods=["GET", "POST"])
@bp.route("/municipality/<int:municipality_id>/offer/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item(municipality_id: int, item_id: int | None = None):
    municipality = access.get_offer_municipality(current_user, municipality_id)
    item = None
    if item_id is not None:
        item = service.get_item(municipality, item_id) or abort(404)
    notes = access.sees_private_offer_notes(current_user, municipality)
    editable = item is None or _may_edit(item)
    if request.method == "POST" and not editable:
        abort(403)
    form = _item_form(municipality, item)
    if not notes:
        del form.private_note
    if form.validate_on_submit():
        chosen = [db.session.get(Municipality, m) for m in form.municipalities.data]
        if not all(m is not None and m.region_id == municipality.region_id and access.can_keep_offer(current_user, m)
                   for m in chosen):
            abort(404)
        values = ItemInput(
            partner_id=int(form.partner_id.data), title=form.title.data.strip(),
            description=(form.description.data or "").strip(), level=form.level.data, pillar=form.pillar.data,
            school_types=tuple(form.school_types.data), age_min=form.age_min.data, age_max=form.age_max.data,
            request_route=(form.request_route.data or "").strip(), paid_by=(form.paid_by.data or "").strip(),
            intervention_id=form.intervention_id.data or None, municipality_ids=tuple(m.id for m in chosen))
        if service.get_partner(municipality, values.partner_id) is None:
            abort(404)
        try:
            service.save_item(item or OfferItem(region_id=municipality.region_id), values, chosen,
                              (form.private_note.data or "").strip() if notes else None)
            db.session.flush()
        except OfferError as exc:
            db.session.rollback()
            form.title.errors.append(_messages()[exc.code])
        except IntegrityError:
            db.session.rollback()
            form.title.errors.append(_("This partner already offers something with this title."))
        else:
            db.session.commit()
            flash(_("The offer is saved."), "success")
            return redirect(url_for("offer.municipality", municipality_id=municipality.id))
    return render_template("offer/item.html", municipality=municipality, form=form, item=item,
                           editable=editable), 400 if form.errors else 200


@bp.route("/municipality/<int:municipality_id>/offer/items/<int:item_id>/delete", methods=["POST"])
@login_required
def delete_item(municipality_id: int, item_id: int):
    municipality = access.get_offer_municipality(current_user, municipality_id)
    item = service.get_item(municipality, item_id) or abort(404)
    if not _may_edit(item):
        abort(403)
    db.session.delete(item)
    db.session.commit()
    flash(_("The offer is removed."), "success")
    return redirect(url_for("offer.municipality", municipality_id=municipality.id))


@bp.route("/municipality/<int:municipality_id>/offer/partners/new", methods=["GET", "POST"])
@bp.route("/municipality/<int:municipality_id>/offer/partners/<int:partner_id>", methods=["GET", "POST"])
@login_required
def partner(municipality_id: int, partner_id: int | None = None):
    municipality = access.get_offer_municipality(current_user, municipality_id)
    partner = None
    if partner_id is not None:
        partner = service.get_partner(municipality, partner_id) or abort(404)
    editable = partner is None or _may_edit_partner(partner)
    if request.method == "POST" and not editable:
        abort(403)
    form = PartnerForm(obj=partner)
    if partner is not None and not form.is_submitted():
        form.kind.data = partner.kind.value
    if form.validate_on_submit():
        partner = partner or Partner(region_id=municipality.region_id)
        partner.name, partner.kind = form.name.data.strip(), PartnerKind(form.kind.data)
        partner.contact = (form.contact.data or "").strip()
        db.session.add(partner)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.name.errors.append(_("There is already a partner with this name in the region."))
        else:
            flash(_("The partner is saved."), "success")
            return redirect(url_for("offer.municipality", municipality_id=municipality.id, _anchor="partners"))
    return render_template("offer/partner.html", municipality=municipality, form=form, partner=partner,
                           editable=editable), \
        400 if form.errors else 200


@bp.route("/municipality/<int:municipality_id>/offer/import", methods=["GET", "POST"])
@login_required
def import_csv(municipality_id: int):
    municipality = access.get_offer_municipality(current_user, municipality_id)
    form, errors, status = ImportForm(), [], 200
    if form.validate_on_submit():
        data = form.file.data.read(MAX_CSV + 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if len(data) > MAX_CSV:
            errors, status = [(0, _("The file is larger than 2 MB."))], 400
        elif text is None:
            errors, status = [(0, _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."))], 400
        else:
            kept = {m.code: m for m in _kept_in_region(municipality) if access.can_keep_offer(current_user, m)}
            result = csvio.import_offer(text, municipality.region_id, kept, (municipality.code,),
                                        access.sees_private_offer_notes(current_user, municipality))
            if result.ok:
                audit.record("offer.imported", actor=current_user,
                             detail=f"{municipality.code}: {result.created} new, {result.updated} updated")
                db.session.commit()
                flash(_("The offer is imported: %(created)d items added, %(updated)d updated.",
                        created=result.created, updated=result.updated), "success")
                return redirect(url_for("offer.municipality", municipality_id=municipality.id))
            db.session.rollback()
            errors, status = result.errors, 400
    elif form.errors:
        status = 400
    return render_template("offer/import.html", municipality=municipality, form=form, errors=errors,
                           filename=getattr(form.file.data, "filename", "") or "", columns=csvio.COLUMNS,
                           optional=csvio.OPTIONAL), status


@bp.route("/municipality/<int:municipality_id>/offer/export.csv")
@login_required
def export_csv(municipality_id: int):
    municipality = access.get_offer_municipality(current_user, municipality_id)
    rows = csvio.export(service.items_for(municipality), access.sees_private_offer_notes(current_user, municipality))
    return csvout.response(rows, f"aanbod-{municipality.code}.csv")


@bp.route("/municipality/<int:municipality_id>/offer/uptake")
@login_required
def uptake(municipality_id: int):
    municipality = access.get_offer_municipality(current_user, municipality_id)
    minimum = current_app.extensions["wellbeing.settings"].min_schools
    return render_template("offer/uptake.html", municipality=municipality, data=facts.municipality_uptake(municipality),
                           pillars=_pillar_labels(), minimum=minimum)


# --- for the school ----------------------------------------------------------------------------

def _targets(school) -> dict[str, list[tuple[str, str]]]:
    """Per pillar, the menu card activities and plan actions a link can point at."""
    card, lc, school_type = menu_card(), locale_code(), school.school_type.value
    targets = {p: [(f"a:{a.id}", _("Menu card: %(activity)s", activity=a.text[lc]))
                   for a in card.activities_for(p, school_type)] for p in PILLARS}
    for action in plans.actions(school):
        targets[action.pillar].append((f"p:{action.id}", _("Plan %(year)s: %(action)s", year=action.school_year,
                                                            action=action.title[:120])))
    return targets


@bp.route("/school/<int:school_id>/offer")
@login_required
def school(school_id: int):
    school = access.get_school(current_user, school_id, Level.PROGRESS)
    pillar = request.args.get("pillar") if request.args.get("pillar") in PILLARS else None
    offer = service.for_school(school)
    card, lc = menu_card(), locale_code()
    activities = {a.id: a.text[lc] for a in card.activities().values()}
    # Action titles are the school's own text: a GSA who sees progress only learns that an action
    # is linked, not what it says.
    content = access.school_level(current_user, school) >= Level.CONTENT
    actions = {a.id: a for a in plans.actions(school)} if content else {}
    return render_template(
        "offer/school.html", school=school, offer=offer, pillar=pillar,
        items=[i for i in offer.items if pillar is None or i.pillar == pillar],
        pillars=_pillar_labels(school.school_type.value), activities=activities, actions=actions,
        targets=_targets(school), can_edit=access.can_edit_school(current_user, school))


@bp.route("/school/<int:school_id>/offer/links", methods=["POST"])
@login_required
def link(school_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    item_id = request.form.get("item", "")
    try:
        service.add_link(school, int(item_id) if item_id.isdigit() else 0, request.form.get("kind", ""),
                         request.form.get("target", ""))
    except OfferError as exc:
        db.session.rollback()
        flash(_messages()[exc.code], "error")
    else:
        audit.record("offer.linked", actor=current_user, school_id=school.id)
        db.session.commit()
        flash(_("The link to the offer is saved."), "success")
    return redirect(_back(school, item_id))


def _back(school, item_id: str) -> str:
    back = request.form.get("next", "")
    if back.startswith(f"/school/{school.id}/") and "//" not in back:
        return back
    return url_for("offer.school", school_id=school.id, _anchor=f"item-{item_id}")


@bp.route("/school/<int:school_id>/offer/links/<int:link_id>/delete", methods=["POST"])
@login_required
def unlink(school_id: int, link_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    found = service.get_link(school, link_id) or abort(404)
    item_id = str(found.item_id)
    db.session.delete(found)
    audit.record("offer.unlinked", actor=current_user, school_id=school.id)
    db.session.commit()
    flash(_("The link to the offer is removed."), "success")
    return redirect(_back(school, item_id))
