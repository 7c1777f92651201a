"""The summary rows of one finalised round, as plain values by column name.

``wellbeing.summaries.refresh`` and ``benchdata.summaries`` both build them here (from the database
and from generated data), so the upward views read the same rows whichever wrote them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Row = dict[str, Any]


def round_rows(*, round_id: int, school_id: int, region_id: int, municipality_id: int, school_type: str,
               school_year: str, scores: Mapping[str, float | None], high: Iterable[str]) -> dict[str, list[Row]]:
    """Rows for summary_round, summary_element and summary_priority. ``scores`` are the team's element
    scores when the team picture is shown (else empty); they are summarised only when every element
    has one. ``high`` are the statements the team gave a high priority."""
    scored = bool(scores) and all(score is not None for score in scores.values())
    return {
        "summary_round": [{"round_id": round_id, "school_id": school_id, "region_id": region_id,
                           "municipality_id": municipality_id, "school_type": school_type,
                           "school_year": school_year, "scored": scored}],
        "summary_element": [{"round_id": round_id, "element_id": element, "score": score}
                            for element, score in scores.items()] if scored else [],
        "summary_priority": [{"round_id": round_id, "item_id": item} for item in high],
    }
