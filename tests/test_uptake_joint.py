"""The joint uptake audit's fast path publishes exactly what the plain one did.

The plain path (the code before issue 12's speed work): every round builds the municipality's joint
program again over whole tables, checks every hidden cell and inner cell with a solve where the
known points do not settle it, and hides one more cell per finding. The fast path cuts the tables
per municipality once, keeps one program across rounds (a hidden cell's row is dropped), checks
again only what the last round found and what it hid, and finds points with a batch LP first.
Every finding is still decided by an exact bound, so the two must publish the same cells, release
after release."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.test_uptake_audit import publish, random_world
from wellbeing.offer import disclosure


def plain_joint(municipality, own, earlier, items, activities, minimum):
    """``disclosure.joint`` as it was: the whole program again every round, every cell checked."""
    ties = disclosure._ties(municipality, items, activities)
    group = disclosure._groups(items)
    while True:
        stages = {name: [*earlier.get(name, []), disclosure.Stage(r.geography, r.values, r.published)]
                  for name, r in own.items()}
        found = disclosure.findings(municipality, stages, ties, minimum)
        if not found:
            return
        hidden: set = set()
        for name, what in found:
            chosen = disclosure._to_hide(municipality, name, what, own, group, hidden)
            if chosen is not None:
                own[chosen[0]].published[chosen[1]] = None
                hidden.add(chosen)
        if not hidden:
            raise disclosure.CannotProtect(f"uptake of municipality {municipality}: {found[0]}")


def whole_tables(results, earlier):
    """No cut: every municipality sees the whole tables (the joint audit reads its own cells)."""
    municipalities = {m for r in results.values() for m in r.geography.region_of}
    own = {m: {name: r for (_, name), r in results.items() if m in r.geography.region_of} for m in municipalities}
    return own, {m: earlier for m in municipalities}


def both(world, history, minimum):
    fast = publish(world, history, minimum)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(disclosure, "joint", plain_joint)
        patch.setattr(disclosure, "_local", whole_tables)
        patch.setattr(disclosure, "_spread", lambda *args, **kwargs: None)
        plain = publish(world, history, minimum)
    return [r.shown for r in fast], [r.shown for r in plain]


@settings(settings.get_profile("uptake-audit"))
@given(st.integers(0, 10**6))
@example(9299)   # a fallback that touched other municipalities' cells where a table was whole
def test_the_fast_joint_audit_publishes_what_the_plain_one_did(seed):
    world, history, minimum = random_world(seed, releases=3, municipalities=3)
    fast, plain = both(world, history, minimum)
    assert fast == plain


def test_the_plain_path_is_really_taken(monkeypatch):
    """The comparison above would prove nothing if the patched names were not the ones used."""
    calls = []
    world, history, minimum = random_world(9, releases=2, municipalities=3)
    monkeypatch.setattr(disclosure, "joint", lambda *args: calls.append(args[0]))
    publish(world, history, minimum)
    assert calls
