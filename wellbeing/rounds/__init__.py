"""Assessment rounds: one school, one school year, one instrument version; anonymous respondents."""
