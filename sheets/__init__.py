"""Excel in and out (openpyxl): ledgers to canonical records, review workbooks, staff adjustments.

Never imports Prefect.
"""
