"""What a parallel-run comparison produces: one root cause per chain of differences, one row per child.

A *root cause* is one thing that happened (a clerical mistake in the manual result, or a legitimate
difference of method such as a transfer moving up); the children it moved are its *chain*. Every
differing child belongs to exactly one root cause: either as a subject (the child the cause is about)
or as a knock-on, labelled "正当 (連鎖)" because its difference is only a consequence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

_MENTION = re.compile(r"\{(\d+)\}")

Outcomes = Mapping[str, str | None]  # child id -> nursery id, None = 保留


class Category(StrEnum):
    MANUAL_ERROR = "手作業の誤り"
    METHOD = "方法の違い (正当)"
    DATA = "データの不一致"
    UNEXPLAINED = "説明できない相違"
    KNOCK_ON = "連鎖 (正当)"  # a child's own label only: a root cause is never a knock-on


class Kind(StrEnum):
    """Why one child's outcomes differ. Values are the machine codes (JSON); `label` is for staff."""

    MISSING_IN_MANUAL = "missing_in_manual"
    SCORE_DIFFERS = "score_differs"
    UNLISTED_NURSERY = "unlisted_nursery"
    SIBLING_WISH_BROKEN = "sibling_wish_broken"
    OVER_CAPACITY = "over_capacity"
    FREE_SEAT_LEFT = "free_seat_left"
    PRIORITY_ORDER_BROKEN = "priority_order_broken"
    SIBLING_GROUP_PLACED_DIFFERENTLY = "sibling_group_placed_differently"
    TRANSFER_CHAIN = "transfer_chain"
    MISSING_IN_PROGRAM = "missing_in_program"
    NOT_IN_APPLICATIONS = "not_in_applications"
    NO_PRIORITIES = "no_priorities"
    OFF_RULE = "off_rule"
    CHAIN = "chain"  # a knock-on of another root cause: legitimate

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def category(self) -> Category:
        return _CATEGORIES[self]


_LABELS = {
    Kind.MISSING_IN_MANUAL: "手作業の結果にない",
    Kind.SCORE_DIFFERS: "指数の相違",
    Kind.UNLISTED_NURSERY: "希望していない園",
    Kind.SIBLING_WISH_BROKEN: "きょうだいの希望に反する",
    Kind.OVER_CAPACITY: "定員超過",
    Kind.FREE_SEAT_LEFT: "空きがあるのに保留",
    Kind.PRIORITY_ORDER_BROKEN: "指数順の逆転",
    Kind.SIBLING_GROUP_PLACED_DIFFERENTLY: "きょうだいの配置の違い",
    Kind.TRANSFER_CHAIN: "転園による連鎖",
    Kind.MISSING_IN_PROGRAM: "プログラムの結果にない",
    Kind.NOT_IN_APPLICATIONS: "申込データにない",
    Kind.NO_PRIORITIES: "指数情報なし",
    Kind.OFF_RULE: "規則にない調整",
    Kind.CHAIN: "正当 (連鎖)",
}
_MANUAL = (
    Kind.MISSING_IN_MANUAL,
    Kind.SCORE_DIFFERS,
    Kind.UNLISTED_NURSERY,
    Kind.SIBLING_WISH_BROKEN,
    Kind.OVER_CAPACITY,
    Kind.FREE_SEAT_LEFT,
    Kind.PRIORITY_ORDER_BROKEN,
)
_CATEGORIES = {
    **dict.fromkeys(_MANUAL, Category.MANUAL_ERROR),
    Kind.SIBLING_GROUP_PLACED_DIFFERENTLY: Category.METHOD,
    Kind.TRANSFER_CHAIN: Category.METHOD,
    Kind.CHAIN: Category.KNOCK_ON,
    Kind.MISSING_IN_PROGRAM: Category.DATA,
    Kind.NOT_IN_APPLICATIONS: Category.DATA,
    Kind.NO_PRIORITIES: Category.UNEXPLAINED,
    Kind.OFF_RULE: Category.UNEXPLAINED,
}
# Order of the groups in every listing: manual errors first, then method differences, then the rest.
KIND_ORDER = {kind: index for index, kind in enumerate(Kind)}
CATEGORY_ORDER = {category: index for index, category in enumerate(Category)}

Labeller = Callable[[str], str]  # child id -> how the child is named in a text (masked, or 受付番号 + 氏名)


@dataclass(frozen=True)
class Text:
    """A sentence that names other children: `template` holds {0}, {1}… for `mentions` (child ids), so
    the screen can show masked ids and the workbook full names from the same finding."""

    template: str
    mentions: tuple[str, ...] = ()

    def render(self, label: Labeller) -> str:
        # A regex, not str.format: a nursery name with a brace in it must not break the sentence.
        def name(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return label(self.mentions[index]) if index < len(self.mentions) else match.group(0)

        return _MENTION.sub(name, self.template)


@dataclass(frozen=True)
class RootCause:
    id: str  # "R001": stable within one comparison, sorted like the listing
    kind: Kind
    subjects: tuple[str, ...]  # the children the cause is about
    knock_on: tuple[str, ...] = ()  # children whose difference is a consequence of it

    @property
    def children(self) -> tuple[str, ...]:
        return self.subjects + self.knock_on


@dataclass(frozen=True)
class Difference:
    child_id: str
    manual: str | None  # None = 保留
    program: str | None
    kind: Kind  # the root kind for a subject, Kind.CHAIN for a knock-on
    root: str  # RootCause.id
    reason: Text
    age_class: int | None = None
    manual_score: int | None = None
    program_score: int | None = None

    def reason_text(self, label: Labeller) -> str:
        return self.reason.render(label)


@dataclass(frozen=True)
class Agreement:
    children: int
    agreed: int

    @property
    def rate(self) -> float:
        return self.agreed / self.children if self.children else 1.0


@dataclass(frozen=True)
class ScoreOnly:
    """A child whose manual 指数 differs from the program's although both sides give the same outcome."""

    child_id: str
    manual_score: int
    program_score: int
    outcome: str | None


@dataclass(frozen=True)
class Comparison:
    children: int
    agreed: int
    differences: tuple[Difference, ...]  # grouped by root cause, manual errors first
    roots: tuple[RootCause, ...] = ()
    by_class: Mapping[int, Agreement] = field(default_factory=dict)
    by_nursery: Mapping[str, Agreement] = field(default_factory=dict)
    score_only: tuple[ScoreOnly, ...] = ()
    nursery_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def agreement_rate(self) -> float:
        return self.agreed / self.children if self.children else 1.0

    def root(self, root_id: str) -> RootCause:
        return next(r for r in self.roots if r.id == root_id)

    def counts_by_kind(self) -> dict[Kind, tuple[int, int]]:
        """Root kind -> (causes, children including knock-ons), in listing order."""
        counts: dict[Kind, tuple[int, int]] = {}
        for root in self.roots:
            causes, children = counts.get(root.kind, (0, 0))
            counts[root.kind] = (causes + 1, children + len(root.children))
        return dict(sorted(counts.items(), key=lambda item: KIND_ORDER[item[0]]))
