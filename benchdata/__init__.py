"""Benchmark data: a deterministic, realistic national (or regional) instance, written in bulk.

``layout`` decides regions, municipalities and schools; ``school`` makes one school's five years of
rounds, answers, menu card and plan in memory; ``summaries`` computes the summary rows
``wellbeing.summaries.refresh`` would write, with the same pure functions; ``writer`` puts it all in
the database with COPY (PostgreSQL) or Core inserts (SQLite); ``data`` runs the phases.
"""
