"""The form generator's households: a city's own nursery ids when given, the default range otherwise."""

from __future__ import annotations

import random

from samples.forms.values import household


def test_preferences_come_from_the_citys_nurseries() -> None:
    rng = random.Random(4)
    city = ("N001", "N002", "N003")
    seen: set[str] = set()
    for _ in range(50):
        app, _ = household(rng, 2027, city)
        chosen = [app[f"preference_{k}"] for k in (1, 2, 3) if app.get(f"preference_{k}")]
        assert chosen and len(set(chosen)) == len(chosen)
        seen.update(chosen)
    assert seen == set(city)


def test_without_a_city_the_default_range_is_used_and_stays_reproducible() -> None:
    first = [household(random.Random(9), 2027)[0] for _ in range(2)]
    assert first[0] == first[1]
    chosen = [first[0][f"preference_{k}"] for k in (1, 2, 3) if first[0].get(f"preference_{k}")]
    assert all(p.startswith("N") and 1 <= int(p[1:]) <= 119 for p in chosen)
