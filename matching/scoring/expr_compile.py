"""Check a condition's names and types, then turn it into plain Python closures (fast; no eval).

`compile_condition(text, namespace, context)` gives a :class:`Compiled` with `fn(env)`, the value type and
the level (household / child / nursery) it depends on; problems raise :class:`ExprError` with the
character they are at and, for an unknown name, the nearest known one ("did you mean").
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from matching.config import did_you_mean
from matching.scoring.expr_names import HOUSEHOLD, Env, NameDef
from matching.scoring.expr_parse import Binary, Call, ExprError, ListOf, Literal, Name, Node, Unary, parse

Fn = Callable[[Env], Any]
_TYPE_JA = {"bool": "真偽", "num": "数", "text": "文字", "date": "日付", "texts": "文字の並び"}
GUARDIAN_FUNCTIONS = ("any_guardian", "all_guardians", "count_guardians")


@dataclass(frozen=True)
class Compiled:
    text: str
    fn: Fn
    type: str
    level: int


@dataclass(frozen=True)
class _Part:
    fn: Fn
    type: str
    level: int
    name: NameDef | None = None  # set for a bare name (its choices check literals compared with it)
    literal: Any = None
    is_literal: bool = False


class _Compiler:
    def __init__(self, names: Mapping[str, NameDef], context: str) -> None:
        self.names = names
        self.context = context  # "" | "guardian" | "reason"

    def part(self, node: Node) -> _Part:
        if isinstance(node, Literal):
            return self._literal(node)
        if isinstance(node, Name):
            return self._name(node)
        if isinstance(node, ListOf):
            items = [self.part(item) for item in node.items]
            if not all(item.is_literal and item.type == "text" for item in items):
                raise ExprError(
                    "[ ] の中には文字 (「母」など) だけを書いてください",
                    "a [ ] list holds text values only",
                    node.column,
                )
            values = frozenset(item.literal for item in items)
            return _Part(lambda env: values, "texts", HOUSEHOLD, literal=values, is_literal=True)
        if isinstance(node, Call):
            return self._call(node)
        if isinstance(node, Unary):
            inner = self.part(node.operand)
            if node.op == "not":
                self._want(inner, "bool", node.operand)
                fn = inner.fn
                return _Part(lambda env: not fn(env), "bool", inner.level)
            self._want(inner, "num", node.operand)
            fn = inner.fn
            return _Part(lambda env: None if (v := fn(env)) is None else -v, "num", inner.level)
        assert isinstance(node, Binary)
        return self._binary(node)

    def _literal(self, node: Literal) -> _Part:
        value: Any = node.value
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, Decimal):
            kind = "num"
            value = int(value) if value == value.to_integral_value() else Fraction(value)
        elif isinstance(value, dt.date):
            kind = "date"
        else:
            kind = "text"
        return _Part(lambda env: value, kind, HOUSEHOLD, literal=value, is_literal=True)

    def _name(self, node: Name) -> _Part:
        found = self.names.get(node.name)
        if found is None:
            guess = did_you_mean(node.name, self.names)
            hint_ja = f"「{guess}」の誤りではありませんか。" if guess else ""
            hint_en = f"did you mean {guess!r}? " if guess else ""
            raise ExprError(
                f"項目「{node.name}」はありません。{hint_ja}city.toml の [[facts]] に宣言した名前か、"
                "標準の項目 (samples/rules/README.md) を書いてください",
                f"unknown name {node.name!r}; {hint_en}use a fact declared in city.toml or a built-in name",
                node.column,
            )
        if found.needs == "guardian" and self.context == "":
            raise ExprError(
                f"「{node.name}」は保護者ごとの項目です。any_guardian({node.name} …) のように書いてください",
                f"{node.name!r} is per guardian: write any_guardian(...), all_guardians(...) or count_guardians(...)",
                node.column,
            )
        if found.needs == "reason" and self.context != "reason":
            raise ExprError(
                f"「{node.name}」は事由の表 (cases・就労の表の when) の中でだけ使えます",
                f"{node.name!r} exists only inside a reason's cases or a work table's when",
                node.column,
            )
        return _Part(found.get, found.type, found.level, name=found)

    def _call(self, node: Call) -> _Part:
        if node.name not in GUARDIAN_FUNCTIONS:
            guess = did_you_mean(node.name, GUARDIAN_FUNCTIONS)
            hint = f" (「{guess}」?)" if guess else ""
            raise ExprError(
                f"関数「{node.name}」はありません{hint}。使える関数: {', '.join(GUARDIAN_FUNCTIONS)}",
                f"unknown function {node.name!r}; known: {', '.join(GUARDIAN_FUNCTIONS)}",
                node.column,
            )
        if len(node.args) > 1 or (not node.args and node.name != "count_guardians"):
            raise ExprError(
                f"{node.name}(…) には保護者についての条件を1つ書いてください",
                f"{node.name}(...) takes one condition about a guardian",
                node.column,
            )
        if not node.args:
            return _Part(lambda env: len(env.app.household.guardians), "num", HOUSEHOLD)
        inner_compiler = _Compiler(self.names, "reason" if self.context == "reason" else "guardian")
        inner = inner_compiler.part(node.args[0])
        self._want(inner, "bool", node.args[0])
        test = inner.fn

        def over_guardians(env: Env, stop_at: bool | None) -> int:
            """How many guardians pass; stops at the first result equal to `stop_at` (any / all)."""
            saved = env.guardian
            passed = 0
            try:
                for guardian in env.app.household.guardians:
                    env.guardian = guardian
                    result = bool(test(env))
                    passed += result
                    if result is stop_at:
                        break
                return passed
            finally:
                env.guardian = saved

        if node.name == "any_guardian":
            return _Part(lambda env: over_guardians(env, True) > 0, "bool", inner.level)
        if node.name == "all_guardians":
            return _Part(
                lambda env: over_guardians(env, False) == len(env.app.household.guardians),
                "bool",
                inner.level,
            )
        return _Part(lambda env: over_guardians(env, None), "num", inner.level)

    def _binary(self, node: Binary) -> _Part:
        left, right = self.part(node.left), self.part(node.right)
        level = max(left.level, right.level)
        lf, rf = left.fn, right.fn
        if node.op in ("and", "or"):
            self._want(left, "bool", node.left)
            self._want(right, "bool", node.right)
            if node.op == "and":
                return _Part(lambda env: bool(lf(env)) and bool(rf(env)), "bool", level)
            return _Part(lambda env: bool(lf(env)) or bool(rf(env)), "bool", level)
        if node.op in ("+", "-", "*"):
            self._want(left, "num", node.left)
            self._want(right, "num", node.right)
            op = {"+": operator.add, "-": operator.sub, "*": operator.mul}[node.op]
            return _Part(
                lambda env: None if (a := lf(env)) is None or (b := rf(env)) is None else op(a, b),
                "num",
                level,
            )
        if node.op in ("in", "not in"):
            if right.type != "texts" or left.type != "text":
                raise ExprError(
                    "in は 「求職」 in reasons や role in [「父」, 「母」] のように書きます",
                    'write in as  "求職" in reasons  or  role in ["父", "母"]',
                    node.column,
                )
            self._check_choice(left, right, node)
            self._check_choice(right, left, node)
            negate = node.op == "not in"
            return _Part(lambda env: (lf(env) in (rf(env) or ())) != negate, "bool", level)
        if left.type != right.type:
            raise ExprError(
                f"{_TYPE_JA[left.type]}と{_TYPE_JA[right.type]}は比べられません",
                f"cannot compare {left.type} with {right.type}",
                node.column,
            )
        if left.type in ("bool", "texts", "text") and node.op not in ("==", "!="):
            raise ExprError(
                f"{_TYPE_JA[left.type]}には == か != だけが使えます",
                f"only == and != apply to {left.type} values",
                node.column,
            )
        self._check_choice(left, right, node)
        self._check_choice(right, left, node)
        compare = {
            "==": operator.eq,
            "!=": operator.ne,
            "<": operator.lt,
            "<=": operator.le,
            ">": operator.gt,
            ">=": operator.ge,
        }[node.op]
        if node.op == "!=":
            return _Part(lambda env: lf(env) != rf(env), "bool", level)

        def test(env: Env) -> bool:
            a = lf(env)
            if a is None:
                return False
            b = rf(env)
            return b is not None and bool(compare(a, b))

        return _Part(test, "bool", level)

    def _check_choice(self, named: _Part, other: _Part, node: Node) -> None:
        if named.name is None or named.name.choices is None or not other.is_literal:
            return
        values = other.literal if isinstance(other.literal, frozenset) else {other.literal}
        for value in sorted(values):
            if value not in named.name.choices:
                guess = did_you_mean(str(value), named.name.choices)
                hint = f"「{guess}」の誤りではありませんか。" if guess else ""
                raise ExprError(
                    f"「{value}」はこの項目の値にありません。{hint}使える値: {', '.join(named.name.choices)}",
                    f"{value!r} is not one of this name's values ({', '.join(named.name.choices)})",
                    node.column,
                )

    @staticmethod
    def _want(part: _Part, kind: str, node: Node) -> None:
        if part.type != kind:
            raise ExprError(
                f"ここには{_TYPE_JA[kind]}の値が必要ですが、{_TYPE_JA[part.type]}が書かれています",
                f"expected a {kind} value here, found {part.type}",
                node.column,
            )


def compile_condition(
    text: str, names: Mapping[str, NameDef], context: str = "", want: str = "bool"
) -> Compiled:
    """Parse and check `text` (a condition, or with want="num" a count such as a `times` expression)."""
    node = parse(text)
    part = _Compiler(names, context).part(node)
    _Compiler._want(part, want, node)
    return Compiled(text=text, fn=part.fn, type=part.type, level=part.level)
