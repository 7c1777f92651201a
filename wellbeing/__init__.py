"""Welbevinden in beeld: school-wide wellbeing self-assessment, the Gezonde School way."""
