"""One school's five school years, made in memory: rounds, respondents, answers, agreed scores and
priorities, menu card, plan, attestations, certificates and audit entries.

Every school draws from its own random stream (seed and BRIN + vestiging), so a school's data does
not depend on the order in which schools are made. Answers are drawn for every round, also in
years whose answers are not stored, so the summaries are the same whatever ``answer_years`` is.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from statistics import NormalDist

from benchdata.instruments import Instruments
from benchdata.layout import SchoolSpec
from wellbeing.schoolyear import SchoolYear
from wellbeing.vignet.service import add_years

YEARS = 5
VALUES = (0, 1, 2, 3, 4)          # 0 stands for "don't know" (stored as NULL)
TEAM = {"po": (15, 50, 28), "so": (15, 40, 25), "vo": (40, 120, 75), "mbo": (50, 120, 90)}  # (min, max, mode)
CATEGORIES = ("teacher", "support", "management", "care", None)
CATEGORY_WEIGHTS = (55, 20, 8, 10, 7)
PERIODS = ("year", "p1", "p2", "p3", "p4")
ACTION_TITLES = {
    "educatie": ["Lessen sociaal-emotioneel leren in alle groepen", "Training groepsvorming voor het team",
                 "Weerbaarheidslessen in de bovenbouw", "Mentorlessen over online omgangsvormen"],
    "signaleren": ["Monitor sociale veiligheid afnemen en bespreken", "Zorgteam vier keer per jaar",
                   "Scholing signalen herkennen", "Leerlingvolgsysteem sociaal-emotioneel invoeren"],
    "omgeving": ["Begroeten bij de deur", "Stilteruimte inrichten", "Ouderavond over welbevinden",
                 "Jongerenwerk in de pauzes"],
    "beleid": ["Pestprotocol herzien met de leerlingenraad", "Welbevinden in het schoolplan",
               "Jaaragenda welbevinden vaststellen", "Jaarlijkse evaluatie met team, ouders en leerlingen"],
}


@dataclass
class AnswerBlock:
    """Answers of the respondents of one round: ``columns[j][i]`` is respondent i's value on item j."""

    respondents: list[int]
    stamps: list[datetime]
    items: tuple[str, ...]
    columns: list[bytes]
    limits: list[int] | None = None   # items answered per respondent (partial answers), else all


@dataclass
class RoundData:
    id: int
    school_year: str
    status: str
    mode: str
    opened_at: datetime
    invited: int
    started: int
    submitted: int
    scores: dict[str, float | None]   # element scores over submitted respondents
    finalised_at: datetime | None = None
    high: tuple[str, ...] = ()        # consensus priorities (finalised rounds only)
    has_priorities: bool = False
    last_submitted: datetime | None = None


@dataclass
class SchoolData:
    spec: SchoolSpec
    rows: dict[str, list[tuple]] = field(default_factory=dict)
    answers: list[AnswerBlock] = field(default_factory=list)
    stored_answers: int = 0
    rounds: list[RoundData] = field(default_factory=list)
    menu: list[tuple[str | None, str, str, str | None]] = field(default_factory=list)  # activity, pillar, status, iv
    working_group: bool = False
    goals: list[tuple[int, bool, str | None, str | None]] = field(default_factory=list)  # id, complete, element, item
    actions: list[tuple] = field(default_factory=list)   # pillar, year, status, evaluation?, goal, activity, iv, period
    attested: dict[str, date] = field(default_factory=dict)   # criterion -> day attested
    certificate_expires: date | None = None
    last_audit: datetime | None = None

    def add(self, table: str, row: tuple) -> None:
        self.rows.setdefault(table, []).append(row)


@dataclass
class Context:
    seed: int
    today: date
    instruments: Instruments
    ids: dict[str, int]               # table -> last id used
    answer_years: int                 # the most recent years whose answers are stored
    answer_scale: int = 1             # respondents per round multiplied (growth benchmarks)
    team_factor: float = 1.0
    force_open: int | None = None     # school id that must have an open round this year

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    @property
    def now(self) -> datetime:
        return datetime(self.today.year, self.today.month, self.today.day, 7, 0, tzinfo=UTC)


@lru_cache(maxsize=4096)
def _cum_weights(mu_twentieths: int, dont_know_percent: int) -> tuple[float, ...]:
    """Cumulative weights of (don't know, 1, 2, 3, 4) for a team centred on ``mu`` (1–4 scale)."""
    normal = NormalDist(mu_twentieths / 20, 0.75)
    below = [normal.cdf(x) for x in (1.5, 2.5, 3.5)]
    shares = [below[0], below[1] - below[0], below[2] - below[1], 1 - below[2]]
    dont_know = dont_know_percent / 100
    weights, total = [dont_know], dont_know
    for share in shares:
        total += (1 - dont_know) * share
        weights.append(total)
    return tuple(weights)


def _median(column: bytes) -> float | None:
    """``statistics.median`` of the known values in ``column``, from counts."""
    counts = [column.count(v) for v in (1, 2, 3, 4)]
    known = sum(counts)
    if not known:
        return None

    def nth(n: int) -> int:
        for value, count in zip((1, 2, 3, 4), counts):
            if n < count:
                return value
            n -= count
        raise AssertionError
    if known % 2:
        return nth(known // 2)
    return (nth(known // 2 - 1) + nth(known // 2)) / 2


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59),
                    tzinfo=UTC)


def _later(moment: datetime, limit: datetime, rng: random.Random, days: int) -> datetime:
    """A moment up to ``days`` after ``moment``, never after ``limit``."""
    span = max(0, min(days * 86400, int((limit - moment).total_seconds()) - 1))
    return moment + timedelta(seconds=rng.randint(0, span))


def make_school(spec: SchoolSpec, ctx: Context) -> SchoolData:
    rng = random.Random(f"{ctx.seed}/school/{spec.key}")
    data = SchoolData(spec)
    current = SchoolYear.containing(ctx.today)
    low, high, mode = TEAM[spec.school_type]
    team = max(3, round(rng.triangular(low, high, mode) * ctx.team_factor))
    level, gain = rng.uniform(1.7, 2.6), rng.uniform(0.05, 0.25)
    items = ctx.instruments.items[spec.school_type]
    offsets = [rng.uniform(-0.8, 0.8) for _ in items]
    dont_know = [rng.randint(2, 12) for _ in items]
    joined = rng.choices((0, 1, 2, 3, 4, YEARS), weights=(80, 5, 4, 3, 4, 4))[0]
    for index in range(YEARS):
        year = current - (YEARS - 1 - index)
        if index < joined or (index < YEARS - 1 and rng.random() < 0.04):
            continue
        if index < YEARS - 1:
            status = "finalised" if rng.random() < 0.95 else "closed"
        elif spec.id == ctx.force_open:
            status = "open"
        elif rng.random() < 0.68:
            status = rng.choices(("finalised", "open", "closed"), weights=(40, 45, 15))[0]
        else:
            continue
        size = max(3, round(team * rng.uniform(0.9, 1.1))) * ctx.answer_scale
        _round(data, ctx, rng, year, index, status, size, level + gain * index, offsets, dont_know)
    _menu(data, ctx, rng)
    _plan(data, ctx, rng)
    data.last_audit = max((row[1] for row in data.rows.get("audit_entry", ())), default=None)
    return data


def _round_dates(ctx: Context, rng: random.Random, year: SchoolYear, status: str):
    """(opened, closed or None, finalised or None), or None when this year leaves no room for it."""
    if year.last_day < ctx.today:
        opened = _at(date(year.start_year, 9, 15) + timedelta(days=rng.randint(0, 180)), rng)
        ended = _at(min(opened.date() + timedelta(days=rng.randint(21, 70)), year.last_day), rng)
        return opened, ended, ended if status == "finalised" else None
    first = year.first_day + timedelta(days=30)
    room = (ctx.today - first).days
    if room < 2:
        return None
    if status != "open" and room < 20:
        status = "open"
    if status == "open":
        return _at(first + timedelta(days=rng.randint(0, room - 1)), rng), None, None
    opened = _at(first + timedelta(days=rng.randint(0, room - 15)), rng)
    ended = _at(opened.date() + timedelta(days=rng.randint(10, (ctx.today - opened.date()).days - 1)), rng)
    return opened, ended, ended if status == "finalised" else None


def _round(data: SchoolData, ctx: Context, rng: random.Random, year: SchoolYear, index: int, status: str,
           team: int, level: float, offsets: list[float], dont_know: list[int]) -> None:
    dates = _round_dates(ctx, rng, year, status)
    if dates is None:
        return
    opened, closed, finalised = dates
    status = "open" if closed is None else status
    meeting = rng.random() < 0.05
    if meeting:
        invited = 1
        submitted = 0 if status == "open" else 1
        partial = 1 - submitted
    elif status == "open":
        invited = team
        submitted = round(team * rng.uniform(0.05, 0.7))
        partial = round(team * rng.uniform(0, 0.2))
    else:
        invited = team
        submitted = round(team * rng.uniform(0.6, 0.98)) if rng.random() > 0.01 else rng.randint(0, 2)
        partial = round(team * rng.uniform(0, 0.08))
    partial = min(partial, invited - submitted)
    round_id = ctx.next_id("round")
    spec = data.spec
    data.add("round", (round_id, spec.id, str(year), ctx.instruments.checklist_id,
                       ctx.instruments.checklist_version, "meeting" if meeting else "individual", status, opened,
                       closed, finalised))
    data.add("audit_entry", (ctx.next_id("audit_entry"), opened, None, spec.id, "round.opened",
                             f"{year} {'meeting' if meeting else 'individual'}"))
    if closed is not None:
        data.add("audit_entry", (ctx.next_id("audit_entry"), closed, None, spec.id, f"round.{status}", str(year)))
    until = closed or ctx.now
    items = ctx.instruments.items[spec.school_type]
    weights = [_cum_weights(max(0, min(100, round((level + offset) * 20))), pct)
               for offset, pct in zip(offsets, dont_know)]
    columns = [bytes(rng.choices(VALUES, cum_weights=w, k=submitted)) for w in weights]
    stored = index >= YEARS - ctx.answer_years
    submitted_ids, stamps = [], []
    partial_ids, partial_stamps = [], []
    # One release of everyone who sent, as a migrated round has (what it shows is decided on reading).
    released = 1 if submitted and (meeting or submitted >= 3) else None
    if released:
        data.add("team_picture_release", (ctx.next_id("team_picture_release"), round_id, 1, submitted, 3,
                                          status == "finalised", until.date()))
    for number in range(invited):
        respondent_id = ctx.next_id("respondent")
        token = hashlib.sha256(f"bench/{ctx.seed}/{respondent_id}".encode()).hexdigest()
        if number < submitted + partial:
            started = _later(opened, until, rng, 20)
            done = _later(started, until, rng, 1) if number < submitted else None
            category = None if meeting else rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
            data.add("respondent", (respondent_id, round_id, None if done else token, category, started, done,
                                    released if done else None))
            if done is not None:
                submitted_ids.append(respondent_id)
                stamps.append(done)
            else:
                partial_ids.append(respondent_id)
                partial_stamps.append(started)
        else:
            data.add("respondent", (respondent_id, round_id, token, None, None, None, None))
    if stored and submitted:
        data.answers.append(AnswerBlock(submitted_ids, stamps, items, columns))
        data.stored_answers += submitted * len(items)
    if stored and partial_ids:
        limits = [rng.randint(1, len(items) - 1) for _ in partial_ids]
        partial_columns = [bytes(rng.choices(VALUES, cum_weights=w, k=len(partial_ids))) for w in weights]
        data.answers.append(AnswerBlock(partial_ids, partial_stamps, items, partial_columns, limits))
        data.stored_answers += sum(limits)
    scores = {}
    for element, indexes in ctx.instruments.elements[spec.school_type]:
        known = sum(submitted - columns[j].count(0) for j in indexes)
        total = sum(sum(columns[j]) for j in indexes) - known  # values 1–4 rescaled to 0–3
        scores[element] = round(total / known / 3 * 100, 1) if known else None
    rd = RoundData(round_id, str(year), status, "meeting" if meeting else "individual", opened, invited,
                   submitted + partial, submitted, scores, finalised_at=finalised,
                   last_submitted=max(stamps) if stamps else None)
    if status == "finalised":
        medians = [_median(c) for c in columns]
        lowest = sorted(range(len(items)), key=lambda j: medians[j] if medians[j] is not None else 4)
        n_high = rng.choices((1, 2, 3), weights=(5, 3, 1))[0]
        n_medium = rng.randint(2, 3)
        priority = {j: "high" for j in lowest[:n_high]}
        priority.update({j: "medium" for j in lowest[n_high:n_high + n_medium]})
        priority.update({j: "low" for j in lowest[n_high + n_medium:n_high + n_medium + 2]})
        for j, item in enumerate(items):
            agreed = round(medians[j]) if medians[j] is not None else None
            level_j = priority.get(j, "none")
            data.add("consensus", (ctx.next_id("consensus"), round_id, item, agreed,
                                   "Door het team als eerste aangepakt." if level_j == "high" and rng.random() < 0.5
                                   else "", level_j))
        rd.high = tuple(sorted(items[j] for j in lowest[:n_high]))
        rd.has_priorities = True
    data.rounds.append(rd)


def _menu(data: SchoolData, ctx: Context, rng: random.Random) -> None:
    if not data.rounds or rng.random() > 0.85:
        return
    spec = data.spec
    current = SchoolYear.containing(ctx.today)
    gap = rng.choice([None, None, None, "beleid", "omgeving"])
    updated = ctx.now - timedelta(days=rng.randint(1, 700))
    for pillar, activity in ctx.instruments.menu[spec.school_type]:
        choices = ("want", "interested", None) if pillar == gap else \
            ("doing", "doing", "want", "interested", "declined", None)
        status = rng.choice(choices)
        if status is None:
            continue
        doing = status == "doing"
        options = ctx.instruments.interventions.get((spec.school_type, activity), ())
        intervention = rng.choice(options) if doing and options and rng.random() < 0.35 else None
        data.add("menu_entry", (ctx.next_id("menu_entry"), spec.id, activity, "", pillar, status, "",
                                str(current - rng.randint(0, 4)) if doing else None,
                                "alle groepen" if doing and spec.school_type == "po" else "", intervention, updated))
        data.menu.append((activity, pillar, status, intervention))
    if rng.random() < 0.05:
        pillar = rng.choice(list(ACTION_TITLES))
        data.add("menu_entry", (ctx.next_id("menu_entry"), spec.id, None, "Eigen activiteit: buitenspelen met de wijk",
                                pillar, "doing", "", str(current), "", None, updated))
        data.menu.append((None, pillar, "doing", None))
    data.add("audit_entry", (ctx.next_id("audit_entry"), updated, None, spec.id, "menucard.saved", ""))


def _plan(data: SchoolData, ctx: Context, rng: random.Random) -> None:
    finalised = [r for r in data.rounds if r.status == "finalised"]
    if not finalised or rng.random() > 0.6:
        return
    spec = data.spec
    current = SchoolYear.containing(ctx.today)
    first = current - rng.randint(0, 2)
    years = rng.randint(max(2, current.start_year - first.start_year + 1), 4)
    filled = rng.random() < 0.85
    changed = ctx.now - timedelta(days=rng.randint(1, 200))
    data.add("plan", (ctx.next_id("plan"), spec.id, str(first), years,
                      "Intern begeleider, 4 uur per week" if filled else "",
                      "Twee leerkrachten, een ouder uit de MR en de jeugdverpleegkundige" if filled else "", changed))
    data.working_group = filled
    data.add("audit_entry", (ctx.next_id("audit_entry"), changed, None, spec.id, "plan.changed", ""))
    source = max((r for r in data.rounds if r.has_priorities), key=lambda r: r.school_year)
    targets = [c[2] for c in data.rows["consensus"] if c[1] == source.id and c[5] in ("high", "medium")]
    targets.sort(key=lambda item: (item not in source.high, item))
    goal_ids = []
    for item in targets[:rng.choice((0, 1, 1, 2, 2, 3))]:
        goal_id = ctx.next_id("plan_goal")
        complete = rng.random() < 0.85
        data.add("plan_goal", (goal_id, spec.id, ctx.instruments.item_text[item],
                               "Score op dit onderdeel in de checklist", "Minstens 70" if complete else "",
                               str(current + 1), item.split(".")[0], item, changed))
        data.goals.append((goal_id, complete, item.split(".")[0], item))
        goal_ids.append(goal_id)
    activities = {}
    for pillar, activity in ctx.instruments.menu[spec.school_type]:
        activities.setdefault(pillar, []).append(activity)
    for offset in range(years):
        year = first + offset
        for pillar, titles in ACTION_TITLES.items():
            if rng.random() > 0.55:
                continue
            if year < current:
                status = rng.choices(("done", "stopped", "in_progress", "planned"), weights=(65, 10, 10, 15))[0]
            elif year == current:
                status = rng.choices(("done", "in_progress", "planned"), weights=(15, 40, 45))[0]
            else:
                status = "planned"
            evaluation = "Loopt goed; volgend jaar borgen." if status == "done" and rng.random() < 0.7 else ""
            goal = rng.choice(goal_ids) if goal_ids and rng.random() < 0.5 else None
            activity = rng.choice(activities[pillar]) if rng.random() < 0.4 else None
            options = ctx.instruments.interventions.get((spec.school_type, activity), ()) if activity else ()
            intervention = rng.choice(options) if options and rng.random() < 0.3 else None
            period = rng.choice(PERIODS)
            created = datetime(year.start_year, 8, 20, 9, tzinfo=UTC) if year < current else changed
            data.add("plan_action", (ctx.next_id("plan_action"), spec.id, goal, pillar, rng.choice(titles), activity,
                                     intervention, "Werkgroep", str(year), period, status, evaluation, None,
                                     min(created, changed), changed))
            data.actions.append((pillar, str(year), status, bool(evaluation), goal, activity, intervention, period))
    for criterion in ctx.instruments.attestable[spec.school_type]:
        if rng.random() < 0.45:
            attested = ctx.now - timedelta(days=rng.randint(1, 300))
            data.add("vignet_attestation", (ctx.next_id("vignet_attestation"), spec.id, criterion,
                                            "Zie het schoolplan, hoofdstuk welbevinden.", None, attested))
            data.attested[criterion] = attested.date()
            data.add("audit_entry", (ctx.next_id("audit_entry"), attested, None, spec.id, "vignet.attested",
                                     criterion))
    if rng.random() < 0.1:
        awarded = ctx.today - timedelta(days=rng.randint(30, 4 * 365))
        recorded = _at(awarded, rng)
        data.add("vignet_certificate", (ctx.next_id("vignet_certificate"), spec.id, awarded, add_years(awarded, 3),
                                        "Themacertificaat Welbevinden", None, recorded))
        data.certificate_expires = add_years(awarded, 3)
        data.add("audit_entry", (ctx.next_id("audit_entry"), recorded, None, spec.id, "vignet.certificate", ""))
