"""The four Gezonde School pillars: the one definition every feature, instrument and figure uses."""
from __future__ import annotations

import enum


class Pillar(str, enum.Enum):
    """A pillar; its value is the id used in the instrument files, the database and the URLs."""

    EDUCATIE = "educatie"
    SIGNALEREN = "signaleren"
    OMGEVING = "omgeving"
    BELEID = "beleid"


#: The pillars' ids in their fixed order (menu card, plan, overviews).
PILLARS: tuple[str, ...] = tuple(pillar.value for pillar in Pillar)
