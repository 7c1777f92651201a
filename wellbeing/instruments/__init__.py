"""Instruments are data: versioned YAML files in the top-level ``instruments/`` folder."""
