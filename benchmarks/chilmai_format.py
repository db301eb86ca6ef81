"""Our instance file in ChilmAI's input format (its docs/getting-started/data-format.md), and its
assignment read back into our ids (issue 23: side by side with ChilmAI).

Three CSV files (UTF-8, ChilmAI's default column names, so its `DEFAULT_CONFIG` mapping reads them):

- 申込者データ: one row per child in instance order — 申請者番号 (our child id), 世帯番号, 年齢 (our
  age class 0–5), 希望保育園ID_N and 点数N (N = 1.. per preference), 在籍保育所ID (a transfer child's
  current nursery), きょうだいパターン (1–7 for a sibling group, blank for a single child);
- 保育所データ: 保育所ID, 保育所名, N歳募集人数 (our capacity per age class; a missing class is 0);
- 組み合わせファイル (only when the city has combination lists): ファミリーコード, 総当たり順位,
  宛名コードN / 希望施設N per child.

Mapping choices (each keeps both engines ranking and counting the same way):

- Priority. Ours at nursery n is (score + bonus[n]) higher, then the tie rank there (tiebreak_at[n],
  else tiebreak) lower, then the child id. ChilmAI ranks the children of a nursery by the 点数 of the
  column paired with that preference (higher first), ties by input row. So 点数N is the child's place
  from the bottom in our order at that nursery (the last child listing n gets 1, the first gets the
  count): every nursery's order is exactly ours, with no ties left, whatever the tie ranks. The numbers
  are therefore positions, not points.
- Households. A sibling group of two or more children is one 世帯 ("G:" + group id); every other child
  is its own ("C:" + child id), so the two kinds of id cannot collide.
- Eldest first. ChilmAI orders a household by age descending, then input row; we by age class
  descending, twins in instance order. Rows are written in instance order, so both agree.
- Sibling conditions → パターン: 同保同時 1, 同保順次上 2, 同保順次下 3, 別保同時同 4, 別保順次同 5,
  別保同時希 6, 別保順次希 7 (ChilmAI's sibling_pref_patterns.py uses these numbers and names).
- Transfers: 在籍保育所ID; ChilmAI adds the child's seat to that class and gives it top priority there,
  as our checker does.
- Combination lists: one row per listed outcome, 総当たり順位 1.. in the family's order. A transfer child
  with no new nursery in an outcome keeps its seat: ChilmAI would read a blank as "unmatched" (the
  child would lose its seat), so its current nursery is written instead. An outcome with nobody newly
  placed is skipped, and a family with a transfer child gets one last row "everyone stays" (ChilmAI
  derives that last resort for pattern households, but not for listed ones, and a transfer household
  must get one of its rows).

What cannot be bridged is refused (ConversionError): a 同保 group (パターン 1–3) with no nursery listed by
all its children and no combination list. ChilmAI's validator rejects such a household (our engine
accepts it: 同保同時 can then never be placed, 順次 places one child alone). The generated pattern cities
have none.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from matching.instance import Instance, InstanceApplication
from matching.records import SiblingCondition as C

PATTERN_OF: dict[C, int] = {
    C.SAME_TOGETHER: 1,
    C.SAME_SEQUENTIAL_ELDEST: 2,
    C.SAME_SEQUENTIAL_YOUNGEST: 3,
    C.SPLIT_TOGETHER_SAME_FIRST: 4,
    C.SPLIT_SEQUENTIAL_SAME_FIRST: 5,
    C.SPLIT_TOGETHER_OWN_FIRST: 6,
    C.SPLIT_SEQUENTIAL_OWN_FIRST: 7,
}
SAME_NURSERY_PATTERNS = (1, 2, 3)

CHILD_ID, HOUSEHOLD, AGE, ENROLLED, PATTERN = (
    "申請者番号",
    "世帯番号",
    "年齢",
    "在籍保育所ID",
    "きょうだいパターン",
)
PREFERENCE, SCORE = "希望保育園ID_{}", "点数{}"
DAYCARE_ID, DAYCARE_NAME, CAPACITY = "保育所ID", "保育所名", "{}歳募集人数"
FAMILY, RANK, CHILD_CODE, FACILITY = "ファミリーコード", "総当たり順位", "宛名コード{}", "希望施設{}"


class ConversionError(ValueError):
    """The instance uses something ChilmAI's input cannot express (the message says what)."""


@dataclass(frozen=True)
class ChilmaiFiles:
    children_csv: bytes
    daycares_csv: bytes
    combination_csv: bytes | None  # None when the city has no combination lists
    households: int
    sibling_households: int


def _groups(instance: Instance) -> dict[str, list[InstanceApplication]]:
    by_group: dict[str, list[InstanceApplication]] = defaultdict(list)
    for app in instance.applications:
        if app.sibling_group is not None:
            by_group[app.sibling_group].append(app)
    return {gid: members for gid, members in by_group.items() if len(members) > 1}


def priority_scores(instance: Instance) -> dict[tuple[str, str], int]:
    """(child, nursery) → ChilmAI 点数: the child's place from the bottom in our order at that nursery."""
    listing: dict[str, list[InstanceApplication]] = defaultdict(list)
    for app in instance.applications:
        for nursery in app.preferences:
            listing[nursery].append(app)
    scores: dict[tuple[str, str], int] = {}
    for nursery, apps in listing.items():
        ordered = sorted(apps, key=lambda a: a.priority_key(nursery))
        for place, app in enumerate(ordered):
            scores[(app.id, nursery)] = len(ordered) - place
    return scores


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def household_of(app: InstanceApplication, grouped: Mapping[str, object]) -> str:
    if app.sibling_group is not None and app.sibling_group in grouped:
        return f"G:{app.sibling_group}"
    return f"C:{app.id}"


def to_chilmai(instance: Instance) -> ChilmaiFiles:
    groups = _groups(instance)
    for gid, members in groups.items():
        condition = members[0].sibling_condition or C.SAME_TOGETHER
        common = set(members[0].preferences).intersection(*(m.preferences for m in members[1:]))
        if (
            PATTERN_OF[condition] in SAME_NURSERY_PATTERNS
            and not common
            and gid not in instance.sibling_combinations
        ):
            raise ConversionError(
                f"sibling group {gid} ({condition}) has no nursery all its children listed and no combination "
                "list: ChilmAI's validator refuses such a 同保 household"
            )
    scores = priority_scores(instance)
    width = max(len(a.preferences) for a in instance.applications)
    header = [CHILD_ID, HOUSEHOLD, AGE]
    for n in range(1, width + 1):
        header += [PREFERENCE.format(n), SCORE.format(n)]
    header += [ENROLLED, PATTERN]
    rows = []
    for app in instance.applications:
        row = [app.id, household_of(app, groups), str(app.age_class)]
        for n in range(width):
            if n < len(app.preferences):
                nursery = app.preferences[n]
                row += [nursery, str(scores[(app.id, nursery)])]
            else:
                row += ["", ""]
        in_group = app.sibling_group in groups
        pattern = PATTERN_OF[app.sibling_condition or C.SAME_TOGETHER] if in_group else None
        row += [app.current_nursery or "", "" if pattern is None else str(pattern)]
        rows.append(row)
    daycares = [
        [n.id, n.name, *(str(n.capacity.get(age, 0)) for age in range(6))] for n in instance.nurseries
    ]
    return ChilmaiFiles(
        children_csv=_csv(header, rows),
        daycares_csv=_csv([DAYCARE_ID, DAYCARE_NAME, *(CAPACITY.format(age) for age in range(6))], daycares),
        combination_csv=_combinations(instance, groups),
        households=len(groups) + sum(1 for a in instance.applications if a.sibling_group not in groups),
        sibling_households=len(groups),
    )


def _combinations(instance: Instance, groups: Mapping[str, list[InstanceApplication]]) -> bytes | None:
    listed = {gid: combos for gid, combos in instance.sibling_combinations.items() if gid in groups}
    if not listed:
        return None
    width = max(len(groups[gid]) for gid in listed)
    header = [FAMILY, RANK]
    for n in range(1, width + 1):
        header += [CHILD_CODE.format(n), FACILITY.format(n)]
    rows: list[list[str]] = []
    for gid, combos in listed.items():
        members = groups[gid]
        outcomes: list[list[str]] = []
        for combo in combos:
            new = [combo[m.id] is not None and combo[m.id] != m.current_nursery for m in members]
            if not any(new):
                continue  # "nobody new" is the last resort, written below when it matters
            outcomes.append([combo[m.id] or m.current_nursery or "" for m in members])
        if any(m.current_nursery is not None for m in members):
            outcomes.append([m.current_nursery or "" for m in members])
        for rank, facilities in enumerate(outcomes, start=1):
            row = [f"G:{gid}", str(rank)]
            for n in range(width):
                row += [members[n].id, facilities[n]] if n < len(members) else ["", ""]
            rows.append(row)
    return _csv(header, rows)


def assignments_from_chilmai(instance: Instance, result: Mapping[str, str | None]) -> dict[str, str | None]:
    """ChilmAI's 申請者番号 → 保育所ID (None: not placed) as our child id → nursery id, checked both ways."""
    ours = {a.id for a in instance.applications}
    nurseries = {n.id for n in instance.nurseries}
    unknown = sorted(set(result) - ours)
    missing = sorted(ours - set(result))
    if unknown or missing:
        raise ConversionError(
            f"ChilmAI's result does not name our children: {len(missing)} missing (e.g. {missing[:3]}), "
            f"{len(unknown)} unknown (e.g. {unknown[:3]})"
        )
    stray = sorted({d for d in result.values() if d is not None and d not in nurseries})
    if stray:
        raise ConversionError(f"ChilmAI placed children at unknown nurseries {stray[:3]}")
    return {a.id: result[a.id] or None for a in instance.applications}


def read_csv(data: bytes) -> list[dict[str, str]]:
    """A CSV written above, as rows of column → text (for tests and for reading the ids back)."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
