"""The match benchmark: generated cities, one engine run per process (so peak RSS is that run's), checker.

Families: `standard` is the demo city (samples/citygen, about 10 % of children in sibling groups);
`dense` is samples/densecity (issue 16: 20 % by default, twins and triplets, transfers); `patterns` is
samples/patterncity (issue 23: 15 % by default over all seven sibling conditions, 1 % of children with
combination files, transfers inside groups).
Each run happens in a fresh interpreter (`python -m benchmarks.match CITY …` prints one JSON line), so the
peak resident set size it reports belongs to loading, solving, checking and writing that city alone.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.fresh import own_peak_rss_mb, run_module

if TYPE_CHECKING:
    from matching.instance import Instance

FAMILIES = ("standard", "dense", "patterns")


def city_path(family: str, size: int, seed: int, cache: Path, density: float, transfers: float) -> Path:
    """The instance file of a generated city, generated once into `cache`."""
    if family == "standard":
        folder = cache / f"city-{size}-seed{seed}"
        target = folder / "city.json"
        if not target.exists():
            from samples.citygen.write import write_city

            write_city(folder, size, seed)
        return target
    if family in ("dense", "patterns"):
        target = cache / f"{family}-{size}-s{round(density * 100)}-t{round(transfers * 100)}-seed{seed}.json"
        if not target.exists():
            from matching.instance import save_instance

            cache.mkdir(parents=True, exist_ok=True)
            save_instance(_generate(family, size, density, transfers, seed), target)
        return target
    raise ValueError(f"unknown family {family!r}; choose from {FAMILIES}")


def _generate(family: str, size: int, density: float, transfers: float, seed: int) -> Instance:
    if family == "dense":
        from samples.densecity import DenseShape, generate_dense_city

        return generate_dense_city(DenseShape(size, sibling_share=density, transfer_share=transfers), seed)
    from samples.patterncity import PatternShape, generate_pattern_city

    return generate_pattern_city(PatternShape(size, sibling_share=density, transfer_share=transfers), seed)


def run_in_process(city: Path, time_limit: float, workers: int) -> dict[str, Any]:
    """One measured run in a fresh interpreter; its JSON figures."""
    return run_module("benchmarks.match", str(city), str(time_limit), str(workers))


def measure(city: Path, time_limit: float, workers: int) -> dict[str, Any]:
    """Load, solve, check and write one city (call in a fresh process for a meaningful peak RSS)."""
    from matching.checker import check_result
    from matching.instance import load_instance
    from matching.optimizer import solve_with_stats
    from matching.siblings import same_nursery_member

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    instance = load_instance(city)
    t1 = time.perf_counter()
    # End to end: reading the file counts against the limit too.
    result, stats = solve_with_stats(instance, (), max(time_limit - (t1 - t0), 0.1), workers=workers)
    t2 = time.perf_counter()
    text = result.to_json()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "result.json").write_text(text, encoding="utf-8")
    t3 = time.perf_counter()
    cpu = time.process_time() - cpu0  # all threads of this process, CP-SAT's included
    report = check_result(instance, result)
    t4 = time.perf_counter()
    groups = {a.sibling_group for a in instance.applications if same_nursery_member(a)}
    conditions: dict[str, str] = {
        a.sibling_group: str(a.sibling_condition)
        for a in instance.applications
        if a.sibling_group is not None and a.sibling_condition is not None
    }
    by_condition: dict[str, int] = {}
    for condition in conditions.values():
        by_condition[condition] = by_condition.get(condition, 0) + 1
    return {
        "applicants": len(instance.applications),
        "status": result.status,
        "blocking": len(result.blocking),
        "blocking_bound": result.blocking_bound,
        "placed": result.placed,
        "placed_da": stats.placed_da,
        "checker_ok": report.ok,
        # "optimal" here: fewest blocking, then most placed, proven (status adds the preference-rank sum)
        "blocking_placed_status": stats.stage1_status,
        "coalitions": [f"{'+'.join(b.applicants)}→{b.nursery}" for b in result.blocking][:20],
        "same_nursery_groups": len(groups),
        "sibling_groups_by_condition": dict(sorted(by_condition.items())),
        "combination_files": len(instance.sibling_combinations),
        "children_in_groups": sum(1 for a in instance.applications if a.sibling_group is not None),
        "load_seconds": round(t1 - t0, 3),
        "build_seconds": round(stats.compile_seconds + stats.da_seconds + stats.build_seconds, 3),
        "solve_seconds": round(stats.solve_seconds, 3),
        "stage1_seconds": round(stats.stage1_seconds, 3),
        "write_seconds": round(t3 - t2, 3),
        "total_seconds": round(t3 - t0, 3),  # end to end: load, build, solve, explain, write
        "check_seconds": round(t4 - t3, 3),
        "cpu_seconds": round(cpu, 3),
        "peak_rss_mb": own_peak_rss_mb(),
        "variables": stats.variables,
        "constraints": stats.constraints,
        "workers": workers,
        "result_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])), ensure_ascii=False))
