"""Playwright robots that enter decisions into legacy municipal screens. No Prefect here.

Public API: :func:`robots.runner.run_robot`, :class:`robots.decisions.Decision`,
:func:`robots.decisions.decisions_from_result`, :func:`robots.decisions.load_decisions` (item by item),
:class:`robots.queue.WorkQueue` (leased items), :class:`robots.report.RunReport` and the staff report,
:func:`robots.recipe.load_recipe`, :func:`robots.recipe.check_recipe` (for `bodx city check`),
:func:`robots.explore.explore` (draft recipes), :class:`robots.credentials.Credentials`.
"""
