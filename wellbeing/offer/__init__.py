"""The local offer (sociale kaart): partners around the schools, what they offer at which prevention
level, which schools use it or wish for it, and where nothing covers a need."""
