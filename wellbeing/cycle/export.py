"""The rows of the cycle's CSV exports (the matrix with the top situations and targets; the
agreements). Translated here; ``csvout`` writes them. Call inside an app context."""
from __future__ import annotations

from flask_babel import gettext as _

from wellbeing.cycle.catalogue import FORUMS, STATUSES, level_label, sector_label
from wellbeing.cycle.data import Cycle
from wellbeing.cycle.service import choice_label


def matrix_rows(cycle: Cycle) -> list[list]:
    rows = [[_("Kind"), _("Sector"), _("Level"), _("Entry"), _("Detail")]]
    for choice in cycle.choices:
        rows.append([_("Top desired situation") if choice.kind == "situation" else _("Top problem"), "", "",
                     choice_label(choice), ""])
    for row in cycle.matrix:
        for cell in row.cells:
            for offer in cell.offers:
                rows.append([_("Offer"), sector_label(row.sector), level_label(cell.level), offer.title, offer.partner])
            for column, count in cell.schools:
                figure = _("protected") if count.hidden else f"{count.figure}/{count.base}"
                rows.append([_("Schools using a recognised intervention"), sector_label(row.sector),
                             level_label(cell.level), cycle.type_labels.get(column, column), figure])
            for need in cell.needs:
                rows.append([_("Still needed"), sector_label(row.sector), level_label(cell.level), need.text, ""])
    for view in cycle.targets:
        rows.append([_("Measurable target"), "", "", view.target.ambition or view.label, view.words])
    return rows


def agreement_rows(cycle: Cycle) -> list[list]:
    rows = [[_("What"), _("Who"), _("Partner"), _("By when"), _("Agreed in"), _("Status"), _("Serves the target"), _("Note")]]
    targets = {view.target.id: view.words for view in cycle.targets}
    for a in cycle.agreements:
        rows.append([a.what, a.who, a.partner.name if a.partner else "", a.due_on.isoformat() if a.due_on else "",
                     str(FORUMS[a.forum]), str(STATUSES[a.status]), targets.get(a.target_id, ""), a.note])
    return rows
