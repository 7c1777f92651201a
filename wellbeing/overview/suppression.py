"""Suppression of small cells, with complementary suppression, for tables of school counts.

A table has inner cells keyed ``(row, column)`` (municipality, school type) and margins: a total per
row ``(row, ALL)``, per column ``(ALL, column)`` and the grand total ``(ALL, ALL)``. Each cell rests
on a number of schools (public register figures). Every line (a row or a column with its total) is
an equation the reader can solve: ``total = sum of cells``. The rules, applied until nothing changes:

1. A cell resting on fewer than ``minimum`` schools (but more than none) is hidden.
2. A line with a hidden cell must have at least two hidden cells (the total counts), otherwise the
   hidden one is the total minus the others.
3. When a line's total is shown, its hidden cells together must rest on at least ``minimum``
   schools, otherwise their sum says too much about too few schools.
4. An exact check: no cell hidden for resting on too few schools may follow from all the equations
   together (a cell can be isolated across several lines even when every line has two hidden cells).

Complementary cells are the shown cells of the line resting on the fewest schools, so the least
information is lost. The same hidden pattern is used for every measure on the table (participation,
pillar coverage, ...): protection by equations depends on the pattern, not on the values.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from wellbeing.overview.data import ALL, COMPLEMENTARY, FEW_SCHOOLS, NO_SCHOOLS

Key = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Pattern:
    schools: dict[Key, int]     # every cell including margins -> schools it rests on
    hidden: dict[Key, str]      # hidden cells -> reason (FEW_SCHOOLS or COMPLEMENTARY)

    def reason(self, key: Key) -> str | None:
        """Why ``key`` is not shown, or None when it is."""
        if self.schools.get(key, 0) == 0:
            return NO_SCHOOLS
        return self.hidden.get(key)


def with_margins(inner: dict[Key, int]) -> dict[Key, int]:
    cells = dict(inner)
    for (row, column), count in inner.items():
        cells[(row, ALL)] = cells.get((row, ALL), 0) + count
        cells[(ALL, column)] = cells.get((ALL, column), 0) + count
        cells[(ALL, ALL)] = cells.get((ALL, ALL), 0) + count
    return cells


def lines(cells: dict[Key, int]) -> list[tuple[Key, list[Key]]]:
    """(total, inner cells) for every row and column, margins included."""
    rows = {r for r, _ in cells}
    columns = {c for _, c in cells}
    result = []
    for row in rows:
        result.append(((row, ALL), [(row, c) for c in columns if c != ALL and (row, c) in cells]))
    for column in columns:
        result.append(((ALL, column), [(r, column) for r in rows if r != ALL and (r, column) in cells]))
    return result


def protect(inner: dict[Key, int], minimum: int, fixed: dict[Key, str | None] | None = None) -> Pattern:
    """The hidden pattern for a table of school counts (see the module docstring).

    ``fixed`` cells keep the status given (a reason, or None for shown): they are published
    elsewhere already (a region page's cells, seen from the national table). Complementary cells
    are then chosen among the other cells only.
    """
    cells = with_margins(inner)
    fixed = fixed or {}
    hidden = {key: reason for key, reason in fixed.items() if reason and cells.get(key, 0) > 0}
    hidden |= {key: FEW_SCHOOLS for key, n in cells.items() if 0 < n < minimum and key not in fixed}
    free = {key for key in cells if key not in fixed}
    equations = lines(cells)
    while True:
        changed = _apply_line_rules(cells, hidden, equations, minimum, free)
        if not changed:
            isolated = _derivable(cells, hidden, equations)
            if not isolated:
                return Pattern(cells, hidden)
            _hide_partner(cells, hidden, equations, isolated[0], free)


def protect_over(inner: dict[Key, int], minimum: int, parts: dict[Hashable, Pattern]) -> Pattern:
    """``protect`` for a table whose rows are tables published on their own pages: the national
    table, whose row for a region holds that region's column totals, while the region's page (with
    its municipalities) is protected by ``parts[region]``.

    A region's cells keep the status of its own page. The exact check (rule 4) runs over every
    table at once, with each region's municipality cells and equations in it: a region total that
    its page hides may still follow from its municipalities' shown figures, and then, taken from the
    national figure, give away another region's small count. Only national cells are hidden in
    addition, until no small cell anywhere follows.
    """
    cells = with_margins(inner)
    fixed: dict[Key, str | None] = {}
    part_cells: dict[Key, int] = {}
    part_hidden: dict[Key, str] = {}
    part_equations: list[tuple[Key, list[Key]]] = []
    for region, part in parts.items():
        def own(key: Key, region=region) -> Key:
            row, column = key
            return (region, column) if row == ALL else (("part", region, row), column)
        for key, n in part.schools.items():
            part_cells[own(key)] = n
            if key[0] == ALL:
                reason = part.reason(key)
                fixed[own(key)] = None if reason == NO_SCHOOLS else reason
        part_hidden |= {own(key): reason for key, reason in part.hidden.items()}
        part_equations += [(own(total), [own(k) for k in members]) for total, members in lines(part.schools)]
    hidden = {key: reason for key, reason in fixed.items() if reason and cells.get(key, 0) > 0}
    hidden |= {key: FEW_SCHOOLS for key, n in cells.items() if 0 < n < minimum and key not in fixed}
    free = {key for key in cells if key not in fixed}
    equations = lines(cells)
    while True:
        if _apply_line_rules(cells, hidden, equations, minimum, free):
            continue
        isolated = _derivable({**part_cells, **cells}, {**part_hidden, **hidden}, equations + part_equations)
        if not isolated:
            return Pattern(cells, hidden)
        _hide_partner(cells, hidden, equations, isolated[0], free)


def _counts(cells, key) -> bool:
    return cells.get(key, 0) > 0


def _smallest_shown(cells, hidden, keys: Iterable[Key], free) -> Key | None:
    shown = [k for k in keys if _counts(cells, k) and k not in hidden and k in free]
    return min(shown, key=lambda k: (cells[k], str(k))) if shown else None


def _apply_line_rules(cells, hidden, equations, minimum: int, free) -> bool:
    changed = False
    for total, inner in equations:
        members = [k for k in inner if _counts(cells, k)]
        unknown = [k for k in members + [total] if k in hidden]
        if not unknown:
            continue
        too_few = len(unknown) == 1
        if total not in hidden and sum(cells[k] for k in members if k in hidden) < minimum:
            too_few = True
        if too_few:
            partner = _smallest_shown(cells, hidden, members, free) or (
                total if total not in hidden and total in free else None)
            if partner is not None:
                hidden[partner] = COMPLEMENTARY
                changed = True
    return changed


def _derivable(cells, hidden, equations) -> list[Key]:
    """Cells hidden for resting on too few schools that the line equations still pin down exactly.
    (A complementary cell that can be worked out gives nothing away: it rests on enough schools.)

    The equations relate the hidden cells (shown values are constants). Brought to reduced row
    echelon form over fractions, a cell is pinned down exactly when its pivot row has no other
    entry: then no freedom is left for it. Free cells are never pinned down.
    """
    unknowns = sorted((k for k in hidden if _counts(cells, k)), key=str)
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for total, inner in equations:
        row: dict[int, Fraction] = {}
        if total in index:
            row[index[total]] = Fraction(1)
        for key in inner:
            if key in index:
                row[index[key]] = row.get(index[key], Fraction(0)) - 1
        row = {i: v for i, v in row.items() if v}
        if row:
            rows.append(row)
    return [unknowns[pivot] for pivot, row in _reduced(rows)
            if len(row) == 1 and hidden[unknowns[pivot]] == FEW_SCHOOLS]


def _reduced(rows: list[dict[int, Fraction]]) -> list[tuple[int, dict[int, Fraction]]]:
    """Reduced row echelon form of sparse rows: (pivot, row) with every pivot eliminated elsewhere."""
    basis: list[tuple[int, dict[int, Fraction]]] = []
    for row in rows:
        for pivot, base in basis:
            row = _eliminate(row, pivot, base)
        if not row:
            continue
        pivot = min(row)
        row = {i: v / row[pivot] for i, v in row.items()}
        basis = [(p, _eliminate(b, pivot, row)) for p, b in basis]
        basis.append((pivot, row))
    return basis


def _eliminate(row: dict[int, Fraction], pivot: int, base: dict[int, Fraction]) -> dict[int, Fraction]:
    factor = row.get(pivot)
    if not factor:
        return row
    result = dict(row)
    for i, v in base.items():
        value = result.get(i, Fraction(0)) - factor * v
        if value:
            result[i] = value
        else:
            result.pop(i, None)
    return result


def _hide_partner(cells, hidden, equations, key: Key, free) -> None:
    """Hide one more cell so ``key`` is no longer pinned down: on a line through it when one still
    shows a cell, otherwise the smallest shown cell of the table (the lines through ``key`` are then
    fully hidden and the derivation runs through other lines). With every cell hidden nothing can
    be derived, so this always ends."""
    for total, inner in equations:
        if key == total or key in inner:
            partner = _smallest_shown(cells, hidden, inner, free) or (
                total if total not in hidden and total in free else None)
            if partner is not None:
                hidden[partner] = COMPLEMENTARY
                return
    partner = _smallest_shown(cells, hidden, cells, free)
    if partner is None:
        raise AssertionError(f"cannot protect {key}: every cell is hidden already")
    hidden[partner] = COMPLEMENTARY


def protect_line(counts: dict[Hashable, int], minimum: int) -> bool:
    """For one line of counts published in full elsewhere (a statement's priority count per
    municipality): whether the line's total may be shown without giving away a hidden small count."""
    small = [n for n in counts.values() if 0 < n < minimum]
    return not small or (len(small) >= 2 and sum(small) >= minimum)
