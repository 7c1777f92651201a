"""`wellbeing import-schools`: validate first, report every bad row, write all or nothing."""
from sqlalchemy import func, select

from tests import factories
from wellbeing import db
from wellbeing.cli import main
from wellbeing.tenancy.models import School

HEADER = "BRIN;vestigingsnummer;naam;type;gemeentecode;gemeentenaam\n"


def test_a_file_with_bad_rows_reports_each_with_its_line_and_writes_nothing(app, ctx, tmp_path):
    factories.region(code="GGD-X")
    db.session.commit()
    body = ("12AB;00;De Eik;po;GM0344;Utrecht\n"
            "1XAB;00;Foute brin;po;GM0344;Utrecht\n"
            "12AC;00;Verkeerd type;hbo;GM0344;Utrecht\n"
            "12AD;00;;vo;GM034;Utrecht\n"
            "12AB;00;Dubbel;po;GM0344;Utrecht\n")
    result = app.test_cli_runner().invoke(main, ["import-schools", str(_write(tmp_path, body)), "--region", "GGD-X"])
    assert result.exit_code == 1
    output = result.output
    assert ":3: BRIN '1XAB'" in output
    assert ":4: type 'hbo'" in output
    assert ":5: name is empty" in output and "GM034" in output
    assert ":6: school 12AB 00 also appears on line 2" in output
    assert "nothing was imported" in output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(School)) == 0


def test_reimport_updates_instead_of_duplicating(app, ctx, tmp_path):
    factories.region(code="GGD-X")
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(main, ["import-schools", str(_write(tmp_path, "12AB;0;De Eik;po;0344;Utrecht\n")),
                                 "--region", "GGD-X"])
    assert first.exit_code == 0, first.output
    assert "1 created" in first.output and "1 municipalities created" in first.output
    second = runner.invoke(main, ["import-schools", str(_write(tmp_path, "12AB;00;De Eik (nieuw);po;GM0344;Utrecht\n"))])
    assert second.exit_code == 0, second.output
    assert "0 created, 1 updated" in second.output
    db.session.rollback()
    schools = db.session.scalars(select(School)).all()
    assert [(s.brin, s.vestiging, s.name) for s in schools] == [("12AB", "00", "De Eik (nieuw)")]


def test_unknown_municipality_without_region_is_an_error_naming_the_line(app, ctx, tmp_path):
    result = app.test_cli_runner().invoke(main, ["import-schools", str(_write(tmp_path, "12AB;00;X;po;GM9999;Nergens\n"))])
    assert result.exit_code == 1
    assert ":2: municipality GM9999 is unknown" in result.output


def test_missing_columns_are_named(app, ctx, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("brin;naam\n12AB;X\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["import-schools", str(path)])
    assert result.exit_code == 1 and "missing column(s): vestigingsnummer" in result.output


def _write(tmp_path, body: str):
    path = tmp_path / f"scholen{abs(hash(body))}.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_board_columns_link_schools_to_their_board_and_bad_board_numbers_are_reported(app, ctx, tmp_path):
    from wellbeing.tenancy.models import Board

    factories.region(code="GGD-X")
    db.session.commit()
    header = "BRIN;vestigingsnummer;naam;type;gemeentecode;gemeentenaam;bestuursnummer;bestuursnaam\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "12AB;00;De Eik;po;GM0344;Utrecht;12X;Stichting\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["import-schools", str(bad), "--region", "GGD-X"])
    assert result.exit_code == 1 and ":2: board number '12X'" in result.output
    good = tmp_path / "good.csv"
    good.write_text(header + "12AB;00;De Eik;po;GM0344;Utrecht;41234;Stichting Boom\n"
                             "12AC;00;De Beuk;po;GM0344;Utrecht;41234;Stichting Boom\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["import-schools", str(good), "--region", "GGD-X"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    board = db.session.scalars(select(Board)).one()
    assert (board.code, board.name) == ("41234", "Stichting Boom")
    assert {s.board_id for s in db.session.scalars(select(School))} == {board.id}


def test_a_school_moved_by_an_import_counts_in_its_new_municipality_at_once(app, ctx, tmp_path):
    from wellbeing.summaries.models import SchoolStatus
    from wellbeing.summaries.refresh import refresh_school

    factories.region(code="GGD-X")
    db.session.commit()
    run = app.test_cli_runner().invoke
    assert run(main, ["import-schools", str(_write(tmp_path, "12AB;00;De Eik;po;GM0344;Utrecht\n")),
                      "--region", "GGD-X"]).exit_code == 0
    school = db.session.scalar(select(School))
    refresh_school(school)
    db.session.commit()
    moved = run(main, ["import-schools", str(_write(tmp_path, "12AB;00;De Eik;vo;GM0307;Amersfoort\n")),
                       "--region", "GGD-X"])
    assert moved.exit_code == 0 and "the overviews follow 1 moved school(s)" in moved.output, moved.output
    db.session.rollback()
    status = db.session.get(SchoolStatus, school.id)
    municipality_id = db.session.scalar(select(School.municipality_id).where(School.id == school.id))
    assert (status.municipality_id, status.school_type) == (municipality_id, "vo")
