"""Instrument files: the shipped ones are valid; a broken one stops start-up naming file and field."""
import shutil
from pathlib import Path

import pytest
import yaml

from wellbeing.app import create_app
from wellbeing.cli import main
from wellbeing.config import load_settings
from wellbeing.instruments.registry import INSTRUMENT_DIR, load_directory
from wellbeing.instruments.schema import InstrumentError

CHECKLIST = INSTRUMENT_DIR / "checklist-welbevinden-v1.yaml"


def _copy_with(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(CHECKLIST.read_text(encoding="utf-8"))
    change(data)
    target = tmp_path / "instruments"
    target.mkdir(exist_ok=True)
    (target / CHECKLIST.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_every_shipped_instrument_is_valid():
    registry = load_directory()
    assert len(registry) >= 1
    checklist = registry.get("checklist-welbevinden", 1)
    for school_type in ("po", "vo", "so", "mbo"):
        shown = sum(len(e.items_for(school_type)) for e in checklist.elements_for(school_type))
        assert 35 <= shown <= 50, (school_type, shown)
    elements = {e.id for e in checklist.elements}
    assert {"vision", "climate", "signalling", "participation", "staff", "partners"} <= elements


def test_the_checklist_covers_every_pillar_and_differs_per_sector():
    checklist = load_directory().get("checklist-welbevinden", 1)
    pillars = {p for item in checklist.items().values() for p in item.pillars}
    assert pillars == {"educatie", "signaleren", "omgeving", "beleid"}
    po_ids = {i.id for e in checklist.elements_for("po") for i in e.items_for("po")}
    mbo_ids = {i.id for e in checklist.elements_for("mbo") for i in e.items_for("mbo")}
    assert any(i.startswith("equal-opportunities.") for i in mbo_ids)
    assert not any(i.startswith("equal-opportunities.") for i in po_ids)
    assert checklist.pillar_label("omgeving", "mbo", "nl") == "Fysieke en sociale omgeving"
    assert checklist.pillar_label("omgeving", "po", "nl") == "Schoolomgeving"


@pytest.mark.parametrize("change, path, reason", [
    (lambda d: d["elements"][1]["items"][0]["text"].pop("en"), "elements[1].items[0].text", "missing 'en'"),
    (lambda d: d["elements"][0]["items"][0].update(pillars=["sport"]), "elements[0].items[0].pillars[0]",
     "'sport' is not one of"),
    (lambda d: d.update(kind="survey"), "kind", "'survey' is not one of"),
    (lambda d: d["elements"][0]["items"][1].update(id=d["elements"][0]["items"][0]["id"]),
     "elements[0].items[1].id", "duplicate item id"),
    (lambda d: d["scale"].pop(1), "scale", "consecutive"),
])
def test_a_broken_instrument_names_file_path_and_reason(tmp_path, change, path, reason):
    directory = _copy_with(tmp_path, change)
    with pytest.raises(InstrumentError) as caught:
        load_directory(directory)
    assert caught.value.file.endswith(CHECKLIST.name)
    assert caught.value.path == path
    assert reason in caught.value.reason


def test_a_broken_instrument_stops_the_app_from_starting(tmp_path):
    directory = _copy_with(tmp_path, lambda d: d["title"].pop("nl"))
    settings = load_settings(env={}, database_url=f"sqlite:///{tmp_path}/x.sqlite", instance_path=tmp_path,
                             extra={"INSTRUMENT_DIR": str(directory)})
    with pytest.raises(InstrumentError, match=r"checklist-welbevinden-v1.yaml: title: missing 'nl'"):
        create_app(settings)


def test_instruments_check_command_lists_and_fails_loudly(tmp_path):
    from click.testing import CliRunner

    runner = CliRunner()
    good = runner.invoke(main, ["instruments", "check"])
    assert good.exit_code == 0, good.output
    assert "checklist-welbevinden" in good.output and "v1" in good.output and "items" in good.output
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(CHECKLIST, broken / "a.yaml")
    (broken / "b.yaml").write_text("id: x\nkind: checklist\nversion: [1\n", encoding="utf-8")
    bad = runner.invoke(main, ["instruments", "check", "--dir", str(broken)])
    assert bad.exit_code == 1
    assert "b.yaml" in bad.output and "not valid YAML" in bad.output


MENU_CARD = INSTRUMENT_DIR / "menu-card-welbevinden-v1.yaml"


def test_the_menu_card_offers_every_school_type_activities_in_every_pillar():
    card = load_directory().get("menu-card-welbevinden", 1)
    for school_type in ("po", "vo", "so", "mbo"):
        for pillar in ("educatie", "signaleren", "omgeving", "beleid"):
            assert len(card.activities_for(pillar, school_type)) >= 4, (school_type, pillar)
    levels = {a.prevention_level for a in card.activities().values()}
    assert {"universal", "selective"} <= levels
    assert card.pillar_label("educatie", "mbo", "nl") == "Gezondheidseducatie"


@pytest.mark.parametrize("change, path, reason", [
    (lambda d: d["pillars"].pop(2), "pillars", "expected the four pillars"),
    (lambda d: d["pillars"][0]["activities"][0].update(prevention_level="sometimes"),
     "pillars[0].activities[0].prevention_level", "'sometimes' is not one of"),
    (lambda d: d["pillars"][1]["activities"][0].update(id="beleid.misplaced"),
     "pillars[1].activities[0].id", "must start with 'signaleren.'"),
    (lambda d: d["statuses"].pop("declined"), "statuses", "missing field 'declined'"),
])
def test_a_broken_menu_card_names_file_path_and_reason(tmp_path, change, path, reason):
    data = yaml.safe_load(MENU_CARD.read_text(encoding="utf-8"))
    change(data)
    (tmp_path / MENU_CARD.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_directory(tmp_path)
    assert (caught.value.path, reason in caught.value.reason) == (path, True), str(caught.value)
