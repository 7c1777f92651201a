"""Demo menu cards and plans: the showcase school is half-way through the Gezonde School steps (a gap
in one pillar, two goals from its priorities, actions over two years); other schools vary."""
from __future__ import annotations

import random

from sqlalchemy import select

from wellbeing import db
from wellbeing.menucard.models import MenuEntry, MenuStatus
from wellbeing.menucard.service import menu_card
from wellbeing.pillars import PILLARS
from wellbeing.plans import service as plans
from wellbeing.plans.models import Action, ActionStatus, Goal, Period, Plan
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School


def _menu(school: School, rng: random.Random, skip_pillar: str | None) -> None:
    current = SchoolYear.current()
    card = menu_card()
    for pillar in PILLARS:
        for activity in card.activities_for(pillar, school.school_type.value):
            if pillar == skip_pillar:
                status = rng.choice([MenuStatus.WANT, MenuStatus.INTERESTED, None])
            else:
                status = rng.choice([MenuStatus.DOING, MenuStatus.DOING, MenuStatus.WANT, MenuStatus.INTERESTED,
                                     MenuStatus.DECLINED, None])
            if status is None:
                continue
            doing = status == MenuStatus.DOING
            db.session.add(MenuEntry(school_id=school.id, activity_id=activity.id, pillar=pillar, status=status,
                                     since_year=str(current - rng.randint(0, 4)) if doing else None,
                                     grades="alle groepen" if doing and school.school_type.value == "po" else "",
                                     note=""))


def _plan(school: School) -> None:
    current = SchoolYear.current()
    db.session.add(Plan(school_id=school.id, first_year=str(current - 1), years=3,
                        coordinator="Ilse (intern begeleider), 4 uur per week",
                        working_group="Ilse, twee leerkrachten, een ouder uit de MR, de schoolverpleegkundige"))
    priorities = plans.priorities(school)
    goals = []
    for priority in priorities[:2]:
        goal = Goal(school_id=school.id, what=priority.text["nl"], measure="Score op dit onderdeel in de checklist",
                    target="Minstens 70", target_year=str(current + 1), element_id=priority.element_id,
                    item_id=priority.item_id)
        db.session.add(goal)
        goals.append(goal)
    db.session.flush()
    first = goals[0].id if goals else None
    rows = [
        ("educatie", "Lessen sociaal-emotioneel leren in alle groepen", current - 1, Period.YEAR, ActionStatus.DONE,
         "Loopt goed; in groep 7 en 8 meer tijd nodig.", first),
        ("signaleren", "Jaarlijkse monitor sociale veiligheid afnemen en bespreken", current - 1, Period.P3,
         ActionStatus.DONE, "", first),
        ("beleid", "Pestprotocol herzien met leerlingenraad", current - 1, Period.P2, ActionStatus.IN_PROGRESS, "",
         None),
        ("signaleren", "Zorgteam vier keer per jaar met jeugdverpleegkundige", current, Period.YEAR,
         ActionStatus.IN_PROGRESS, "", goals[1].id if len(goals) > 1 else None),
        ("educatie", "Training groepsvorming voor het hele team", current, Period.P1, ActionStatus.PLANNED, "", first),
    ]
    for pillar, title, year, period, status, evaluation, goal_id in rows:
        db.session.add(Action(school_id=school.id, pillar=pillar, title=title, school_year=str(year), period=period,
                              status=status, evaluation=evaluation, goal_id=goal_id, owner="Werkgroep"))


def load_demo_plans(schools: list[School], showcase: School) -> None:
    for school in schools:
        if db.session.scalar(select(MenuEntry.id).where(MenuEntry.school_id == school.id).limit(1)) is not None:
            continue
        rng = random.Random(f"menu-{school.brin}{school.vestiging}")
        if school.id != showcase.id and rng.random() < 0.3:
            continue  # not every school has started on its menu card
        _menu(school, rng, skip_pillar="omgeving" if school.id == showcase.id else rng.choice([None, None, "beleid"]))
        if school.id == showcase.id:
            _plan(school)
