"""Ledger styles of other cities, written from how city halls keep their 受付台帳, apart from the reader.

Each style module renders the same kind of synthetic households (households.py) the way one city's
staff would type them, plants defects, and states the records the ledger means (the ground truth).
`python -m samples.ledgers.styles.make_styles` rewrites the committed workbooks and expected files.
"""
