"""Administration: the platform admin's regions; a GGD admin's municipalities, schools, users, portfolios."""
