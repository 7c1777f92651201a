"""Regions (GGD), municipalities, boards and schools."""
