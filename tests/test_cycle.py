"""The municipal cycle: released figures only, who may see and edit it, and what each step writes."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.audit import AuditEntry
from wellbeing.cycle import figures as released
from wellbeing.cycle import matrix, monitor
from wellbeing.cycle.models import Agreement, Choice, Need, Target
from wellbeing.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from wellbeing.tenancy.models import Municipality, School


# --- pure parts -------------------------------------------------------------------------------------

def _area(counts=None, scores=None, schools=None) -> released.AreaFigures:
    area = released.AreaFigures("m", "Somewhere")
    area.counts = counts or {}
    area.scores = scores or {}
    area.schools = schools or {}
    return area


@pytest.mark.parametrize(("low", "high", "base", "threshold", "state"), [
    (7, 7, 10, 70, monitor.MET),
    (6, 6, 10, 70, monitor.NOT_YET),
    (9, 10, 10, 95, monitor.ABOUT),        # the band 9–10 of 10 straddles 95 %: no verdict either way
    (9, 10, 10, 90, monitor.MET),
    (0, 1, 10, 15, monitor.NOT_YET),
])
def test_a_share_target_is_met_only_when_the_released_band_says_so(low, high, base, threshold, state):
    area = _area({("2026-2027", "participation"): {"po": released.Count(low, high, base)}})
    reading = monitor.read(area, "participation", "po", "2026-2027", threshold)
    assert reading.state == state
    assert reading.figure.startswith(f"{low}/{base}" if low == high else f"{low}–{high}/{base}")


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60).flatmap(lambda base: st.tuples(
    st.just(base), st.integers(0, base).flatmap(lambda low: st.tuples(st.just(low), st.integers(low, min(low + 1, base)))),
    st.integers(0, 100))))
def test_no_reading_claims_more_than_the_released_band_shows(case):
    """Whatever the band and threshold: "met" only when every value in the band meets the target,
    "not yet" only when none does, and "about there" exactly when the band straddles it."""
    base, (low, high), threshold = case
    area = _area({("2026-2027", "participation"): {"all": released.Count(low, high, base)}})
    state = monitor.read(area, "participation", "all", "2026-2027", threshold).state
    meets = [100 * value / base >= threshold for value in range(low, high + 1)]
    assert state == (monitor.MET if all(meets) else monitor.NOT_YET if not any(meets) else monitor.ABOUT)


def test_a_protected_or_missing_figure_is_never_read_as_a_value():
    area = _area({("2026-2027", "participation"): {"po": released.Count(None, None, 4)}},
                 {("2026-2027", "e1"): {"all": released.Median(None, None, None)}})
    assert monitor.read(area, "participation", "po", "2026-2027", 50) == monitor.Reading(monitor.PROTECTED, None, None, "")
    assert monitor.read(area, "median:e1", "all", "2026-2027", 50).state == monitor.PROTECTED
    assert monitor.read(area, "median:e1", "all", "2025-2026", 50).state == monitor.NO_FIGURE
    assert monitor.read(area, "participation", "vo", "2026-2027", 50).state == monitor.NO_FIGURE


def test_a_year_figure_comes_from_the_newest_release_that_publishes_it():
    older = {"schools": {"po": 10, "all": 10}, "counts": {"2025-2026|participation": {"po": [4, 4], "all": [4, 4]},
                                                          "2025-2026|scored": {"all": [3, 3]}},
             "scores": {"2025-2026|e1": {"all": [40, 50, 60]}}}
    newer = {"schools": {"po": 11, "all": 11}, "counts": {"2026-2027|participation": {"po": [0, 1], "all": [0, 1]},
                                                          "2025-2026|scored": {"all": [5, 5]}},
             "scores": {"2025-2026|e1": {"all": [41, 52, 61]}, "2026-2027|e1": {"all": None}}}
    area = released.read_area("m", "X", [(9, newer), (4, older)], latest_id=9)
    assert area.count("2025-2026", "participation", "po") == released.Count(4, 4, 10)   # only the older has it
    assert area.count("2026-2027", "participation", "po") == released.Count(0, 1, 11)
    assert area.count("2025-2026", "scored") == released.Count(5, 5, 11)               # the newer wins
    assert area.median("2025-2026", "e1").median == 52
    assert area.median("2026-2027", "e1").hidden
    assert area.schools == {"po": 11, "all": 11}


class _Partner:
    def __init__(self, name, kind):
        self.name, self.kind = name, kind


class _Item:
    def __init__(self, title, level, partner):
        self.title, self.level, self.partner = title, level, partner


def test_the_matrix_puts_offers_under_their_partner_kind_and_released_school_counts_in_the_schools_row():
    items = [_Item("Weerbaarheidstraining", "selective", _Partner("Jongerenwerk Oost", "youth_work")),
             _Item("Spreekuur JGZ", "universal", _Partner("JGZ Utrecht", "jgz"))]
    area = _area({("2026-2027", "prevention:universal"): {"po": released.Count(5, 5, 9), "all": released.Count(None, None, 12)}},
                 schools={"po": 9, "vo": 3, "all": 12})
    need = Need(sector="youth_work", level="indicated", text="Meer ambulant jongerenwerk")
    rows = {row.sector: row for row in matrix.build(items, [need], area, "2026-2027")}
    assert set(rows) == {"schools", "youth_work", "jgz"}      # sectors with nothing in them stay out
    assert [o.title for o in rows["youth_work"].cells[1].offers] == ["Weerbaarheidstraining"]
    assert rows["youth_work"].cells[2].needs == [need]
    assert rows["schools"].cells[0].schools == [("po", released.Count(5, 5, 9)), ("all", released.Count(None, None, 12))]
    assert rows["schools"].cells[1].schools == []             # no released figure: nothing invented


# --- with the demo data ------------------------------------------------------------------------------

@pytest.fixture
def demo(app):
    from wellbeing.demo import load_demo

    with app.app_context():
        logins = dict(load_demo())
        db.session.commit()
        utrecht = db.session.scalar(select(Municipality).where(Municipality.code == "GM0344"))
        ids = {"utrecht": utrecht.id, "other": db.session.scalar(select(Municipality.id).where(
            Municipality.code == "GM0345")), "kust": db.session.scalar(select(Municipality.id).where(
                Municipality.code == "GM0400")),
            "school_names": list(db.session.scalars(select(School.name)))}
    return logins, ids


def _client(app, email):
    client = english_client(app)
    assert login(client, email, DEMO_PASSWORD, DEMO_TOTP_SECRET).status_code == 302
    return client


def test_the_start_picture_shows_released_figures_beside_region_and_country_and_no_school(app, demo):
    logins, ids = demo
    client = _client(app, logins["municipality_officer"])
    page = client.get(f"/municipality/{ids['utrecht']}/cycle")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "GGD Demoland" in html and "Nederland" in html
    assert html.count('class="small-multiple"') >= 5           # one small chart per element
    assert not [name for name in ids["school_names"] if name in html]
    assert "waarstaatjegemeente.nl" in html and "gezondheidsmonitor-jeugd" in html
    # A year that is not released is ignored; a released one is picked.
    years = re.findall(r'<option value="(\d{4}-\d{4})"', html)
    assert len(years) >= 2
    older = client.get(f"/municipality/{ids['utrecht']}/cycle?year={years[-1]}").get_data(as_text=True)
    assert f'<option value="{years[-1]}" selected>' in older
    assert f"Wat opvalt in {years[-1]}" in older
    assert client.get(f"/municipality/{ids['utrecht']}/cycle?year=1999-2000").status_code == 200


def test_the_start_picture_points_to_the_types_whose_medians_show_where_all_types_are_protected():
    """Summary hint: only where every all-types median of the year is protected, and then exactly
    the types with a released median."""
    from wellbeing.cycle.summary import types_shown

    hidden, shown = released.Median(None, None, None), released.Median(40, 52, 60)
    elements = {"climate": "Climate", "vision": "Vision"}
    area = _area(scores={("2025-2026", "climate"): {"all": hidden, "po": shown, "vo": hidden},
                         ("2025-2026", "vision"): {"all": hidden, "po": hidden, "vo": hidden}},
                 schools={"po": 10, "vo": 5, "all": 15})
    assert types_shown(area, "2025-2026", elements) == ["po"]
    area.scores[("2025-2026", "vision")]["all"] = shown
    assert types_shown(area, "2025-2026", elements) == []       # all types show something: no hint
    assert types_shown(area, "2024-2025", elements) == []       # nothing released that year


def test_the_start_picture_reads_one_school_type_at_a_time(app, demo):
    """Every school type of the demo's Utrecht in every year: ``?type=`` shows exactly the released
    cells of that type for the municipality, the region and the country (whatever the rules of issue
    12 let show), the summary points to the types with medians where all types are protected, and a
    type the municipality has no schools of, or nonsense, reads all types."""
    from wellbeing.cycle.summary import types_shown
    from wellbeing.overview.service import labels

    logins, ids = demo
    client = _client(app, logins["municipality_officer"])
    base = f"/municipality/{ids['utrecht']}/cycle"
    with app.test_request_context():
        utrecht = db.session.get(Municipality, ids["utrecht"])
        found = released.load(utrecht.id, utrecht.region_id, {"m": "m", "r": "r", "n": "n"})
        elements = labels().elements
        type_labels = labels().type_labels
    compared = 0
    for year in found.years:
        page = client.get(f"{base}?year={year}").get_data(as_text=True)
        summary = page[page.index('id="h-summary"'):page.index("</section>", page.index('id="h-summary"'))]
        for t in found.municipality.types():
            assert (type_labels[t] in summary) == (t in types_shown(found.municipality, year, elements)), (year, t)
            typed = client.get(f"{base}?type={t}&year={year}").get_data(as_text=True)
            assert f'<option value="{t}" selected>' in typed
            compare = typed[typed.index('id="c-compare"'):]
            first_row = re.findall(r'<td class="num">(.*?)</td>', compare[:compare.index("</tr>", compare.index("<tbody>"))])
            for cell, area in zip(first_row, (found.areas["m"], found.areas["r"], found.areas["n"]), strict=True):
                count = area.count(year, "scored", t)
                shown = re.sub(r"<[^>]+>", "", cell).split(" (")[0].strip()
                assert (shown == f"{count.figure}/{count.base}") if count is not None and not count.hidden else \
                    (count is None or "afgeschermd" in cell), (year, t, cell, count)
                compared += 1
            with app.test_request_context():
                medians = _medians_table(typed)
            for element in medians:
                expected = [None if (m := a.median(year, element, t)) is None or m.hidden else m.median
                            for a in (found.areas["m"], found.areas["r"], found.areas["n"])]
                assert medians[element] == expected, (year, t, element, medians[element], expected)
                compared += 1
    assert compared > 20
    absent = [t for t in ("po", "vo", "so", "mbo") if t not in found.municipality.types()]
    for wrong in (*absent, "'; DROP", "all"):
        other = client.get(f"{base}?type={wrong}")
        assert other.status_code == 200
        assert '<option value="all" selected>' in other.get_data(as_text=True)


def _medians_table(html: str) -> dict[str, list[int | None]]:
    """The medians table of a start picture: element id -> [municipality, region, country]."""
    from wellbeing.overview.service import labels

    table = html[html.index('id="c-medians"'):]
    table = table[:table.index("</table>")]
    result = {}
    with_titles = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table):
        with_titles[row[0]] = [None if "afgeschermd" in c or "protected" in c else int(re.sub(r"\D", "", c))
                               for c in re.findall(r'<td class="num">(.*?)</td>', row[1])]
    for element, title in labels().elements.items():
        if title in with_titles:
            result[element] = with_titles[title]
    return result


def test_every_figure_of_the_cycle_is_a_figure_the_overview_pages_publish(app, demo):
    """The disclosure auditor attacks the overview pages of every area; the cycle shows those same
    released cells and nothing else, so it is covered by the same audit."""
    from wellbeing.overview import service as overview
    from wellbeing.release.models import ReleaseArea
    from wellbeing.tenancy.models import Region

    logins, ids = demo
    with app.test_request_context():
        utrecht = db.session.get(Municipality, ids["utrecht"])
        region = db.session.get(Region, utrecht.region_id)
        found = released.load(utrecht.id, region.id, {"m": "m", "r": "r", "n": "n"})
        pages = {"m": overview.overview(region, utrecht), "r": overview.overview(region), "n": overview.national()}
        compared = 0
        for level, page in pages.items():
            area = found.areas[level]
            for table, measure_of in ((page.participation, lambda i: "participation"),
                                      (page.certificates, lambda i: "certificates"),
                                      (page.pillars, lambda i: ("pillar:educatie", "pillar:signaleren",
                                                                "pillar:omgeving", "pillar:beleid")[i]),
                                      (page.prevention, lambda i: ("prevention:universal", "prevention:selective",
                                                                   "prevention:indicated")[i])):
                for index, row in enumerate(table.rows):
                    for column, cell in row.cells.items():
                        mine = area.count(page.school_year, measure_of(index), column)
                        if cell.hidden == "no-schools":
                            assert mine is None
                        elif cell.hidden:
                            assert mine.hidden
                        else:
                            assert (mine.low, mine.high, mine.base) == (cell.count, cell.high or cell.count, cell.base)
                        compared += 1
            for year in page.scores:
                for row in year.rows:
                    for column, cell in row.cells.items():
                        mine = area.median(year.school_year, row.element_id, column)
                        assert (mine.median if not mine.hidden else None) == cell.median
                        compared += 1
        assert compared > 100
        # Nothing else: every area the cycle reads is one of the three pages.
        areas = {(a.level, a.area_id) for a in db.session.scalars(select(ReleaseArea))}
        assert {("m", utrecht.id), ("r", region.id), ("n", 0)} <= areas


def test_the_cycle_figures_move_only_with_a_release(app, demo):
    from wellbeing.release.job import make_release
    from wellbeing.summaries.models import SchoolStatus

    logins, ids = demo
    client = _client(app, logins["municipality_officer"])
    before = _main(client.get(f"/municipality/{ids['utrecht']}/cycle"))
    with app.app_context():
        for status in db.session.scalars(select(SchoolStatus).where(SchoolStatus.municipality_id == ids["utrecht"])):
            status.finalised_this_year = not status.finalised_this_year
            status.doing_beleid = not status.doing_beleid
        db.session.commit()
    assert _main(client.get(f"/municipality/{ids['utrecht']}/cycle")) == before
    with app.app_context():
        made = make_release(reason="manual")
        made.released_at += timedelta(days=1)    # the page names its release to the minute
        db.session.commit()
        area = released.load(ids["utrecht"], made_region(ids["utrecht"]), {"m": "", "r": "", "n": ""}).municipality
        participation = area.count(made.school_year, "participation")
    after = _main(client.get(f"/municipality/{ids['utrecht']}/cycle"))
    assert after != before
    cell = re.search(r"<th scope=\"row\">Heeft dit schooljaar een checklistronde afgerond</th><td class=\"num\">(.*?)</td>",
                     after).group(1)
    assert re.sub(r"<[^>]+>|\s*\(\d+%\)", "", cell).strip() == (
        "afgeschermd" if participation.hidden else f"{participation.figure}/{participation.base}")


def _main(response) -> str:
    """The page's content, without the header (whose language form carries a fresh CSRF token)."""
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


def made_region(municipality_id: int) -> int:
    return db.session.get(Municipality, municipality_id).region_id


def test_the_officer_and_the_ggd_walk_the_steps_and_every_change_is_logged(app, demo):
    logins, ids = demo
    base = f"/municipality/{ids['utrecht']}/cycle"
    officer = _client(app, logins["municipality_officer"])
    token = csrf_token(officer, base + "/matrix")
    response = officer.post(base + "/situations", data={"csrf_token": token, "situation-keys": [
        "safe-climate", "trusted-adult", "early-signals"]})
    assert response.status_code == 302
    too_many = officer.post(base + "/problems", data={"csrf_token": token, "problem-keys": [
        "bullying", "pressure", "loneliness"], "problem-own": "Schermgebruik"})
    assert too_many.status_code == 400 and "Kies er hoogstens 3" in too_many.get_data(as_text=True)
    assert officer.post(base + "/problems", data={"csrf_token": token, "problem-keys": ["bullying"],
                                                  "problem-own": "Schermgebruik"}).status_code == 302
    assert officer.post(base + "/needs", data={"csrf_token": token, "need-sector": "youth_work",
                                               "need-level": "selective", "need-text": "Jongerenwerk in de pauzes"
                                               }).status_code == 302
    assert officer.post(base + "/needs", data={"csrf_token": token, "need-sector": "nowhere",
                                               "need-level": "selective", "need-text": "x"}).status_code == 400
    response = officer.post(base + "/targets", data={
        "csrf_token": token, "target-ambition": "Alle basisscholen doen mee", "target-indicator": "participation",
        "target-school_type": "po", "target-threshold": "70", "target-by_year": _year(officer, base)})
    assert response.status_code == 302
    assert officer.post(base + "/targets", data={
        "csrf_token": token, "target-indicator": "median:nope", "target-school_type": "po",
        "target-threshold": "170", "target-by_year": "1999-2000"}).status_code == 400
    matrix_page = officer.get(base + "/matrix").get_data(as_text=True)
    assert "Jongerenwerk in de pauzes" in matrix_page and "Schermgebruik" in matrix_page

    # The GSA of the region sees the officer's work and records an agreement on it.
    gsa = _client(app, logins["gsa"])
    assert "Jongerenwerk in de pauzes" in gsa.get(base + "/matrix").get_data(as_text=True)
    gsa_token = csrf_token(gsa, base + "/agreements")
    with app.app_context():
        target_id = db.session.scalar(select(Target.id))
    response = gsa.post(base + "/agreements", data={
        "csrf_token": gsa_token, "what": "Training signaleren voor alle leerkrachten", "who": "GGD",
        "partner_id": "", "due_on": "2027-06-30", "forum": "lea", "status": "planned", "target_id": str(target_id),
        "note": ""})
    assert response.status_code == 302
    assert gsa.post(base + "/agreements", data={"csrf_token": gsa_token, "what": "", "who": "", "forum": "nowhere",
                                                "status": "planned"}).status_code == 400
    monitoring = officer.get(base + "/monitoring").get_data(as_text=True)
    assert "Alle basisscholen doen mee" in monitoring
    csv = officer.get(base + "/agreements.csv")
    assert csv.mimetype == "text/csv" and "Training signaleren" in csv.get_data(as_text=True)
    assert "Jongerenwerk in de pauzes" in officer.get(base + "/matrix.csv").get_data(as_text=True)

    with app.app_context():
        assert db.session.scalar(select(Agreement.what)) == "Training signaleren voor alle leerkrachten"
        assert len(db.session.scalars(select(Choice)).all()) == 5
        actions = [(e.action, e.actor.email) for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("cycle.%")).order_by(AuditEntry.id))]
    assert actions == [("cycle.situations.saved", logins["municipality_officer"]),
                       ("cycle.problems.saved", logins["municipality_officer"]),
                       ("cycle.need.added", logins["municipality_officer"]),
                       ("cycle.target.added", logins["municipality_officer"]),
                       ("cycle.agreement.added", logins["gsa"])]


def _year(client, base) -> str:
    html = client.get(base + "/matrix").get_data(as_text=True)
    return re.search(r'id="target-by_year"[^>]*>\s*<option[^>]*value="([^"]+)"', html).group(1)


def test_a_coordinator_and_an_officer_of_another_municipality_get_none_of_it(app, demo):
    logins, ids = demo
    coordinator = _client(app, logins["school_coordinator"])
    assert coordinator.get("/cycle").status_code == 404
    for path in ("", "/matrix", "/agreements", "/monitoring", "/matrix.csv", "/agreements.csv"):
        assert coordinator.get(f"/municipality/{ids['utrecht']}/cycle{path}").status_code == 404
    assert "/cycle" not in coordinator.get("/").get_data(as_text=True).split("<main")[0]
    officer = _client(app, logins["municipality_officer"])
    assert officer.get(f"/municipality/{ids['other']}/cycle").status_code == 404
    gsa = _client(app, logins["gsa"])
    assert gsa.get(f"/municipality/{ids['other']}/cycle").status_code == 200
    assert gsa.get(f"/municipality/{ids['kust']}/cycle").status_code == 404


def test_the_monitoring_pdf_is_made_by_a_job_and_names_no_school(app, demo, tmp_path):
    import subprocess

    logins, ids = demo
    base = f"/municipality/{ids['utrecht']}/cycle"
    officer = _client(app, logins["municipality_officer"])
    token = csrf_token(officer, base + "/monitoring")
    assert officer.post(base + "/report", data={"csrf_token": token, "locale": "nl"}).status_code == 302
    page = officer.get(base + "/monitoring").get_data(as_text=True)
    link = re.search(r'href="([^"]+\.pdf)"', page).group(1)
    pdf = officer.get(link)
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    target = tmp_path / "cyclus.pdf"
    target.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Utrecht" in text and "Preventiematrix" in text
    assert not [name for name in ids["school_names"] if name in text]
    assert officer.post(base + "/report", data={"csrf_token": token, "locale": "xx"}).status_code == 400


def test_a_target_reading_uses_the_released_payload(app, ctx):
    """A target on a municipality is read from its released area row, whatever the summaries say."""
    from datetime import date

    from wellbeing.release.models import Release, ReleaseArea

    region = factories.region()
    place = factories.municipality(region)
    release = Release(school_year="2026-2027", reason="manual", next_release_on=date(2027, 1, 1), geography="{}")
    db.session.add(release)
    db.session.flush()
    db.session.add(ReleaseArea(release_id=release.id, level="m", area_id=place.id, payload=json.dumps(
        {"schools": {"po": 8, "all": 8}, "counts": {"2026-2027|participation": {"po": [6, 6], "all": [6, 6]}},
         "scores": {}})))
    db.session.add(Target(municipality_id=place.id, ambition="", indicator="participation", school_type="po",
                          threshold=70, by_year="2028-2029"))
    db.session.commit()
    from wellbeing.cycle.data import gather

    with factories_request(ctx):
        view = gather(place, with_matrix=False).targets[0]
    assert view.readings == [("2026-2027", monitor.Reading(monitor.MET, 75.0, 75.0, "6/8 (75 %)"))]


def factories_request(_ctx):
    from flask import current_app

    return current_app.test_request_context()


def test_nobody_outside_the_region_reaches_the_cycle_of_a_municipality(app, ctx, client):
    place = factories.municipality()
    outsider = factories.user(Role.MUNICIPALITY_OFFICER, factories.municipality())
    db.session.commit()
    login(client, outsider.email)
    assert client.get(f"/municipality/{place.id}/cycle").status_code == 404
    assert client.get("/cycle").status_code == 200


# --- groups of municipalities -------------------------------------------------------------------------

from wellbeing.cycle import group_figures  # noqa: E402
from wellbeing.cycle.models import CycleGroup  # noqa: E402

_cells = st.one_of(st.none(), st.integers(0, 30).flatmap(lambda base: st.one_of(
    st.just(released.Count(None, None, base)),
    st.integers(0, base).flatmap(lambda low: st.integers(low, min(low + 1, base)).map(
        lambda high: released.Count(low, high, base))))))


@settings(max_examples=200, deadline=None)
@given(st.lists(_cells, min_size=1, max_size=6))
def test_a_group_count_is_the_sum_of_the_members_released_counts_or_protected(cells):
    """Protected when any member's count is; otherwise exactly the sum of the released bands (a
    figure anyone holding the members' pages can add up), over the members' public school numbers."""
    summed = group_figures.add_up(cells)
    present = [c for c in cells if c is not None]
    if not present:
        assert summed is None
        return
    assert summed.base == sum(c.base for c in present)
    if any(c.hidden for c in present):
        assert summed.hidden
    else:
        assert (summed.low, summed.high) == (sum(c.low for c in present), sum(c.high for c in present))


def test_a_group_has_no_median_and_no_sum_where_a_member_has_no_release_of_that_year():
    a = _area({("2026-2027", "participation"): {"po": released.Count(3, 3, 5), "all": released.Count(4, 4, 7)},
               ("2025-2026", "participation"): {"all": released.Count(2, 2, 7)}},
              {("2026-2027", "e1"): {"all": released.Median(40, 50, 60)}}, {"po": 5, "vo": 2, "all": 7})
    b = _area({("2026-2027", "participation"): {"po": released.Count(1, 2, 4), "all": released.Count(1, 2, 4)}},
              {("2026-2027", "e1"): {"all": released.Median(55, 66, 70)}}, {"po": 4, "all": 4})
    group = group_figures.combine("G", [a, b])
    assert group.count("2026-2027", "participation", "po") == released.Count(4, 5, 9)
    assert group.count("2026-2027", "participation") == released.Count(5, 6, 11)
    assert group.count("2025-2026", "participation") is None      # b was not in that year's release
    assert group.median("2026-2027", "e1") is None                 # medians are never merged
    assert group.schools == {"po": 9, "vo": 2, "all": 11}
    assert monitor.read(group, "median:e1", "all", "2026-2027", 50) == monitor.Reading(monitor.MET, 50, 66, "50–66")
    assert monitor.read(group, "median:e1", "all", "2026-2027", 60).state == monitor.ABOUT
    assert monitor.read(group, "median:e1", "all", "2026-2027", 67).state == monitor.NOT_YET
    b.scores[("2026-2027", "e1")]["all"] = released.Median(None, None, None)
    assert monitor.read(group, "median:e1", "all", "2026-2027", 10).state == monitor.PROTECTED


def _make_group(client, name: str, member_ids: list[int]):
    token = csrf_token(client, "/cycle/groups/new")
    return client.post("/cycle/groups/new", data={"csrf_token": token, "name": name,
                                                  "members": [str(i) for i in member_ids]})


def _demo_ids(app) -> dict[str, int]:
    with app.app_context():
        return {code: db.session.scalar(select(Municipality.id).where(Municipality.code == code))
                for code in ("GM0344", "GM0345", "GM0353", "GM0400")}


def test_a_group_runs_the_whole_cycle_for_its_members_officers_and_the_ggd(app, demo):
    import subprocess

    logins, ids = demo
    codes = _demo_ids(app)
    officer = _client(app, logins["municipality_officer"])
    # An officer groups their own municipality with neighbours of the same region, never without it
    # and never across regions.
    assert _make_group(officer, "Zonder Utrecht", [codes["GM0345"], codes["GM0353"]]).status_code == 400
    assert _make_group(officer, "Alleen", [codes["GM0344"]]).status_code == 400
    assert _make_group(officer, "Over de grens", [codes["GM0344"], codes["GM0400"]]).status_code == 400
    response = _make_group(officer, "Jeugdregio Utrecht-West", [codes["GM0344"], codes["GM0345"], codes["GM0353"]])
    assert response.status_code == 302
    base = response.headers["Location"]
    assert re.fullmatch(r"/cycle/group/\d+", base)
    start = officer.get(base).get_data(as_text=True)
    for name in ("Utrecht", "Veenendaal", "IJsselstein", "GGD Demoland", "Jeugdregio Utrecht-West"):
        assert name in start
    assert not [name for name in ids["school_names"] if name in start]

    token = csrf_token(officer, base + "/matrix")
    assert officer.post(base + "/situations", data={"csrf_token": token, "situation-keys": [
        "safe-climate", "early-signals"]}).status_code == 302
    assert officer.post(base + "/needs", data={"csrf_token": token, "need-sector": "jgz", "need-level": "indicated",
                                               "need-text": "Eén wachtlijst voor de hele jeugdregio"}).status_code == 302
    by_year = _year(officer, base)
    for indicator, threshold in (("participation", "60"), ("median:e1", "55")):
        assert officer.post(base + "/targets", data={
            "csrf_token": token, "target-ambition": f"Samen {indicator}", "target-indicator": indicator,
            "target-school_type": "all", "target-threshold": threshold, "target-by_year": by_year}).status_code in (302, 400)
    matrix_page = officer.get(base + "/matrix").get_data(as_text=True)
    assert "Eén wachtlijst voor de hele jeugdregio" in matrix_page
    # The matrix takes in the offer of every member municipality.
    with app.app_context():
        from wellbeing.cycle.data import offer_items
        group = db.session.scalar(select(CycleGroup))
        titles = {item.title for item in offer_items(group)}
    assert titles and all(title in matrix_page for title in titles)

    # The region's GSA works on it too; the agreement belongs to the group, not to a municipality.
    gsa = _client(app, logins["gsa"])
    gsa_token = csrf_token(gsa, base + "/agreements")
    assert gsa.post(base + "/agreements", data={
        "csrf_token": gsa_token, "what": "Gezamenlijke inkoop weerbaarheidstraining", "who": "Jeugdregio",
        "partner_id": "", "due_on": "2027-09-01", "forum": "oogo", "status": "underway", "target_id": "",
        "note": ""}).status_code == 302
    with app.app_context():
        agreement = db.session.scalar(select(Agreement))
        assert (agreement.group_id, agreement.municipality_id) == (group.id, None)
        assert db.session.scalar(select(Need.group_id)) == group.id
    assert "Gezamenlijke inkoop" not in officer.get(
        f"/municipality/{codes['GM0344']}/cycle/agreements").get_data(as_text=True)
    assert "Gezamenlijke inkoop" in officer.get(base + "/agreements.csv").get_data(as_text=True)
    monitoring = officer.get(base + "/monitoring").get_data(as_text=True)
    assert "Samen participation" in monitoring

    assert officer.post(base + "/report", data={"csrf_token": token, "locale": "nl"}).status_code == 302
    link = re.search(r'href="([^"]+\.pdf)"', officer.get(base + "/monitoring").get_data(as_text=True)).group(1)
    assert link.startswith(base + "/report/")
    pdf = officer.get(link)
    assert pdf.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    assert "Jeugdregio Utrecht-West" in text and "Veenendaal" in text and "Eén wachtlijst" in text
    assert not [name for name in ids["school_names"] if name in text]
    # A group's report is not reachable through a member municipality, nor the other way round.
    assert officer.get(link.replace(base, f"/municipality/{codes['GM0344']}/cycle")).status_code == 404

    with app.app_context():
        actions = [e.detail.split(":")[0] for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("cycle.%")))]
    assert actions and set(actions) == {f"GROUP{group.id}"}

    # Nobody else: the coordinator gets 404 on every group page, and the other region's admin too.
    coordinator = _client(app, logins["school_coordinator"])
    for path in ("", "/matrix", "/agreements", "/monitoring", "/matrix.csv", "/agreements.csv", "/edit"):
        assert coordinator.get(base + path).status_code == 404
    assert coordinator.get("/cycle/groups/new").status_code == 404


def test_an_officer_sees_only_groups_with_one_of_their_municipalities(app):
    with app.app_context():
        region = factories.region()
        own, neighbour, third = (factories.municipality(region) for _ in range(3))
        emails = [factories.user(role, scope).email for role, scope in (
            (Role.REGION_ADMIN, region), (Role.MUNICIPALITY_OFFICER, own), (Role.MUNICIPALITY_OFFICER, third))]
        member_ids = [own.id, neighbour.id]
        db.session.commit()
    admin, officer, outsider = (english_client(app) for _ in emails)
    for client, email in zip((admin, officer, outsider), emails):
        assert login(client, email).status_code == 302
    response = _make_group(admin, "Noord", member_ids)
    assert response.status_code == 302
    base = response.headers["Location"]
    assert officer.get(base + "/matrix").status_code == 200
    assert "Noord" in officer.get("/cycle").get_data(as_text=True)
    assert outsider.get(base).status_code == 404
    assert outsider.get(base + "/edit").status_code == 404
    assert "Noord" not in outsider.get("/cycle").get_data(as_text=True)
    token = csrf_token(officer, base + "/matrix")
    assert officer.post(base + "/needs", data={"csrf_token": token, "need-sector": "jgz", "need-level": "universal",
                                               "need-text": "Samen"}).status_code == 302
    # Removing the group removes its cycle with it.
    assert admin.post(base + "/remove", data={"csrf_token": csrf_token(admin, base + "/edit")}).status_code == 302
    assert admin.get(base).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Need.id).where(Need.text == "Samen")) is None


def test_a_group_page_shows_no_figure_that_is_not_published_in_a_release(app, demo):
    """Read as the attacker of tests/disclosure.py reads: the CSV export of every member's, the
    region's and the national overview page. Every count on the group's start picture is one of
    those published cells, or the sum of the members' published cells of one row (a linear
    combination of published figures, which determines nothing the pages did not); every median is a
    published median of that member. A member's protected cell makes the group's cell protected."""
    from tests import disclosure
    from wellbeing.overview.service import labels as overview_labels
    from wellbeing.tenancy.models import Region

    logins, ids = demo
    codes = _demo_ids(app)
    members = [codes["GM0344"], codes["GM0345"], codes["GM0353"]]
    gsa = _client(app, logins["gsa"])
    base = _make_group(gsa, "Alle drie", members).headers["Location"]
    with app.app_context():
        region_id = db.session.scalar(select(Region.id).where(Region.name == "GGD Demoland"))
        members = list(db.session.scalars(select(Municipality.id).where(Municipality.id.in_(members))
                                          .order_by(Municipality.name)))     # the page's column order
    pages = {("m", m): gsa.get(f"/municipality/{m}/overview.csv").get_data(as_text=True) for m in members}
    pages[("r", region_id)] = gsa.get(f"/region/{region_id}/overview.csv").get_data(as_text=True)
    admin = _client(app, logins["platform_admin"])
    pages[("n", 0)] = admin.get("/overview/national.csv").get_data(as_text=True)
    release = disclosure.Release(region_of={}, schools={}, pages=pages, truth={})
    counts = disclosure.published_counts(release)
    scores = disclosure.published_scores(release)
    year = next(iter(counts))[2]
    bases = {}
    for (level, area), text in pages.items():
        for row in csv_rows(text):
            if row["status"] == "shown" and row["base"]:
                bases[(level, area, row["school_type"], row["school_year"], row["section"], row["row"])] = row["base"]

    def published(level, area):
        """Every (count text, base) the area's page publishes for the year, all school types together."""
        found = set()
        for (section, label, y), cells in counts.items():
            if y != year or section == "priorities" or (level, area, "all") not in cells:
                continue
            cell = cells[(level, area, "all")]
            if cell is not None:
                text = str(cell[0]) if cell[0] == cell[1] else f"{cell[0]}–{cell[1]}"
                found.add((text, int(bases[(level, area, "all", y, section, label)])))
        return found

    html = gsa.get(f"{base}?year={year}").get_data(as_text=True)
    table = html[html.index('id="c-compare"'):]
    table = table[:table.index("</table>")]
    areas = [("m", m) for m in members] + [("group", 0), ("r", region_id), ("n", 0)]
    checked = 0
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S):
        cells = [_cell(text) for text in re.findall(r'<td class="num[^"]*">(.*?)</td>', row, re.S)]
        assert len(cells) == len(areas)
        for (level, area), cell in zip(areas, cells):
            if level != "group" and cell not in ("protected", "none"):
                assert cell in published(level, area), f"{cell} is not on the page of {level} {area}"
                checked += 1
        member_cells, group_cell = cells[:len(members)], cells[len(members)]
        if "protected" in member_cells:
            assert group_cell == "protected"
        elif group_cell != "none":
            lows = [int(c[0].split("–")[0]) for c in member_cells if c != "none"]
            highs = [int(c[0].split("–")[-1]) for c in member_cells if c != "none"]
            expected = str(sum(lows)) if sum(lows) == sum(highs) else f"{sum(lows)}–{sum(highs)}"
            assert group_cell == (expected, sum(c[1] for c in member_cells if c != "none"))
            checked += 1
    medians = html[html.index('id="c-medians"'):]
    medians = medians[:medians.index("</table>")]
    with app.test_request_context():
        element_of = {str(title): element for element, title in overview_labels().elements.items()}
    for title, row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", medians, re.S):
        shown = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r'<td class="num">(.*?)</td>', row, re.S)]
        for (level, area), value in zip([a for a in areas if a[0] != "group"], shown):
            if value.isdigit():
                assert float(scores[(level, area, "all", year, element_of[title])][1]) == int(value)
                checked += 1
    assert checked > 20


def csv_rows(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def _cell(html: str):
    """A count cell as ("12" or "3–4", base), or "protected" / "none"."""
    text = re.sub(r"<[^>]+>", "", html).strip()
    found = re.match(r"(\d+(?:–\d+)?)/(\d+)", text)
    if found:
        return found.group(1), int(found.group(2))
    return "protected" if text and not text.startswith(("no figure", "geen")) else "none"
