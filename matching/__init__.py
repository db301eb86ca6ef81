"""The admission domain: records, 利用調整 scoring and the admission optimizer.

Never imports Prefect. Only :mod:`matching._exec.cpsat` imports OR-Tools.
"""
