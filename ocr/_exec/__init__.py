"""Wrappers of the external OCR engines: one module per engine, the only importer of its library."""
