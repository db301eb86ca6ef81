"""Playwright robots that enter decisions into legacy municipal screens. No Prefect here.

Public API: :func:`robots.runner.run_robot`, :class:`robots.decisions.Decision`,
:func:`robots.decisions.decisions_from_result`, :class:`robots.queue.WorkQueue`,
:class:`robots.report.RunReport`, :func:`robots.recipe.load_recipe`, :class:`robots.credentials.Credentials`.
"""
