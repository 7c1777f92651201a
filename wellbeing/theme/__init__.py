"""Per-region theme: the GGD's colour and logo on the NL Design System pages, set by its administrator."""
