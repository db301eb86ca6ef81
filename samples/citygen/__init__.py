"""Synthetic city generator behind `bodx samples city` (see samples/README.md for the shape)."""
