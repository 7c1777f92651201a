"""A whole uptake table that cannot be protected, against the independent attacker.

``protect`` raises ``CannotProtect`` for a table when hiding every cell of this release still leaves
a finding. Here (found by the generator of ``tests/test_uptake_audit.py``, seed 254, written out so
it does not depend on the order of a set) one vo school of municipality 3 starts to use item 12 in
the second release; protecting that, ``protect`` hides municipality 2's "all" (a neighbour on the
same line), which the first release showed exactly and which kept its value, and that hidden cell
is then "exact": no cell is left to hide. The fallback before showed the table's last release
again, every municipality, whatever changed: municipality 3's "all" 5 while it is 6. Now the last
release's figures stand only where they still hold, and the joint audit of each municipality judges
them over the new values.

The same example shows why the joint audit binds the ties of every earlier release too: item 12 is
the only item of its level x pillar, and po and vo have no menu card activity there, so in every
release ``uses = covered`` for po and vo. A reader puts the first release's tie beside the third
release's "covered" figures through the cells that kept their value and pins municipality 3's
hidden "all" of the third release (5).
"""
from __future__ import annotations

import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

from tests import disclosure
from tests.test_uptake_audit import publish
from tests.test_uptake_fallback import assert_recorded_as_shown, capture, replay, untrue
from wellbeing.offer import disclosure as offer_release

REGIONS = {1: 1, 2: 1, 3: 2}
SCHOOLS = {1: (1, "po"), 2: (1, "po"), 3: (1, "vo"), 4: (1, "vo"), 5: (1, "vo"), 6: (1, "so"), 7: (1, "so"),
           8: (2, "po"), 9: (2, "so"), 10: (2, "so"), 11: (2, "so"), 12: (2, "so"), 13: (2, "so"),
           14: (3, "po"), 15: (3, "po"), 16: (3, "vo"), 17: (3, "vo"), 18: (3, "vo"), 19: (3, "so"),
           20: (3, "so"), 21: (3, "so"), 22: (3, "so"), 23: (3, "so")}
ITEMS = {11: ((1, 3), ("po",), "universal", "omgeving"), 12: ((1, 2, 3), ("po", "vo", "so"), "selective", "omgeving")}
ACTIVITIES = {("selective", "omgeving", "so"), ("universal", "educatie", "so"), ("universal", "educatie", "vo"),
              ("universal", "omgeving", "po"), ("universal", "omgeving", "so")}
MINIMUM = 4
FIRST = {1: {("d", "universal", "omgeving"), ("e", "educatie"), ("e", "omgeving")},
         2: {("e", "omgeving"), ("w", 11)},
         3: {("v", "universal", "educatie")},
         4: {("d", "universal", "educatie"), ("e", "omgeving"), ("v", "universal", "educatie")},
         5: {("d", "universal", "educatie"), ("w", 12)},
         6: {("d", "selective", "omgeving"), ("e", "omgeving"), ("v", "selective", "omgeving"),
             ("v", "universal", "educatie")},
         7: {("d", "selective", "omgeving"), ("d", "universal", "omgeving"), ("e", "omgeving"), ("u", 12),
             ("v", "selective", "omgeving"), ("v", "universal", "educatie")},
         8: {("e", "educatie"), ("e", "omgeving")},
         9: {("d", "universal", "omgeving"), ("e", "omgeving"), ("v", "universal", "omgeving")},
         10: {("d", "selective", "omgeving"), ("d", "universal", "omgeving"), ("e", "educatie"),
              ("v", "universal", "educatie"), ("v", "universal", "omgeving")},
         11: {("d", "universal", "educatie"), ("e", "omgeving")},
         12: {("d", "universal", "educatie"), ("u", 12), ("v", "selective", "omgeving")},
         13: {("e", "educatie"), ("e", "omgeving"), ("u", 12), ("v", "universal", "educatie")},
         14: {("d", "universal", "omgeving"), ("u", 12)},
         15: {("d", "universal", "omgeving"), ("e", "omgeving"), ("u", 11), ("u", 12)},
         16: {("e", "educatie"), ("e", "omgeving"), ("v", "universal", "educatie"), ("w", 12)},
         17: {("e", "educatie"), ("e", "omgeving")},
         18: {("d", "universal", "educatie"), ("e", "omgeving"), ("v", "universal", "educatie"), ("w", 12)},
         19: {("e", "educatie"), ("e", "omgeving"), ("w", 12)},
         20: {("d", "selective", "omgeving"), ("d", "universal", "educatie"), ("e", "omgeving"),
              ("v", "selective", "omgeving"), ("v", "universal", "educatie")},
         21: {("d", "selective", "omgeving"), ("e", "educatie"), ("u", 12), ("v", "selective", "omgeving"),
              ("v", "universal", "educatie")},
         22: {("d", "selective", "omgeving"), ("u", 12), ("v", "selective", "omgeving")},
         23: {("d", "selective", "omgeving"), ("d", "universal", "educatie"), ("e", "educatie"), ("u", 12),
              ("w", 12)}}
#: (school, fact toggled) per release after the first: a vo school of municipality 3 starts to use
#: item 12 (among three other changes), then a po school there stops.
CHANGES = [[(3, ("e", "educatie")), (9, ("v", "universal", "omgeving")), (11, ("d", "selective", "omgeving")),
            (18, ("u", 12))],
           [(11, ("d", "selective", "omgeving")), (15, ("u", 12))]]


def history() -> list[dict[int, set]]:
    return replay(FIRST, CHANGES)


def world() -> disclosure.OfferWorld:
    return disclosure.OfferWorld(REGIONS, SCHOOLS, ITEMS, ACTIVITIES)


def uptake_leaks(releases) -> list:
    # The overview's pillar figures are judged by tests/test_release_audit.py (as in test_uptake_audit).
    return [leak for leak in disclosure.attack_uptake(world(), releases, MINIMUM)
            if not leak.measure[0].startswith("pillar:")]


def watch_protect(monkeypatch) -> list[str]:
    """The tables whose own protection failed (the whole-table fallback was taken)."""
    failed = []
    protect = offer_release.protect

    def watched(geography, *args, **kwargs):
        try:
            return protect(geography, *args, **kwargs)
        except offer_release.CannotProtect:
            failed.append(geography)
            raise
    monkeypatch.setattr(offer_release, "protect", watched)
    return failed


def test_a_table_that_cannot_be_protected_shows_only_figures_that_still_hold(monkeypatch):
    failed = watch_protect(monkeypatch)
    results = capture(monkeypatch)
    releases = publish(world(), history(), MINIMUM)
    assert failed, "the example no longer reaches the whole-table fallback: it proves nothing"
    assert not untrue(world(), releases)
    assert_recorded_as_shown(world(), results, releases)
    assert not uptake_leaks(releases)
    # Municipality 2 kept every value: its figures of the first release stand (not a wall of blanks).
    for table in ("item:12:uses", "matrix:selective:omgeving:uses"):
        assert releases[1].shown[(table, "m", 2, "all")] == releases[0].shown[(table, "m", 2, "all")] == (2, 2)
    # Municipality 3's "all" no longer holds (5 shown, 6 true): hidden, and it stays hidden.
    assert releases[0].shown[("item:12:uses", "m", 3, "all")] == (5, 5)
    assert releases[1].shown[("item:12:uses", "m", 3, "all")] is None
    assert releases[2].shown[("item:12:uses", "m", 3, "all")] is None


def test_the_old_table_fallback_shows_a_figure_that_no_longer_holds(monkeypatch):
    """Evidence the example matters: the last release's figures whatever changed (the fallback
    before) put municipality 3's "all" 5 on the second release's page, while 6 of its schools use
    item 12."""
    failed = watch_protect(monkeypatch)
    monkeypatch.setattr(offer_release, "held", lambda now, before: before)
    releases = publish(world(), history(), MINIMUM)
    assert failed
    assert (1, "item:12:uses", 3, "all", (5, 5), 6) in untrue(world(), releases)


def test_the_ties_of_earlier_releases_are_audited(monkeypatch):
    """With the ties bound to this release's cells only, the attacker pins municipality 3's hidden
    "all" of the third release through the first release's uses = covered."""
    monkeypatch.setattr(offer_release, "_tied", lambda current, released: [current])
    leaks = uptake_leaks(publish(world(), history(), MINIMUM))
    assert [(leak.release, leak.what) for leak in leaks] == [(2, ("hidden", ("m", 3, "all")))] * 2


def _possible(school: int) -> list[tuple]:
    """The facts a school of the example can have (as ``random_world`` draws them)."""
    municipality, school_type = SCHOOLS[school]
    found = [(kind, i) for i, (where, types, _, _) in ITEMS.items() if municipality in where and school_type in types
             for kind in "uw"]
    found += [(kind, level, pillar) for level, pillar, at in sorted(ACTIVITIES) if at == school_type for kind in "dv"]
    return found + [("e", p) for p in ("educatie", "omgeving")]


@st.composite
def continued(draw) -> list[dict[int, set]]:
    """The example's releases with more changes drawn: in the second release at schools of
    municipality 1 (the table still falls back: the cells that pin lie in 2 and 3), then one or two
    more releases where any school may change."""
    toggle = st.sampled_from(sorted(SCHOOLS)).flatmap(lambda s: st.tuples(st.just(s), st.sampled_from(_possible(s))))
    first_only = st.sampled_from([s for s, (m, _) in SCHOOLS.items() if m == 1]).flatmap(
        lambda s: st.tuples(st.just(s), st.sampled_from(_possible(s))))
    changes = [CHANGES[0] + draw(st.lists(first_only, max_size=2)), *draw(st.lists(st.lists(toggle, min_size=1, max_size=3),
                                                                                     min_size=1, max_size=2))]
    return replay(FIRST, changes)


@settings(settings.get_profile("uptake-audit"), max_examples=4, phases=[Phase.explicit, Phase.generate])
@given(continued())
def test_releases_after_a_table_fallback_give_nothing_away(sequence):
    with pytest.MonkeyPatch.context() as patch:
        failed = watch_protect(patch)
        results = capture(patch)
        releases = publish(world(), sequence, MINIMUM)
    assume(failed)
    assert not untrue(world(), releases)
    assert_recorded_as_shown(world(), results, releases)
    leaks = uptake_leaks(releases)
    assert not leaks, leaks[:5]
