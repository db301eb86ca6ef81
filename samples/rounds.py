"""Sample material for a second round (二次調整): new applicants for an existing city, and the answers
staff would type into the responses workbook (回答記録) over the weeks after the 内定 notices."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook

from matching.records import Application, Nursery
from samples.citygen.generate import SyntheticCity, generate_city
from samples.citygen.ledger import write_ledger

NEW_PREFIX = "B"  # 受付番号 / 児童番号 of the applicants who join in the second round: B-R2027-…


def new_applicants(
    count: int, seed: int, year: int, nurseries: Sequence[Nursery], prefix: str = NEW_PREFIX
) -> tuple[Application, ...]:
    """About `count` children of another generated city who ask for `nurseries` (ids renamed, no clash)."""
    known = {n.id for n in nurseries}
    chosen = []
    for app in generate_city(count, seed, year).applications:
        wishes = tuple(n for n in app.preferences if n in known)
        if not wishes or any(c.current_nursery is not None for c in app.children):
            continue  # a transfer of another city's nursery has no seat here
        children = tuple(c.model_copy(update={"id": f"{prefix}{c.id}"}) for c in app.children)
        chosen.append(
            app.model_copy(update={"id": f"{prefix}{app.id}", "children": children, "preferences": wishes})
        )
    return tuple(chosen)


def write_new_applicants_ledger(
    path: Path, applications: Sequence[Application], nurseries: Sequence[Nursery], year: int
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_ledger(SyntheticCity(year, tuple(nurseries), tuple(applications)), path)
    return path


def answer_responses(path: Path, seed: int) -> dict[str, int]:
    """Fill the 回答記録 as staff would: mostly 承諾 (with 面接 可), some 辞退 (one re-admitted), one
    面接 不可, one 取消, one left blank (no answer yet), and one waiting application withdrawn."""
    rng = random.Random(seed)
    book = load_workbook(path)
    sheet = book["回答記録"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    order = list(range(len(rows)))
    rng.shuffle(order)
    kinds: dict[int, str] = {}
    special = ["辞退・再選考", "面接不可", "取消", "回答待ち"]
    for position, kind in zip(order, special, strict=False):
        kinds[position] = kind
    for position in order[len(special) :]:
        kinds[position] = "辞退" if rng.random() < 0.2 else "承諾"
    counts: dict[str, int] = {}
    for position, row in enumerate(rows):
        kind = kinds[position]
        counts[kind] = counts.get(kind, 0) + 1
        cells = {
            "承諾": {"回答": "承諾", "面接": "可"},
            "辞退": {"回答": "辞退"},
            "辞退・再選考": {"回答": "辞退", "再選考": "する"},
            "面接不可": {"回答": "承諾", "面接": "不可"},
            "取消": {"取消": "取消"},
            "回答待ち": {},
        }[kind]
        for label, value in cells.items():
            row[header.index(label)].value = value
    waiting = book["保留者"]
    waiting_rows = list(waiting.iter_rows(min_row=2))
    if waiting_rows:
        head = [c.value for c in waiting[1]]
        rng.choice(waiting_rows)[head.index("取下げ")].value = "取下げ"
        counts["取下げ"] = 1
    book.save(path)
    return counts
