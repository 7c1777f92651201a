"""Recognised interventions: the shipped file is valid and useful per sector; a broken copy names path and reason."""
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from wellbeing.progress import facts
from wellbeing.instruments import interventions as module
from wellbeing.instruments.registry import INSTRUMENT_DIR, load_directory, load_file
from wellbeing.instruments.schema import InstrumentError

INTERVENTIONS = INSTRUMENT_DIR / "interventions-welbevinden-v1.yaml"
MENU_CARD = INSTRUMENT_DIR / "menu-card-welbevinden-v1.yaml"


def _shipped():
    return load_directory().get("interventions-welbevinden", 1)


def _copy_with(tmp_path: Path, change) -> Path:
    """The interventions file, changed, next to an untouched menu card (so activity links can resolve)."""
    data = yaml.safe_load(INTERVENTIONS.read_text(encoding="utf-8"))
    change(data)
    (tmp_path / INTERVENTIONS.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / MENU_CARD.name).write_text(MENU_CARD.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_the_shipped_file_loads_with_a_real_check_date_and_source():
    collection = _shipped()
    assert collection.kind == "interventions"
    assert 15 <= collection.item_count() <= 20
    assert isinstance(collection.as_of, date) and collection.as_of.year >= 2025
    assert "Loket Gezond Leven" in collection.source["nl"] and "NJi" in collection.source["en"]


def test_every_school_type_has_interventions_in_at_least_two_pillars():
    collection = _shipped()
    for school_type in ("po", "vo", "so", "mbo"):
        pillars = {i.pillar for i in collection.for_school_type(school_type)}
        assert len(pillars) >= 2, (school_type, pillars)


def test_the_offer_spans_every_prevention_and_recognition_level():
    items = _shipped().items
    assert {i.prevention_level for i in items} == {"universal", "selective", "indicated"}
    assert {i.recognition for i in items} == set(module.RECOGNITION_LEVELS)


def test_activity_links_resolve_and_a_menu_card_activity_offers_interventions():
    registry = load_directory()  # raises if any link names an unknown activity
    collection = registry.get("interventions-welbevinden", 1)
    known = registry.get("menu-card-welbevinden", 1).activities()
    links = list(collection.activity_links())
    assert links and all(activity_id in known for _, activity_id in links)
    offered = collection.for_activity("educatie.sel-programme", "po")
    assert len(offered) >= 2
    strengths = [module.RECOGNITION_LEVELS.index(i.recognition) for i in offered]
    assert strengths == sorted(strengths, reverse=True)
    assert collection.for_activity("educatie.sel-programme", "mbo") == ()


def test_get_finds_an_intervention_by_id_and_the_registry_uses_it():
    registry = load_directory()
    collection = registry.get("interventions-welbevinden", 1)
    assert collection.get("taakspel").name == "Taakspel"
    assert collection.get("no-such-thing") is None
    assert registry.intervention("kiva") is collection.get("kiva")
    assert registry.intervention("no-such-thing") is None


def test_the_levels_are_the_ones_the_vignet_rules_know():
    assert module.RECOGNITION_LEVELS == facts.RECOGNITION_LEVELS


def test_at_least_follows_the_order_weakest_to_strongest():
    collection = _shipped()
    strong, founded = collection.get("pad"), collection.get("leefstijl")
    assert (strong.recognition, founded.recognition) == ("strong-evidence", "well-founded")
    assert all(strong.at_least(level) for level in module.RECOGNITION_LEVELS)
    assert founded.at_least("well-founded") and not founded.at_least("first-evidence")
    good = collection.get("taakspel")
    assert good.at_least("first-evidence") and good.at_least("good-evidence") and not good.at_least("strong-evidence")
    with pytest.raises(ValueError):
        good.at_least("evidence-based")


@pytest.mark.parametrize("change, path, reason", [
    (lambda d: d["interventions"][0].update(recognition="evidence-based"),
     "interventions[0].recognition", "'evidence-based' is not one of"),
    (lambda d: d["interventions"][2].update(id=d["interventions"][1]["id"]),
     "interventions[2].id", "duplicate intervention id"),
    (lambda d: d["interventions"][1]["activities"].append("educatie.yoga"),
     "interventions[1].activities[2]", "no menu card has an activity 'educatie.yoga'"),
    (lambda d: d["interventions"][3]["summary"].pop("en"), "interventions[3].summary", "missing 'en'"),
    (lambda d: d["interventions"][0].update(pillar="sport"), "interventions[0].pillar", "'sport' is not one of"),
    (lambda d: d["interventions"][0].update(prevention_level="always"),
     "interventions[0].prevention_level", "'always' is not one of"),
    (lambda d: d["interventions"][0].update(school_types=["po", "hbo"]),
     "interventions[0].school_types[1]", "'hbo' is not one of"),
    (lambda d: d["interventions"][0].update(evidence="lots"), "interventions[0]", "unknown field(s) ['evidence']"),
    (lambda d: d["interventions"][0].update(name=" "), "interventions[0].name", "non-empty name"),
    (lambda d: d["interventions"][0].update(url="nji.nl/pad"), "interventions[0].url", "web address"),
    (lambda d: d.update(as_of="1 september 2026"), "as_of", "YYYY-MM-DD"),
    (lambda d: d.update(as_of="2026-02-30"), "as_of", "YYYY-MM-DD"),
    (lambda d: d.pop("source"), "", "missing field 'source'"),
    (lambda d: d.update(interventions=[]), "interventions", "non-empty list"),
])
def test_a_broken_interventions_file_names_file_path_and_reason(tmp_path, change, path, reason):
    directory = _copy_with(tmp_path, change)
    with pytest.raises(InstrumentError) as caught:
        load_directory(directory)
    assert caught.value.file.endswith(INTERVENTIONS.name)
    assert (caught.value.path, reason in caught.value.reason) == (path, True), str(caught.value)


def test_an_unquoted_date_is_read_as_that_date(tmp_path):
    text = re.sub(r"(?m)^as_of: .*$", "as_of: 2024-03-05", INTERVENTIONS.read_text(encoding="utf-8"))
    assert "\nas_of: 2024-03-05\n" in text
    (tmp_path / INTERVENTIONS.name).write_text(text, encoding="utf-8")
    assert load_file(tmp_path / INTERVENTIONS.name).as_of == date(2024, 3, 5)


def test_an_intervention_without_activities_or_url_is_valid(tmp_path):
    def strip(data):
        data["interventions"][0].pop("activities")
        data["interventions"][0].pop("url")

    collection = load_directory(_copy_with(tmp_path, strip)).get("interventions-welbevinden", 1)
    first = collection.items[0]
    assert (first.activities, first.url) == ((), "")
