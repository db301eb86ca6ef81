"""Playwright robots that enter decisions into legacy municipal screens. No Prefect here."""
