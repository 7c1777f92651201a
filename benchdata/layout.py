"""Where the schools are: regions, municipalities, boards and school locations for one scale.

School types follow the Dutch proportions of school locations (vestigingen) as given in issue 6:
about 6,300 po, 1,450 vo, 300 (v)so and 450 mbo locations, which matches the order of magnitude of
DUO's public location lists (basisonderwijs incl. sbo; vo locations; so/vso; mbo locations of the
ROCs, AOCs and vakinstellingen). They add up to 8,500, so a scale of 8,000 locations takes the
proportions, not the absolute numbers. Names and codes are invented (region names are the real 25
GGD regions); codes are chosen so they cannot meet the demo's.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

#: Locations per type in the Netherlands (see the module docstring); only the proportions are used.
TYPE_WEIGHTS = {"po": 6300, "vo": 1450, "so": 300, "mbo": 450}
#: How strongly a type concentrates in the larger municipalities (po everywhere; so and mbo in towns).
TYPE_CONCENTRATION = {"po": 1.0, "vo": 1.35, "so": 1.7, "mbo": 2.0}
#: Locations per BRIN: a po school is mostly one location; vo, so and mbo institutions have several.
LOCATIONS_PER_BRIN = {"po": (1, 2), "vo": (1, 4), "so": (1, 3), "mbo": (3, 12)}

GGD_REGIONS = [
    "GGD Rotterdam-Rijnmond", "GGD Amsterdam", "GGD Haaglanden", "GGD regio Utrecht", "GGD Hart voor Brabant",
    "GGD Brabant-Zuidoost", "GGD West-Brabant", "GGD Gelderland-Midden", "GGD Noord- en Oost-Gelderland",
    "GGD Gelderland-Zuid", "GGD Hollands Midden", "GGD Hollands Noorden", "GGD Kennemerland", "GGD Twente",
    "GGD IJsselland", "GGD Groningen", "GGD Fryslân", "GGD Drenthe", "GGD Limburg-Noord", "GGD Zuid-Limburg",
    "GGD Zuid-Holland Zuid", "GGD Flevoland", "GGD Zeeland", "GGD Zaanstreek-Waterland",
    "GGD Gooi en Vechtstreek",
]
_PLACE_START = ["Ooster", "Wester", "Zuider", "Noorder", "Nieuw", "Oud", "Groot", "Klein", "Hoog", "Laag", "Veen",
                "Berg", "Dijk", "Brug", "Zand", "Heide", "Linde", "Eik", "Wil", "Beek", "Kerk", "Molen", "Ter"]
_PLACE_END = ["dam", "veen", "horst", "wijk", "berg", "dorp", "hoven", "broek", "meer", "zand", "hout", "woude",
              "kerk", "sloot", "haven", "stein", "loo", "lo", "rode"]
_NOUNS = ["De Regenboog", "Het Kompas", "De Linde", "De Wegwijzer", "Het Anker", "De Vlinderboom", "De Zonnewijzer",
          "Het Open Veld", "De Boomgaard", "De Kameleon", "De Fontein", "De Wielewaal", "De Sterrenkijker",
          "De Klimop", "De Springplank", "Het Palet", "De Horizon", "De Meander", "De Notenkraker", "De Bongerd",
          "Het Mozaïek", "De Vuurtoren", "De Esdoorn", "De Tweemaster", "De Windroos", "Het Kristal", "De Toermalijn",
          "De Piramide", "De Ontdekking", "De Kleine Prins", "Het Baken", "De Brug", "De Kei", "De Zevensprong"]
_PO = ["Basisschool", "OBS", "CBS", "Kindcentrum", "RK Basisschool", "Daltonschool", "Montessorischool",
       "Jenaplanschool", "IKC"]
_VO = ["College", "Lyceum", "Scholengemeenschap", "Gymnasium", "Vakcollege", "Mavo"]
_SO = ["SO", "VSO", "Expertisecentrum", "SBO"]
_MBO = ["Zorg en Welzijn", "Techniek", "Economie", "Groen", "Entree", "ICT", "Horeca", "Bouw", "Mode", "Sport"]


@dataclass(frozen=True)
class Scale:
    name: str
    regions: int
    municipalities: int
    schools: int
    largest_region: tuple[int, int]   # (municipalities, schools) of the first, largest region
    team_factor: float = 1.0          # multiplies team sizes (tiny keeps tests fast)


SCALES = {
    "tiny": Scale("tiny", 2, 8, 56, (5, 36), team_factor=0.3),
    "region": Scale("region", 1, 30, 650, (30, 650)),
    "national": Scale("national", 25, 342, 8000, (30, 650)),
}


@dataclass(frozen=True)
class AreaSpec:
    """A region, municipality or board: its row id, public code and name."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class RegionSpec(AreaSpec):
    """A GGD region."""


@dataclass(frozen=True)
class MunicipalitySpec(AreaSpec):
    region_id: int
    rank: int                          # 0 for the region's largest


@dataclass(frozen=True)
class BoardSpec(AreaSpec):
    """A school board."""


@dataclass(frozen=True)
class SchoolSpec:
    id: int
    brin: str
    vestiging: str
    name: str
    school_type: str
    municipality_id: int
    region_id: int
    board_id: int | None
    content_sharing: bool

    @property
    def key(self) -> str:
        return self.brin + self.vestiging


@dataclass
class Layout:
    regions: list[RegionSpec]
    municipalities: list[MunicipalitySpec]
    boards: list[BoardSpec]
    schools: list[SchoolSpec]


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to ``weights`` that add up to ``total`` (largest remainder)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])[:total - sum(counts)]:
        counts[index] += 1
    return counts


def _brin(number: int) -> str:
    """Two digits and two letters, counted up from 00AA (the demo uses 90AA and up)."""
    return f"{number // 676:02d}{chr(65 + number // 26 % 26)}{chr(65 + number % 26)}"


def make_layout(scale: Scale, seed: int, first_ids: dict[str, int]) -> Layout:
    """Regions, municipalities, boards and schools for ``scale``; ids start after ``first_ids[table]``."""
    rng = random.Random(f"{seed}/layout/{scale.name}")
    region_sizes = [scale.largest_region]
    if scale.regions > 1:
        rest_m, rest_s = scale.municipalities - scale.largest_region[0], scale.schools - scale.largest_region[1]
        weights = [rng.uniform(0.5, 1.5) for _ in range(scale.regions - 1)]
        base = max(1, rest_m // (2 * (scale.regions - 1)))
        munis = [base + n for n in _split(rest_m - base * (scale.regions - 1), weights)]
        schools = _split(rest_s, [m * rng.uniform(0.7, 1.3) for m in munis])
        region_sizes += list(zip(munis, schools))
    regions, municipalities, boards, specs = [], [], [], []
    ids = {t: first_ids[t] for t in ("region", "municipality", "board", "school")}
    brin_number = 0
    names = [a + b for a in _PLACE_START for b in _PLACE_END]
    rng.shuffle(names)
    type_names = list(TYPE_WEIGHTS)
    for r_index, (n_munis, n_schools) in enumerate(region_sizes):
        ids["region"] += 1
        region = RegionSpec(ids["region"], f"BENCH-{r_index + 1:02d}",
                            GGD_REGIONS[r_index] if scale.name != "tiny" else f"GGD Proefregio {r_index + 1}")
        regions.append(region)
        own = []
        for rank in range(n_munis):
            ids["municipality"] += 1
            own.append(MunicipalitySpec(ids["municipality"], f"GM{3000 + len(municipalities):04d}",
                                        names[len(municipalities) % len(names)], region.id, rank))
            municipalities.append(own[-1])
        size = [1 / (rank + 1) ** 0.9 for rank in range(n_munis)]   # a city, towns, villages
        per_type = _split(n_schools, [TYPE_WEIGHTS[t] for t in type_names])
        placed: list[tuple[str, MunicipalitySpec]] = [("po", m) for m in own]  # every municipality has a school
        per_type[0] -= len(own)
        for school_type, count in zip(type_names, per_type):
            weights = [s ** TYPE_CONCENTRATION[school_type] for s in size]
            placed += [(school_type, m) for m in rng.choices(own, weights=weights, k=count)]
        placed.sort(key=lambda p: (type_names.index(p[0]), p[1].rank))
        board_of: dict[tuple[str, int], BoardSpec] = {}
        index = 0
        while index < len(placed):
            school_type, municipality = placed[index]
            low, high = LOCATIONS_PER_BRIN[school_type]
            locations = rng.randint(low, high)
            group = [p for p in placed[index:index + locations] if p[0] == school_type]
            brin = _brin(brin_number)
            brin_number += 1
            # Boards: a po/so board keeps several BRINs in one region; vo and mbo institutions are their own board.
            board_key = (school_type, rng.randrange(max(1, n_schools // 40)) if school_type in ("po", "so") else brin_number)
            board = board_of.get(board_key)
            if board is None and rng.random() < 0.96:
                ids["board"] += 1
                board = BoardSpec(ids["board"], f"{41000 + len(boards)}",
                                  f"Stichting {rng.choice(_NOUNS).split(' ', 1)[1]} {region.name.removeprefix('GGD ')}")
                boards.append(board)
                board_of[board_key] = board
            for vestiging, (_, location) in enumerate(group):
                ids["school"] += 1
                specs.append(SchoolSpec(ids["school"], brin, f"{vestiging:02d}",
                                        _school_name(rng, school_type, location, vestiging),
                                        school_type, location.id, region.id, board.id if board else None,
                                        rng.random() < 0.3))
            index += len(group)
    return Layout(regions, municipalities, boards, specs)


def _school_name(rng: random.Random, school_type: str, municipality: MunicipalitySpec, vestiging: int) -> str:
    noun = rng.choice(_NOUNS)
    if school_type == "po":
        return f"{rng.choice(_PO)} {noun}"
    if school_type == "vo":
        kind = rng.choice(_VO)
        return f"{noun.split(' ', 1)[1]} {kind}" + (f", locatie {municipality.name}" if vestiging else "")
    if school_type == "so":
        return f"{rng.choice(_SO)} {noun}"
    return f"ROC {municipality.name}, College {rng.choice(_MBO)}"
