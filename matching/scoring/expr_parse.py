"""The condition language of a rules file: tokens and syntax tree (no eval: our own small parser).

A condition is one line of text staff can read, e.g.::

    ひとり親 and not any_guardian(role == 「母」 and "求職" in reasons)
    age_months >= 12 and (sibling_here or count_guardians(main_earner) > 0)

Grammar, loosest binding first::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary ("*" unary)*
    unary      := "-" unary | primary
    primary    := number | "text" | 'text' | 「text」 | 2027-04-01 | true | false | name
                | name "(" [expr ("," expr)*] ")" | "(" expr ")" | "[" [expr ("," expr)*] "]"

Names are Unicode words (ひとり親, age_months, 認可外利用中); what they mean is `expr_names`' job.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal


class ExprError(Exception):
    """A problem in one condition: staff text in Japanese and English, and the character it is at."""

    def __init__(self, ja: str, en: str, column: int) -> None:
        super().__init__(en)
        self.ja = ja
        self.en = en
        self.column = column  # 1-based position in the condition text


@dataclass(frozen=True)
class Node:
    column: int


@dataclass(frozen=True)
class Literal(Node):
    value: Decimal | str | bool | dt.date


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class ListOf(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "not" or "-"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str  # and or == != < <= > >= in "not in" + - *
    left: Node
    right: Node


KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<text>"[^"]*"|'[^']*'|「[^」]*」)
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|,|\[|\]|\+|-|\*)
  | (?P<name>[^\W\d][\w・]*)
    """,
    re.VERBOSE,
)
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


@dataclass(frozen=True)
class Token:
    kind: str  # date number text op name end
    text: str
    column: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(source):
        found = _TOKEN.match(source, position)
        if found is None:
            char = source[position]
            raise ExprError(
                f"「{char}」はここでは使えません (比較は == != < <= > >=、組み合わせは and / or / not)",
                f"unexpected character {char!r} (compare with == != < <= > >=, combine with and / or / not)",
                position + 1,
            )
        kind = found.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, found.group(), position + 1))
        position = found.end()
    tokens.append(Token("end", "", len(source) + 1))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _is(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def _take(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def _expect(self, text: str) -> Token:
        if not self._is("op", text):
            token = self.current
            shown = token.text or "(式の終わり)"
            raise ExprError(
                f"「{text}」があるはずの所に「{shown}」があります。括弧の対応を確認してください",
                f"expected {text!r} but found {shown!r}; check the brackets",
                token.column,
            )
        return self._take()

    def parse(self) -> Node:
        if self._is("end"):
            raise ExprError("条件が空です", "the condition is empty", 1)
        node = self._or()
        if not self._is("end"):
            token = self.current
            raise ExprError(
                f"「{token.text}」の前に and / or が抜けていませんか",
                f"unexpected {token.text!r}: is an 'and' / 'or' missing before it?",
                token.column,
            )
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._is("name", "or"):
            column = self._take().column
            node = Binary(column, "or", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._not()
        while self._is("name", "and"):
            column = self._take().column
            node = Binary(column, "and", node, self._not())
        return node

    def _not(self) -> Node:
        if self._is("name", "not"):
            column = self._take().column
            return Unary(column, "not", self._not())
        return self._comparison()

    def _comparison(self) -> Node:
        node = self._sum()
        token = self.current
        if token.kind == "op" and token.text in _COMPARISONS:
            self._take()
            return Binary(token.column, token.text, node, self._sum())
        if self._is("name", "in"):
            self._take()
            return Binary(token.column, "in", node, self._sum())
        if self._is("name", "not") and self.tokens[self.index + 1].text == "in":
            self.index += 2
            return Binary(token.column, "not in", node, self._sum())
        return node

    def _sum(self) -> Node:
        node = self._product()
        while self._is("op", "+") or self._is("op", "-"):
            token = self._take()
            node = Binary(token.column, token.text, node, self._product())
        return node

    def _product(self) -> Node:
        node = self._unary()
        while self._is("op", "*"):
            token = self._take()
            node = Binary(token.column, "*", node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._is("op", "-"):
            column = self._take().column
            return Unary(column, "-", self._unary())
        return self._primary()

    def _primary(self) -> Node:
        token = self._take()
        if token.kind == "number":
            return Literal(token.column, Decimal(token.text))
        if token.kind == "date":
            try:
                return Literal(token.column, dt.date.fromisoformat(token.text))
            except ValueError:
                raise ExprError(
                    f"日付 {token.text} はありません", f"no such date {token.text}", token.column
                ) from None
        if token.kind == "text":
            return Literal(token.column, token.text[1:-1])
        if token.kind == "op" and token.text == "(":
            node = self._or()
            self._expect(")")
            return node
        if token.kind == "op" and token.text == "[":
            return ListOf(token.column, self._items("]"))
        if token.kind == "name" and token.text in ("true", "false"):
            return Literal(token.column, token.text == "true")
        if token.kind == "name" and token.text not in KEYWORDS:
            if self._is("op", "("):
                self._take()
                return Call(token.column, token.text, self._items(")"))
            return Name(token.column, token.text)
        shown = token.text or "(式の終わり)"
        raise ExprError(
            f"「{shown}」の所に値か項目名があるはずです",
            f"expected a value or a name, found {shown!r}",
            token.column,
        )

    def _items(self, closing: str) -> tuple[Node, ...]:
        items: list[Node] = []
        if self._is("op", closing):
            self._take()
            return ()
        while True:
            items.append(self._or())
            if self._is("op", ","):
                self._take()
                continue
            self._expect(closing)
            return tuple(items)


def parse(source: str) -> Node:
    """The syntax tree of one condition; :class:`ExprError` names the character of the first problem."""
    return _Parser(source).parse()
