"""Wrappers of the external tools the notices use: chromium (print to PDF) and pypdfium2 (split)."""
