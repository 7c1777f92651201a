"""Vignet criteria: does every shipped criterion turn on the evidence its rule names, and only on that?
Do the rules read the facts the way the criteria promise? Do broken criteria files stop loading with
file, path and reason? Plain functions over hand-built ``SchoolFacts``: no database, no app."""
from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from wellbeing.progress.facts import (
    RECOGNITION_LEVELS,
    ActionFact,
    GoalFact,
    MenuFact,
    SchoolFacts,
)
from wellbeing.instruments.registry import INSTRUMENT_DIR, load_directory, load_file
from wellbeing.instruments.schema import Checker, InstrumentError
from wellbeing.pillars import PILLARS
from wellbeing.instruments.vignet import (
    RULE_TYPES,
    Criterion,
    VignetCriteria,
    parse_vignet_criteria,
)
from wellbeing.schoolyear import SchoolYear
from wellbeing.vignet.rules import (
    MET,
    MISSING,
    NEEDS_ATTESTATION,
    attestation_outdated,
    evaluate,
    evaluate_all,
    months_before,
)

TODAY = date(2026, 10, 15)                      # school year 2026-2027
THIS_YEAR = SchoolYear.containing(TODAY)
MENU_CARD = INSTRUMENT_DIR / "menu-card-welbevinden-v1.yaml"
CARD = load_file(MENU_CARD)
CRITERIA_FILES = sorted(INSTRUMENT_DIR.glob("vignet-*.yaml"))
SHIPPED = [(path, criterion.id) for path in CRITERIA_FILES for criterion in load_file(path).criteria]
PRIORITIES = ("climate.rules-together", "signalling.yearly-monitor")
TEXT = {"nl": "tekst", "en": "text"}


# --- building facts -------------------------------------------------------------------------------

def complete_facts(criteria: VignetCriteria, today: date = TODAY) -> SchoolFacts:
    """Facts that meet every criterion of ``criteria``, each through its own piece of evidence and
    no more of it than the rule asks for, so taking one piece away can be seen."""
    year = SchoolYear.containing(today)
    menu: list[MenuFact] = []
    goals: list[GoalFact] = []
    actions: list[ActionFact] = []
    attested: dict[str, date] = {}
    for criterion in criteria.criteria:
        rule = criterion.rule
        if rule.type == "attestation":
            attested[criterion.id] = months_before(today, rule.valid_months)  # the oldest that counts
        elif rule.type == "menu_card":
            level = rule.recognised
            if rule.activities:
                menu += [MenuFact(a, CARD.activities()[a].pillar, "doing", f"programme-{a}" if level else None, level)
                         for a in rule.activities[:rule.min]]
            else:
                menu += [MenuFact(None, rule.pillar or "educatie", "doing", "own-programme" if level else None, level)
                         for _ in range(rule.min)]
        elif rule.type == "plan_actions":
            actions += [ActionFact(pillar, year, rule.statuses[0], has_evaluation=False) for pillar in rule.pillars for _ in range(rule.min)]
        elif rule.type == "plan_goals":
            goals += [GoalFact(id=100 + i, complete=True, element_id=None, item_id=None, has_action=False)
                      for i in range(rule.min)]
        elif rule.type == "evaluated":
            # Last school year, so these finished actions do not also fill this year's plan.
            actions += [ActionFact("beleid", year - 1, "done", has_evaluation=True) for _ in range(rule.min)]
    # Goals that answer the priorities are not complete, so they do not count for plan_goals rules.
    goals += [GoalFact(id=i, complete=False, element_id=p.split(".")[0], item_id=p, has_action=True)
              for i, p in enumerate(PRIORITIES)]
    return SchoolFacts(
        school_type=criteria.school_type, today=today, rounds=1, last_finalised=today - timedelta(days=20),
        high_priorities=PRIORITIES, working_group=True, menu=tuple(menu), goals=tuple(goals),
        actions=tuple(actions), attested=attested)


def _replace_nth(items: tuple, match, change, which: int = -1) -> tuple:
    """``items`` with the ``which``-th item that satisfies ``match`` replaced by ``change(item)``."""
    positions = [i for i, item in enumerate(items) if match(item)]
    assert positions, "the complete facts hold no evidence for this rule"
    target = positions[which]
    return tuple(change(item) if i == target else item for i, item in enumerate(items))


def breakings(facts: SchoolFacts, criterion: Criterion):
    """``(what was taken away, facts, pillars expected to fall short)`` for each way the evidence
    for ``criterion`` in ``facts`` can fall short."""
    rule = criterion.rule
    if rule.type == "attestation":
        yield "not attested", replace(facts, attested={k: v for k, v in facts.attested.items() if k != criterion.id}), ()
        too_old = {**facts.attested, criterion.id: months_before(facts.today, rule.valid_months + 1)}
        yield "attested a month too long ago", replace(facts, attested=too_old), ()
    elif rule.type == "round_finalised":
        too_old = months_before(facts.today, rule.within_months + 1)
        yield "finalised a month too long ago", replace(facts, last_finalised=too_old), ()
        yield "never finalised", replace(facts, last_finalised=None), ()
    elif rule.type == "menu_card":
        if rule.activities:
            last = rule.activities[rule.min - 1]
            mine = lambda m, last=last: m.activity_id == last
        else:
            mine = lambda m: m.activity_id is None and m.pillar == (rule.pillar or "educatie")
        pillars = (rule.pillar,) if rule.pillar else ()
        yield "one activity only wanted", replace(facts, menu=_replace_nth(
            facts.menu, mine, lambda m: replace(m, status="want"))), pillars
        yield "one activity not marked", replace(facts, menu=_replace_nth(
            facts.menu, mine, lambda m: replace(m, status=None))), pillars
        if rule.recognised:
            index = RECOGNITION_LEVELS.index(rule.recognised)
            lower = RECOGNITION_LEVELS[index - 1] if index else None
            yield "programme recognised one level too low", replace(facts, menu=_replace_nth(
                facts.menu, mine, lambda m: replace(m, intervention_level=lower))), pillars
            yield "programme not recognised", replace(facts, menu=_replace_nth(
                facts.menu, mine, lambda m: replace(m, intervention_id=None, intervention_level=None))), pillars
    elif rule.type == "plan_actions":
        for pillar in rule.pillars:
            counts = lambda a, p=pillar: a.pillar == p and a.school_year >= THIS_YEAR and a.status in rule.statuses
            yield f"{pillar}: one action last year", replace(facts, actions=_replace_nth(
                facts.actions, counts, lambda a: replace(a, school_year=THIS_YEAR - 1))), (pillar,)
            yield f"{pillar}: one action stopped", replace(facts, actions=_replace_nth(
                facts.actions, counts, lambda a: replace(a, status="stopped"))), (pillar,)
    elif rule.type == "plan_goals":
        yield "one goal incomplete", replace(facts, goals=_replace_nth(
            facts.goals, lambda g: g.complete, lambda g: replace(g, complete=False))), ()
    elif rule.type == "priorities_covered":
        yield "a priority's goal has no action", replace(facts, goals=_replace_nth(
            facts.goals, lambda g: g.item_id == PRIORITIES[0], lambda g: replace(g, has_action=False))), ()
        yield "a priority without any goal", replace(facts, high_priorities=(*PRIORITIES, "staff.workload")), ()
        yield "no round yet", replace(facts, rounds=0, high_priorities=()), ()
    elif rule.type == "evaluated":
        evaluated = lambda a: a.status == "done" and a.has_evaluation
        yield "evaluation note missing", replace(facts, actions=_replace_nth(
            facts.actions, evaluated, lambda a: replace(a, has_evaluation=False))), ()
        yield "action not done", replace(facts, actions=_replace_nth(
            facts.actions, evaluated, lambda a: replace(a, status="in_progress"))), ()
    else:  # pragma: no cover - a new rule type needs a way to break it here
        pytest.fail(f"no breaking defined for rule type {rule.type!r}")


def _statuses(criteria: VignetCriteria, facts: SchoolFacts) -> dict[str, str]:
    return {result.criterion.id: result.status for result in evaluate_all(criteria, facts)}


# --- every shipped criterion ----------------------------------------------------------------------

def test_criteria_files_are_shipped_for_every_school_type():
    shipped = {(c.school_type, str(c.school_year), c.version) for c in map(load_file, CRITERIA_FILES)}
    assert shipped == {("po", "2025-2026", 1), ("po", "2026-2027", 2), ("vo", "2026-2027", 1),
                       ("so", "2026-2027", 1), ("mbo", "2026-2027", 1)}
    registry = load_directory()  # also checks every named activity exists on the menu card
    assert len(registry.of_kind("vignet_criteria")) == len(CRITERIA_FILES)


@pytest.mark.parametrize("path", CRITERIA_FILES, ids=lambda p: p.stem)
def test_complete_facts_meet_every_criterion(path):
    criteria = load_file(path)
    results = evaluate_all(criteria, complete_facts(criteria))
    assert {r.criterion.id: (r.status, r.missing_pillars) for r in results} == {
        c.id: (MET, ()) for c in criteria.criteria}


@pytest.mark.parametrize("path, criterion_id", SHIPPED, ids=[f"{p.stem}:{c}" for p, c in SHIPPED])
def test_taking_away_its_evidence_fails_exactly_that_criterion(path, criterion_id):
    criteria = load_file(path)
    criterion = criteria.get(criterion_id)
    complete = complete_facts(criteria)
    expected_status = NEEDS_ATTESTATION if criterion.rule.type == "attestation" else MISSING
    variants = list(breakings(complete, criterion))
    assert variants
    for label, broken, missing_pillars in variants:
        expected = dict.fromkeys(_statuses(criteria, complete), MET)
        expected[criterion_id] = expected_status
        assert _statuses(criteria, broken) == expected, label
        assert evaluate(criterion, broken).missing_pillars == missing_pillars, label


@pytest.mark.parametrize("path", CRITERIA_FILES, ids=lambda p: p.stem)
def test_a_school_without_any_data_meets_nothing(path):
    criteria = load_file(path)
    results = evaluate_all(criteria, SchoolFacts(school_type=criteria.school_type, today=TODAY))
    for result in results:
        rule = result.criterion.rule
        if rule.type == "attestation":
            assert (result.status, result.missing_pillars) == (NEEDS_ATTESTATION, ()), result.criterion.id
        elif rule.type == "plan_actions":
            assert (result.status, result.missing_pillars) == (MISSING, rule.pillars), result.criterion.id
        elif rule.type == "menu_card" and rule.pillar:
            assert (result.status, result.missing_pillars) == (MISSING, (rule.pillar,)), result.criterion.id
        else:
            assert (result.status, result.missing_pillars) == (MISSING, ()), result.criterion.id


@pytest.mark.parametrize("path", CRITERIA_FILES, ids=lambda p: p.stem)
def test_criteria_files_mix_data_and_attestation_across_all_pillars(path):
    criteria = load_file(path)
    assert 12 <= criteria.item_count() <= 16
    assert {c.pillar for c in criteria.criteria} == {*PILLARS, "general"}
    types = [c.rule.type for c in criteria.criteria]
    assert 1 <= types.count("attestation") < len(types) / 2
    assert {"round_finalised", "menu_card", "plan_actions", "evaluated"} <= set(types)
    for criterion in criteria.criteria:
        for activity_id in criterion.rule.activities:
            assert criteria.school_type in CARD.activities()[activity_id].school_types, (criterion.id, activity_id)


@pytest.mark.parametrize("path", CRITERIA_FILES, ids=lambda p: p.stem)
def test_criteria_speak_the_sector_language(path):
    criteria = load_file(path)
    dutch = " ".join(t["nl"] for c in criteria.criteria for t in (c.text, c.todo)).lower()
    if criteria.school_type == "mbo":
        assert "leerling" not in dutch and "studenten" in dutch
        assert "gezondheidseducatie" in dutch and "fysieke en sociale omgeving" in dutch
    else:
        assert "student" not in dutch and "leerlingen" in dutch


def test_each_criteria_year_of_po_differs_from_the_next():
    old, new = (load_file(INSTRUMENT_DIR / f"vignet-welbevinden-po-{y}.yaml") for y in (2025, 2026))
    assert old.id == new.id and (old.version, new.version) == (1, 2)
    assert {c.id: c.rule for c in old.criteria} != {c.id: c.rule for c in new.criteria}


# --- the registry picks the criteria year ---------------------------------------------------------

@pytest.mark.parametrize("year, version", [
    ("2024-2025", 1),   # before any criteria: the oldest there is
    ("2025-2026", 1),
    ("2026-2027", 2),
    ("2031-2032", 2),
])
def test_the_registry_picks_the_po_criteria_of_the_year(year, version):
    picked = load_directory().vignet_criteria("po", SchoolYear.parse(year))
    assert (picked.id, picked.version, picked.school_type) == ("vignet-welbevinden-po", version, "po")
    assert str(picked.school_year) == {1: "2025-2026", 2: "2026-2027"}[version]


@pytest.mark.parametrize("school_type", ["vo", "so", "mbo"])
def test_the_registry_finds_criteria_for_the_other_sectors(school_type):
    picked = load_directory().vignet_criteria(school_type, SchoolYear(2027))
    assert (picked.id, picked.school_type) == (f"vignet-welbevinden-{school_type}", school_type)


# --- the rules themselves, on hand-made criteria --------------------------------------------------

def one(rule: dict, pillar: str = "general") -> Criterion:
    data = {"id": "test", "kind": "vignet_criteria", "version": 1, "school_type": "po", "school_year": "2026-2027",
            "title": TEXT, "criteria": [{"id": f"{pillar}.x", "pillar": pillar, "text": TEXT, "todo": TEXT,
                                         "rule": rule}]}
    return parse_vignet_criteria(data, Checker("test.yaml")).criteria[0]


def facts(**values) -> SchoolFacts:
    return SchoolFacts(school_type="po", today=TODAY, **values)


def status(criterion: Criterion, **values) -> str:
    return evaluate(criterion, facts(**values)).status


@pytest.mark.parametrize("rule_type", RULE_TYPES)
def test_every_rule_type_has_an_evaluator_and_defaults(rule_type):
    criterion = one({"type": rule_type})
    assert evaluate(criterion, facts()).status == (NEEDS_ATTESTATION if rule_type == "attestation" else MISSING)


def test_an_attestation_is_needed_until_the_coordinator_gives_it():
    criterion = one({"type": "attestation"})
    assert status(criterion) == NEEDS_ATTESTATION
    assert status(criterion, attested={"general.other": TODAY}) == NEEDS_ATTESTATION
    assert status(criterion, attested={"general.x": TODAY}) == MET


@pytest.mark.parametrize("attested, valid_months, expected", [
    (date(2023, 10, 15), None, MET),                 # exactly three years ago: the default still counts
    (date(2023, 10, 14), None, NEEDS_ATTESTATION),
    (date(2025, 10, 15), 12, MET),                   # a criteria file can ask for fresher evidence
    (date(2025, 10, 14), 12, NEEDS_ATTESTATION),
])
def test_an_attestation_counts_only_while_it_is_recent_enough(attested, valid_months, expected):
    rule = {"type": "attestation"} | ({"valid_months": valid_months} if valid_months else {})
    criterion = one(rule)
    facts_ = facts(attested={"general.x": attested})
    assert evaluate(criterion, facts_).status == expected
    assert attestation_outdated(criterion, facts_) == (expected == NEEDS_ATTESTATION)


@pytest.mark.parametrize("finalised, expected", [
    (date(2025, 10, 15), MET),       # exactly twelve months ago
    (date(2025, 10, 14), MISSING),
    (date(2025, 9, 15), MISSING),    # thirteen months ago
    (date(2026, 10, 1), MET),
    (None, MISSING),
])
def test_a_round_must_be_finalised_within_the_months_the_rule_allows(finalised, expected):
    assert status(one({"type": "round_finalised"}), rounds=1, last_finalised=finalised) == expected


def test_a_longer_window_accepts_an_older_round():
    criterion = one({"type": "round_finalised", "within_months": 24})
    assert status(criterion, last_finalised=date(2025, 9, 15)) == MET
    assert status(criterion, last_finalised=date(2024, 9, 15)) == MISSING


def test_months_before_stays_inside_shorter_months():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_a_named_activity_counts_only_when_the_school_does_it():
    criterion = one({"type": "menu_card", "activities": ["signaleren.safety-monitor"]})
    assert status(criterion, menu=(MenuFact("signaleren.safety-monitor", "signaleren", "want"),)) == MISSING
    assert status(criterion, menu=(MenuFact(None, "signaleren", "doing"),)) == MISSING  # own activity
    assert status(criterion, menu=(MenuFact("signaleren.tracking-system", "signaleren", "doing"),)) == MISSING
    assert status(criterion, menu=(MenuFact("signaleren.safety-monitor", "signaleren", "doing"),)) == MET


def test_one_activity_listed_twice_counts_once():
    criterion = one({"type": "menu_card", "activities": ["signaleren.care-team", "signaleren.jgz-contact"], "min": 2})
    twice = (MenuFact("signaleren.care-team", "signaleren", "doing"),) * 2
    assert status(criterion, menu=twice) == MISSING
    both = (*twice[:1], MenuFact("signaleren.jgz-contact", "signaleren", "doing"))
    assert status(criterion, menu=both) == MET


def test_a_pillar_rule_counts_own_activities_and_names_the_short_pillar():
    criterion = one({"type": "menu_card", "pillar": "omgeving", "min": 2}, pillar="omgeving")
    own = MenuFact(None, "omgeving", "doing")
    card = MenuFact("omgeving.quiet-room", "omgeving", "doing")
    elsewhere = MenuFact("beleid.core-values", "beleid", "doing")
    assert status(criterion, menu=(own, card)) == MET
    assert status(criterion, menu=(own, own)) == MET
    short = evaluate(criterion, facts(menu=(own, elsewhere, replace(card, status="interested"))))
    assert (short.status, short.missing_pillars) == (MISSING, ("omgeving",))


@pytest.mark.parametrize("level, expected", [
    (None, MISSING),
    ("well-founded", MISSING),
    ("first-evidence", MET),
    ("good-evidence", MET),
    ("strong-evidence", MET),
])
def test_a_recognised_rule_counts_interventions_from_that_level_up(level, expected):
    criterion = one({"type": "menu_card", "activities": ["educatie.sel-programme"], "recognised": "first-evidence"})
    entry = MenuFact("educatie.sel-programme", "educatie", "doing", "some-programme" if level else None, level)
    assert status(criterion, menu=(entry,)) == expected


def test_plan_actions_count_this_school_year_and_later_per_pillar():
    criterion = one({"type": "plan_actions", "pillars": ["educatie", "beleid"]})
    educatie = ActionFact("educatie", THIS_YEAR, "planned", has_evaluation=False)
    assert status(criterion, actions=(educatie, ActionFact("beleid", THIS_YEAR + 1, "in_progress", has_evaluation=False))) == MET
    for beleid in (ActionFact("beleid", THIS_YEAR - 1, "planned", has_evaluation=False), ActionFact("beleid", THIS_YEAR, "stopped", has_evaluation=False),
                   ActionFact("omgeving", THIS_YEAR, "planned", has_evaluation=False)):
        result = evaluate(criterion, facts(actions=(educatie, beleid)))
        assert (result.status, result.missing_pillars) == (MISSING, ("beleid",)), beleid
    nothing = evaluate(criterion, facts())
    assert nothing.missing_pillars == ("educatie", "beleid")


def test_plan_actions_respect_min_and_statuses():
    criterion = one({"type": "plan_actions", "pillars": ["signaleren"], "min": 2, "statuses": ["done"]})
    done = ActionFact("signaleren", THIS_YEAR, "done", has_evaluation=False)
    assert status(criterion, actions=(done, done)) == MET
    assert status(criterion, actions=(done, replace(done, status="planned"))) == MISSING


def test_only_complete_goals_count():
    criterion = one({"type": "plan_goals", "min": 2})
    goal = GoalFact(id=1, complete=True, element_id=None, item_id=None, has_action=False)
    assert status(criterion, goals=(goal, replace(goal, id=2))) == MET
    assert status(criterion, goals=(goal, replace(goal, id=2, complete=False))) == MISSING


def test_priorities_are_covered_only_by_a_goal_with_an_action_after_a_round():
    criterion = one({"type": "priorities_covered"})
    assert status(criterion) == MISSING                                # no round yet
    assert status(criterion, rounds=1) == MET                          # a round without high priorities
    goal = GoalFact(id=1, complete=False, element_id="climate", item_id="climate.a", has_action=True)
    assert status(criterion, rounds=1, high_priorities=("climate.a",), goals=(goal,)) == MET
    assert status(criterion, rounds=1, high_priorities=("climate.a",),
                  goals=(replace(goal, has_action=False),)) == MISSING
    assert status(criterion, rounds=1, high_priorities=("climate.a",),
                  goals=(replace(goal, item_id="climate.b"),)) == MISSING


def test_evaluated_needs_done_actions_with_an_evaluation():
    criterion = one({"type": "evaluated", "min": 2})
    done = ActionFact("beleid", THIS_YEAR, "done", has_evaluation=True)
    assert status(criterion, actions=(done, done)) == MET
    assert status(criterion, actions=(done, replace(done, has_evaluation=False))) == MISSING
    assert status(criterion, actions=(done, replace(done, status="in_progress"))) == MISSING


def test_criteria_of_another_school_type_are_refused():
    criteria = load_file(INSTRUMENT_DIR / "vignet-welbevinden-vo-2026.yaml")
    with pytest.raises(ValueError, match="'vo'.*'po'"):
        evaluate_all(criteria, facts())


def test_activity_links_name_the_path_of_each_activity():
    criteria = load_file(INSTRUMENT_DIR / "vignet-welbevinden-po-2026.yaml")
    links = dict(criteria.activity_links())
    index = [c.id for c in criteria.criteria].index("signaleren.care-structure")
    assert links[f"criteria[{index}].rule.activities[1]"] == "signaleren.jgz-contact"
    assert set(links.values()) == {a for c in criteria.criteria for a in c.rule.activities}


# --- broken files ---------------------------------------------------------------------------------

PO_2026 = INSTRUMENT_DIR / "vignet-welbevinden-po-2026.yaml"


def _at(data: dict, criterion_id: str) -> int:
    return [c["id"] for c in data["criteria"]].index(criterion_id)


def _criterion(data: dict, criterion_id: str) -> dict:
    return data["criteria"][_at(data, criterion_id)]


BROKEN = [
    ("unknown rule type", lambda d: _criterion(d, "general.coordinator").update(rule={"type": "survey"}),
     "criteria[{general.coordinator}].rule.type", "'survey' is not one of"),
    ("unknown activity", lambda d: _criterion(d, "signaleren.monitor")["rule"].update(
        activities=["signaleren.crystal-ball"]),
     "criteria[{signaleren.monitor}].rule.activities[0]", "no menu card has an activity 'signaleren.crystal-ball'"),
    ("bad pillar", lambda d: _criterion(d, "educatie.sel-programme").update(pillar="sport"),
     "criteria[{educatie.sel-programme}].pillar", "'sport' is not one of"),
    ("duplicate id", lambda d: _criterion(d, "general.working-group").update(id="general.coordinator"),
     "criteria[{general.working-group}].id", "duplicate criterion id 'general.coordinator'"),
    ("missing todo language", lambda d: _criterion(d, "general.school-plan")["todo"].pop("en"),
     "criteria[{general.school-plan}].todo", "missing 'en'"),
    ("missing todo", lambda d: _criterion(d, "omgeving.parents").pop("todo"),
     "criteria[{omgeving.parents}]", "missing field 'todo'"),
    ("unknown parameter", lambda d: _criterion(d, "general.yearly-review")["rule"].update(within_days=30),
     "criteria[{general.yearly-review}].rule", "unknown parameter(s) ['within_days']"),
    ("parameter of another rule type", lambda d: _criterion(d, "omgeving.parents")["rule"].update(min=1),
     "criteria[{omgeving.parents}].rule", "accepts ['valid_months']"),
    ("min below one", lambda d: _criterion(d, "omgeving.safe-surroundings")["rule"].update(min=0),
     "criteria[{omgeving.safe-surroundings}].rule.min", "expected a whole number"),
    ("min above the listed activities", lambda d: _criterion(d, "signaleren.care-structure")["rule"].update(min=3),
     "criteria[{signaleren.care-structure}].rule.min", "asks for 3 of only 2 activities"),
    ("unknown recognition level", lambda d: _criterion(d, "educatie.sel-programme")["rule"].update(
        recognised="famous"),
     "criteria[{educatie.sel-programme}].rule.recognised", "'famous' is not one of"),
    ("activity outside the rule's pillar", lambda d: _criterion(d, "omgeving.rules-with-pupils")["rule"].update(
        pillar="omgeving"),
     "criteria[{omgeving.rules-with-pupils}].rule.activities[0]", "not in the pillar 'omgeving'"),
    ("unknown action status", lambda d: _criterion(d, "general.plan-all-pillars")["rule"].update(
        statuses=["planned", "dreamt"]),
     "criteria[{general.plan-all-pillars}].rule.statuses[1]", "'dreamt' is not one of"),
    ("id outside its pillar", lambda d: _criterion(d, "beleid.social-safety").update(pillar="omgeving"),
     "criteria[{beleid.social-safety}].id", "must start with 'omgeving.'"),
    ("bad school year", lambda d: d.update(school_year="2026/2027"), "school_year", "is not a school year"),
    ("unknown school type", lambda d: d.update(school_type="hbo"), "school_type", "'hbo' is not one of"),
]


@pytest.mark.parametrize("change, path, reason", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_criteria_file_names_file_path_and_reason(tmp_path: Path, change, path, reason):
    data = yaml.safe_load(PO_2026.read_text(encoding="utf-8"))
    original = yaml.safe_load(PO_2026.read_text(encoding="utf-8"))
    expected_path = re.sub(r"\{([^}]+)\}", lambda m: str(_at(original, m.group(1))), path)
    change(data)
    shutil.copy(MENU_CARD, tmp_path / MENU_CARD.name)
    (tmp_path / PO_2026.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_directory(tmp_path)
    assert caught.value.file.endswith(PO_2026.name)
    assert (caught.value.path, reason in caught.value.reason) == (expected_path, True), str(caught.value)


def test_the_unchanged_copy_loads(tmp_path: Path):
    """The broken-file tests above fail for their change, not for the copying."""
    shutil.copy(MENU_CARD, tmp_path / MENU_CARD.name)
    shutil.copy(PO_2026, tmp_path / PO_2026.name)
    assert load_directory(tmp_path).get("vignet-welbevinden-po", 2).item_count() == 16
