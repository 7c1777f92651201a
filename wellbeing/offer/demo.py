"""Demo offer: the partners and offer of two demo municipalities, from ``demo_offer.csv`` (through
the same import a region admin uses), and a few school links so the uptake page has figures.

Loading twice changes nothing: the import updates items it knows, and ``add_link`` returns a link
that exists.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from wellbeing import db
from wellbeing.offer import csvio, service
from wellbeing.tenancy.models import Municipality, Region, School

DEMO_CSV = Path(__file__).with_name("demo_offer.csv")
# (school code, offer title, kind, target): schools of Utrecht that already work with the offer.
# The showcase school (90AA00) is left alone, for the coordinator to link in the browser test.
LINKS = [
    ("90AB00", "Actief schoolplein", "uses", "a:omgeving.active-playground"),
    ("90AC00", "Actief schoolplein", "uses", "a:omgeving.active-playground"),
    ("90AD00", "Actief schoolplein", "uses", "a:omgeving.active-playground"),
    ("90AI00", "Actief schoolplein", "uses", "a:omgeving.active-playground"),
    ("90AJ00", "Actief schoolplein", "uses", "a:omgeving.active-playground"),
    ("90AC00", "Contactmoment groep 7", "uses", "a:signaleren.jgz-contact"),
    ("90AM00", "Contactmoment groep 7", "uses", "a:signaleren.jgz-contact"),
    ("90AB00", "KOPP-groep", "wish", ""),
    ("90AK00", "KOPP-groep", "wish", ""),
    ("90AL00", "KOPP-groep", "wish", ""),
    ("91BA00", "Jongerenwerkers in de pauzes", "uses", "a:omgeving.youth-workers"),
    ("91BD00", "Jongerenwerkers in de pauzes", "uses", "a:omgeving.youth-workers"),
    ("91BE00", "Jongerenwerkers in de pauzes", "uses", "a:omgeving.youth-workers"),
    ("92CA00", "Schoolmaatschappelijk werker op school", "uses", "a:omgeving.school-social-worker"),
    ("93DA00", "Preventief spreekuur leerplicht", "wish", ""),
]


def load_demo_offer(region: Region, schools: dict[str, School]) -> None:
    kept = {m.code: m for m in db.session.scalars(select(Municipality).where(Municipality.region_id == region.id))}
    result = csvio.import_offer(DEMO_CSV.read_text(encoding="utf-8"), region.id, kept, notes_allowed=True)
    if not result.ok:
        raise ValueError(f"{DEMO_CSV.name}: {result.errors}")
    db.session.flush()
    for code, title, kind, target in LINKS:
        school = schools[code]
        item = next(i for i in service.school_offer(school) if i.title == title)
        service.add_link(school, item.id, kind, target)
    db.session.flush()
