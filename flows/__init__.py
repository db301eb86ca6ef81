"""Prefect 3 flows: thin orchestration over the library packages."""
