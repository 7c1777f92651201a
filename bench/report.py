"""The results of one benchmark run: a table of measures, the phases with their times, notes, and
EXPLAIN ANALYZE output, written as markdown and JSON."""
from __future__ import annotations

import json
import os
import platform
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    detail: str = ""


class Report:
    def __init__(self, scale: str) -> None:
        self.scale = scale
        self.day = date.today().isoformat()
        self.rows: list[dict] = []
        self.phases: list[Phase] = []
        self.notes: list[str] = []
        self.explain: dict[str, str] = {}
        self.bench_data_output: list[str] = []
        self.environment = {"python": platform.python_version(), "cores": os.cpu_count(),
                            "machine": platform.machine(), "kernel": platform.release()}

    def add(self, measure: str, figure: str, anchor: str, goal: str, met: bool | None, note: str = "",
            data: dict | None = None) -> None:
        row = {"measure": measure, "figure": figure, "anchor": anchor, "goal": goal, "met": met, "note": note,
               "data": data or {}}
        self.rows.append(row)
        print(f"  {measure}: {figure} | {anchor} | goal {goal} | {_met(met)}" + (f" | {note}" if note else ""),
              flush=True)

    def phase(self, name: str, seconds: float, detail: str = "") -> None:
        self.phases.append(Phase(name, seconds, detail))

    @contextmanager
    def timed(self, name: str):
        phase = Phase(name)
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            yield phase
        finally:
            phase.seconds = time.perf_counter() - started
            self.phases.append(phase)
            print(f"== {name}: {phase.seconds:.1f} s", flush=True)

    def markdown(self) -> str:
        lines = [f"# Benchmark {self.day}, scale {self.scale}", "",
                 "Machine: " + ", ".join(f"{k} {v}" for k, v in self.environment.items()) + ". "
                 "PostgreSQL and Redis are throwaway servers from tests/services.py (PostgreSQL with fsync off); "
                 "2 RQ workers; the load generator on the same cores.", "",
                 "| measure | figure | anchor | goal | met? |", "|---|---|---|---|---|"]
        for row in self.rows:
            lines.append(f"| {row['measure']} | {row['figure']} | {row['anchor']} | {row['goal']} | {_met(row['met'])} |")
        notes = [f"- **{r['measure']}**: {r['note']}" for r in self.rows if r["note"]]
        missed = [r["measure"] for r in self.rows if r["met"] is False]
        lines += ["", "## Notes", ""] + notes + [f"- {n}" for n in self.notes]
        if missed:
            lines += ["", "Goals missed (for the lead to profile): " + "; ".join(missed) + "."]
        lines += ["", "## Phases", "", "| phase | seconds | detail |", "|---|---|---|"]
        lines += [f"| {p.name} | {p.seconds:.1f} | {p.detail} |" for p in self.phases]
        if self.bench_data_output:
            lines += ["", "## bench-data output", "", "```", *self.bench_data_output, "```"]
        if self.explain:
            lines += ["", "## EXPLAIN ANALYZE of the region page's summary queries", ""]
            for name, plan in self.explain.items():
                lines += [f"### {name}", "", "```", plan, "```", ""]
        return "\n".join(lines) + "\n"

    def write(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        stem = directory / f"{self.day}-{self.scale}"
        markdown, data = stem.with_suffix(".md"), stem.with_suffix(".json")
        markdown.write_text(self.markdown(), encoding="utf-8")
        data.write_text(json.dumps({
            "date": self.day, "scale": self.scale, "environment": self.environment, "measures": self.rows,
            "phases": [p.__dict__ for p in self.phases], "notes": self.notes, "explain": self.explain,
            "bench_data_output": self.bench_data_output}, indent=2, ensure_ascii=False), encoding="utf-8")
        return [markdown, data]


def _met(met: bool | None) -> str:
    return "n/a" if met is None else "yes" if met else "**no**"
