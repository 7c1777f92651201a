"""Landing pages: each role lands on a home page that fits it."""
