"""The instance file `bodx match` reads (written by `bodx samples city` and by the staff path).

One entry per child: scoring has already turned households into priorities. The schema is documented
in samples/README.md; the field names are an interface and stay stable.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from matching.errors import InstanceError
from matching.files import write_text_atomically
from matching.limits import DEFAULT_LIMITS as LIMITS
from matching.records import AGE_CLASSES, CONDITION_OF_ALLOW_SPLIT, SiblingCondition

# Numbers the optimizer sees stay in exact integer ranges (matching.limits): a score of 10**12 or a
# capacity of 10**30 is refused here with the field's name, instead of overflowing inside the solver and
# coming back as a false "infeasible". Ids and names: bounded length, no control characters.
Score = Annotated[int, Field(ge=-LIMITS.max_abs_score, le=LIMITS.max_abs_score)]
Text = Annotated[
    str, Field(min_length=1, max_length=LIMITS.max_text_chars, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InstanceNursery(_Frozen):
    id: Text
    name: Text
    # JSON object keys are strings ("0".."5"); pydantic turns them into ints.
    capacity: dict[int, int]

    @field_validator("capacity")
    @classmethod
    def _capacity_valid(cls, value: dict[int, int]) -> dict[int, int]:
        for age, seats in value.items():
            if age not in AGE_CLASSES:
                raise ValueError(f"unknown age class {age} (0..5) / 年齢クラスが不正です")
            if seats > LIMITS.max_capacity:
                raise ValueError(
                    f"capacity {seats} for age {age} is over {LIMITS.max_capacity:,} (max_capacity) / 募集人数が大きすぎます"
                )
            if seats < 0:
                raise ValueError(f"negative capacity {seats} for age {age} / 募集人数が負の数です")
        return value


class InstanceApplication(_Frozen):
    """One child. Priority at nursery n: (score + bonus[n]) higher first, then the tie rank at n lower
    first: `tiebreak_at[n]` when the rules' tie order differs per nursery (希望順位 …), else `tiebreak`.
    """

    id: Text
    age_class: int = Field(ge=0, le=5)
    preferences: tuple[str, ...] = Field(min_length=1, max_length=LIMITS.max_preferences)
    score: Score
    tiebreak: Score
    bonus: dict[str, Score] = Field(default_factory=dict)
    sibling_group: str | None = None
    allow_split: bool = False  # kept for old readers: True for the 別保 conditions
    current_nursery: str | None = None
    # One of the seven きょうだい conditions for a child in a sibling group (the same for every child of
    # the group). Files from before carry only allow_split: false loads as 同保同時, true as 別保順次希.
    sibling_condition: SiblingCondition | None = None
    # Per-nursery tie ranks (absent in files written before; then `tiebreak` holds everywhere). When set,
    # every child listing n has an entry for n, so ranks at n compare among themselves.
    tiebreak_at: dict[str, Score] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _condition_of_allow_split(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("sibling_group") is None:
            return data
        condition = data.get("sibling_condition")
        if condition is None:
            return {
                **data,
                "sibling_condition": CONDITION_OF_ALLOW_SPLIT[bool(data.get("allow_split", False))],
            }
        split = SiblingCondition(condition).allows_split
        if "allow_split" in data and bool(data["allow_split"]) != split:
            raise ValueError(
                f"allow_split {data['allow_split']} contradicts sibling_condition {condition} / "
                "別園可 (allow_split) ときょうだい条件が矛盾しています"
            )
        return {**data, "allow_split": split}

    def tie_rank(self, nursery: str) -> int:
        return self.tiebreak_at.get(nursery, self.tiebreak)

    def priority_key(self, nursery: str) -> tuple[int, int, str]:
        """Smaller is better at `nursery`: more points, then the lower tie rank there, then the id."""
        return (-(self.score + self.bonus.get(nursery, 0)), self.tie_rank(nursery), self.id)

    @field_validator("preferences")
    @classmethod
    def _no_duplicates(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a nursery appears twice in the preferences / 希望園が重複しています")
        return value


# A family's ranked combination (組合せ希望): child id -> nursery id, or None for "not this round" (a
# transfer child: keeps its current seat).
Combination = dict[str, str | None]


class Instance(_Frozen):
    admission_year: int = Field(ge=2000, le=2100)
    nurseries: tuple[InstanceNursery, ...] = Field(max_length=LIMITS.max_nurseries)
    applications: tuple[InstanceApplication, ...] = Field(max_length=LIMITS.max_children)
    # Per sibling group, the whole assignments the family accepts, best first (a combination file). The
    # family's order then replaces the one derived from its condition; "nobody new" is always the last
    # resort and need not be listed. Absent in files written before (and left out when empty).
    sibling_combinations: dict[str, tuple[Combination, ...]] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _without_empty_combinations(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and not data.get("sibling_combinations"):
            data.pop("sibling_combinations", None)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        nursery_ids = [n.id for n in self.nurseries]
        duplicated = [nid for nid, count in Counter(nursery_ids).items() if count > 1]
        if duplicated:
            raise ValueError(f"nursery ids appear twice: {duplicated[:5]}")
        known = set(nursery_ids)
        app_ids = Counter(a.id for a in self.applications)
        twice = [aid for aid, count in app_ids.items() if count > 1]
        if twice:
            raise ValueError(f"application ids appear twice: {twice[:5]}")
        group_condition: dict[str, SiblingCondition | None] = {}
        for app in self.applications:
            unknown = [n for n in app.preferences if n not in known]
            if unknown:
                raise ValueError(f"application {app.id}: unknown nursery {unknown[0]} in preferences")
            if app.current_nursery is not None:
                if app.current_nursery not in known:
                    raise ValueError(f"application {app.id}: unknown current nursery {app.current_nursery}")
                if app.current_nursery in app.preferences:
                    raise ValueError(f"application {app.id}: current nursery is also a preference")
            stray = [n for n in app.bonus if n not in known]
            if stray:
                raise ValueError(f"application {app.id}: bonus for unknown nursery {stray[0]}")
            stray = [n for n in app.tiebreak_at if n not in known]
            if stray:
                raise ValueError(f"application {app.id}: tie rank for unknown nursery {stray[0]}")
            if app.sibling_group is not None:
                previous = group_condition.setdefault(app.sibling_group, app.sibling_condition)
                if previous != app.sibling_condition:
                    raise ValueError(
                        f"sibling group {app.sibling_group}: sibling_condition (allow_split) differs between "
                        "children / きょうだいで条件が異なります"
                    )
        _check_combinations(self)
        return self

    def to_json(self) -> str:
        """Deterministic JSON text (field order, UTF-8, one trailing newline).

        pydantic's serializer is compiled; `json.dumps(..., indent=…)` falls back to the pure-Python
        encoder and took seconds on a 60,000-child city.
        """
        return self.model_dump_json(indent=1) + "\n"


def _check_combinations(instance: Instance) -> None:
    """Every combination names exactly its group's children, each at a nursery it listed (or None; a
    transfer child may also be named at its current nursery, which means it stays)."""
    if not instance.sibling_combinations:
        return
    members: dict[str, dict[str, InstanceApplication]] = {}
    for app in instance.applications:
        if app.sibling_group is not None:
            members.setdefault(app.sibling_group, {})[app.id] = app
    for group, combinations in instance.sibling_combinations.items():
        children = members.get(group)
        if not children or len(children) < 2:
            raise ValueError(
                f"sibling_combinations for {group}: no sibling group of two or more children has that id / "
                "組合せ希望のきょうだいグループがありません"
            )
        seen: set[tuple[tuple[str, str | None], ...]] = set()
        for number, combination in enumerate(combinations, start=1):
            if set(combination) != set(children):
                raise ValueError(
                    f"sibling_combinations {group} #{number}: name exactly the children "
                    f"{sorted(children)} / 組合せ希望にはグループの児童全員を書いてください"
                )
            for child, nursery in combination.items():
                app = children[child]
                if nursery is not None and nursery not in app.preferences and nursery != app.current_nursery:
                    raise ValueError(
                        f"sibling_combinations {group} #{number}: {child} at {nursery}, which it did not list "
                        "/ 組合せ希望に希望していない施設があります"
                    )
            key = tuple(sorted(combination.items(), key=lambda item: item[0]))
            if key in seen:
                raise ValueError(
                    f"sibling_combinations {group} #{number}: the same combination twice / 組合せ希望が重複しています"
                )
            seen.add(key)


def load_instance(path: Path) -> Instance:
    """Read and validate an instance file; every problem becomes one :class:`InstanceError`."""
    try:
        raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a UTF-8 BOM from a Windows editor
    except OSError as exc:
        raise InstanceError(
            f"インスタンスファイルを読めません / cannot read instance file {path}: {exc}"
        ) from exc
    try:
        return Instance.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[:5]
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in first)
        more = f" (+{exc.error_count() - len(first)} more)" if exc.error_count() > len(first) else ""
        raise InstanceError(
            f"インスタンスファイルが不正です / invalid instance {path}: {problems}{more}"
        ) from exc


def save_instance(instance: Instance, path: Path) -> None:
    write_text_atomically(path, instance.to_json())  # 0600; a full disk never leaves half a file
