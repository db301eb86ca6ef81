"""Benchmarks that need sample material (samples/) live here, apart from the library packages.

The library packages (ocr, sheets, matching, robots) never import samples/; a `bodx bench …` command
imports its benchmark from this package, which may use both.
"""
