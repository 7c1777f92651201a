"""Demo data: one GGD region, three municipalities, schools of every type and one user per role; and a
small second region with its own theme (colour and logo), to show that each GGD sees its own house style.

Loading twice changes nothing: every object is looked up by its natural key first.
"""
from __future__ import annotations

from sqlalchemy import select, text

from wellbeing import db
from wellbeing.accounts.models import Membership, PortfolioAssignment, Role, User
from wellbeing.accounts.security import hash_password
from wellbeing.auth import second_factor
from wellbeing.auth.models import SecondFactor
from wellbeing.db import utcnow
from wellbeing.offer.demo import load_demo_offer
from wellbeing.plans.demo import load_demo_plans
from wellbeing.release.job import make_release
from wellbeing.rounds.demo import load_demo_rounds
from wellbeing.summaries.refresh import refresh_school
from wellbeing.tenancy.models import Municipality, Region, School, SchoolType, Sharing
from wellbeing.theme.models import RegionTheme

DEMO_PASSWORD = "welbevinden-demo"
# The demo roles above coordinator sign in with a second factor, as real ones must. Their
# authenticator secret is public, like the password: add it to an authenticator app, or let
# `wellbeing demo-code` print the current code.
DEMO_TOTP_SECRET = "WELBEVINDENDEMOGEHEIMTOTPCODE234"
REGION = ("GGD-DEMO", "GGD Demoland")
MUNICIPALITIES = [("GM0344", "Utrecht"), ("GM0345", "Veenendaal"), ("GM0353", "IJsselstein")]
# (brin, vestiging, name, type, municipality code); names are invented.
SCHOOLS = [
    ("90AA", "00", "Basisschool De Regenboog", "po", "GM0344"),
    ("90AB", "00", "OBS Het Kompas", "po", "GM0344"),
    ("90AC", "00", "Kindcentrum De Linde", "po", "GM0344"),
    ("90AD", "00", "Montessorischool Oog", "po", "GM0344"),
    ("90AE", "00", "CBS De Wegwijzer", "po", "GM0345"),
    ("90AF", "00", "Basisschool Het Anker", "po", "GM0345"),
    ("90AG", "00", "De Vlinderboom", "po", "GM0353"),
    ("90AH", "00", "OBS De Sterrenkijker", "po", "GM0353"),
    ("90AI", "00", "Basisschool De Zonnewijzer", "po", "GM0344"),
    ("90AJ", "00", "Jenaplanschool Het Open Veld", "po", "GM0344"),
    ("90AK", "00", "OBS De Boomgaard", "po", "GM0344"),
    ("90AL", "00", "Daltonschool De Kameleon", "po", "GM0344"),
    ("90AM", "00", "CBS De Fontein", "po", "GM0344"),
    ("90AN", "00", "Kindcentrum Lunetten", "po", "GM0344"),
    ("90AP", "00", "Basisschool De Wielewaal", "po", "GM0345"),
    ("90AQ", "00", "OBS Dijkgraaf", "po", "GM0345"),
    ("90AR", "00", "Kindcentrum De Groene Vallei", "po", "GM0345"),
    ("91BA", "00", "Stedelijk Lyceum Domstad", "vo", "GM0344"),
    ("91BA", "01", "Stedelijk Lyceum Domstad, locatie Oost", "vo", "GM0344"),
    ("91BB", "00", "Christelijk College De Vallei", "vo", "GM0345"),
    ("91BC", "00", "Cals Scholengemeenschap", "vo", "GM0353"),
    ("91BD", "00", "Montessori Lyceum Singel", "vo", "GM0344"),
    ("91BE", "00", "Vakcollege Kanaleneiland", "vo", "GM0344"),
    ("91BF", "00", "Gymnasium Trajectum", "vo", "GM0344"),
    ("92CA", "00", "SO De Brug", "so", "GM0344"),
    ("92CB", "00", "VSO Het Baken", "so", "GM0345"),
    ("92CC", "00", "SO De Kei", "so", "GM0344"),
    ("93DA", "00", "ROC Midden Demoland, College Zorg", "mbo", "GM0344"),
    ("93DA", "01", "ROC Midden Demoland, College Techniek", "mbo", "GM0345"),
    ("93DB", "00", "Vakschool Groen", "mbo", "GM0353"),
]
# The second region: one municipality, one school, its administrator and coordinator.
SECOND_REGION = ("GGD-KUST", "GGD Kustland")
SECOND_MUNICIPALITY = ("GM0400", "Den Helder")
SECOND_SCHOOL = ("94EA", "00", "Basisschool De Duinroos", "po")
THEMES = {REGION[0]: ("#00587a", "logo-demoland.png"), SECOND_REGION[0]: ("#6b2a7a", "logo-kustland.png")}
PORTFOLIO = ["90AA00", "90AB00", "90AE00", "91BA00", "91BB00", "92CA00", "93DA00"]
SHARING_CONTENT = {"90AA00", "91BA00", "93DA00"}


def _user(email: str, name: str, membership: Membership) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=hash_password(DEMO_PASSWORD), locale="nl")
        db.session.add(user)
    if not any((m.role, m.region_id, m.municipality_id, m.school_id)
               == (membership.role, membership.region_id, membership.municipality_id, membership.school_id)
               for m in user.memberships):
        user.memberships.append(membership)
    return user


def _demo_second_factor(user: User) -> None:
    if db.session.get(SecondFactor, user.id) is None:
        db.session.add(SecondFactor(user_id=user.id, secret_sealed=second_factor.seal(DEMO_TOTP_SECRET),
                                    confirmed_at=utcnow()))


def _analyze() -> None:
    """On PostgreSQL, commit and ANALYZE the freshly filled answer tables (no-op elsewhere)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.commit()
        db.session.execute(text("ANALYZE answer, respondent, consensus, round"))


def load_demo() -> list[tuple[str, str]]:
    """Create or complete the demo data; returns (role, e-mail) for each demo login."""
    region = db.session.scalar(select(Region).where(Region.code == REGION[0]))
    if region is None:
        region = Region(code=REGION[0], name=REGION[1])
        db.session.add(region)
        db.session.flush()
    municipalities = {}
    for code, name in MUNICIPALITIES:
        municipality = db.session.scalar(select(Municipality).where(Municipality.code == code))
        if municipality is None:
            municipality = Municipality(code=code, name=name, region_id=region.id)
            db.session.add(municipality)
        municipalities[code] = municipality
    db.session.flush()
    schools = {}
    for brin, vestiging, name, school_type, municipality_code in SCHOOLS:
        school = db.session.scalar(select(School).where(School.brin == brin, School.vestiging == vestiging))
        if school is None:
            school = School(brin=brin, vestiging=vestiging, name=name, school_type=SchoolType(school_type),
                            municipality_id=municipalities[municipality_code].id,
                            gsa_sharing=Sharing.CONTENT if brin + vestiging in SHARING_CONTENT else Sharing.PROGRESS)
            db.session.add(school)
        schools[brin + vestiging] = school
    db.session.flush()

    admin = _user("admin@demo.welbevinden.nl", "Pim Platform", Membership(role=Role.PLATFORM_ADMIN))
    ggd = _user("ggd@demo.welbevinden.nl", "Gerda GGD-beheer", Membership(role=Role.REGION_ADMIN, region_id=region.id))
    gsa = _user("gsa@demo.welbevinden.nl", "Sanne Adviseur", Membership(role=Role.GSA, region_id=region.id))
    officer = _user("gemeente@demo.welbevinden.nl", "Mehmet Beleid",
                    Membership(role=Role.MUNICIPALITY_OFFICER, municipality_id=municipalities["GM0344"].id))
    coordinator = _user("school@demo.welbevinden.nl", "Ilse Coördinator",
                        Membership(role=Role.SCHOOL_COORDINATOR, school_id=schools["90AA00"].id))
    db.session.flush()
    for user in (admin, ggd, gsa, officer):
        _demo_second_factor(user)
    assigned = set(db.session.scalars(select(PortfolioAssignment.school_id).where(PortfolioAssignment.user_id == gsa.id)))
    for code in PORTFOLIO:
        if schools[code].id not in assigned:
            db.session.add(PortfolioAssignment(user_id=gsa.id, school_id=schools[code].id))
    load_demo_rounds(list(schools.values()), in_progress=schools["90AA00"])
    load_demo_plans(list(schools.values()), showcase=schools["90AA00"])
    load_demo_offer(region, schools)
    _analyze()  # fresh bulk rows: give the planner real statistics before the summaries read them
    second_admin, second_coordinator, second_school = _second_region()
    for school in [*schools.values(), second_school]:
        refresh_school(school)
    make_release(reason="manual")
    return [("platform_admin", admin.email), ("region_admin", ggd.email), ("gsa", gsa.email),
            ("municipality_officer", officer.email), ("school_coordinator", coordinator.email),
            ("second_region_admin", second_admin.email), ("second_region_coordinator", second_coordinator.email)]


def _second_region() -> tuple[User, User, School]:
    region = db.session.scalar(select(Region).where(Region.code == SECOND_REGION[0]))
    if region is None:
        region = Region(code=SECOND_REGION[0], name=SECOND_REGION[1])
        db.session.add(region)
        db.session.flush()
    code, name = SECOND_MUNICIPALITY
    municipality = db.session.scalar(select(Municipality).where(Municipality.code == code))
    if municipality is None:
        municipality = Municipality(code=code, name=name, region_id=region.id)
        db.session.add(municipality)
        db.session.flush()
    brin, vestiging, name, school_type = SECOND_SCHOOL
    school = db.session.scalar(select(School).where(School.brin == brin, School.vestiging == vestiging))
    if school is None:
        school = School(brin=brin, vestiging=vestiging, name=name, school_type=SchoolType(school_type),
                        municipality_id=municipality.id, gsa_sharing=Sharing.PROGRESS)
        db.session.add(school)
        db.session.flush()
    admin = _user("ggd-kust@demo.welbevinden.nl", "Kees Kustbeheer", Membership(role=Role.REGION_ADMIN, region_id=region.id))
    coordinator = _user("duinroos@demo.welbevinden.nl", "Dewi Duinroos",
                        Membership(role=Role.SCHOOL_COORDINATOR, school_id=school.id))
    _themes()
    db.session.flush()
    return admin, coordinator, school


def _themes() -> None:
    from pathlib import Path


    logos = Path(__file__).resolve().parent / "static" / "demo"
    for code, (colour, logo) in THEMES.items():
        region = db.session.scalar(select(Region).where(Region.code == code))
        if db.session.get(RegionTheme, region.id) is None:
            db.session.add(RegionTheme(region_id=region.id, colour=colour, logo_png=(logos / logo).read_bytes()))
