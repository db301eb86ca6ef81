"""Read a selection result (child -> nursery, 保留) from a workbook as clerks keep it, for `bodx compare`.

Clerks keep the manual result in one sheet, or one sheet per age class (0歳児 …), or one sheet per
nursery with a 保留 sheet for the waiting children. Every sheet is looked at: the header row is found
within the first rows (titles and notes sit above it); a sheet without a 児童番号 header (a 集計 sheet,
notes) is skipped and reported, never silently dropped. The nursery comes from a 内定施設番号 column,
a 内定施設 (name) column, or the sheet's name; the 指数 the clerk wrote is read so that a transcription
error can be named as such. A child listed twice with the same outcome (a 全体 sheet beside the class
sheets) is read once; listed twice with different outcomes is an error that names both places.

Files are checked by :func:`sheets.safety.check_workbook` and read values-only by
:class:`sheets.xlsx_stream.XlsxBook`: no formula is evaluated, no macro opened.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sheets.errors import LedgerFormatError
from sheets.safety import DEFAULT_LIMITS, WorkbookLimits, check_workbook
from sheets.values import normalise_text
from sheets.xlsx_stream import CellValue, XlsxBook

HEADER_SEARCH_ROWS = 20  # titles and notes may sit above the header row
CHILD = ("児童番号", "児童ID", "児童コード", "児童NO")
NURSERY_ID = ("内定施設番号", "内定園番号", "内定施設コード", "決定施設番号")
NURSERY_NAME = ("内定施設名", "内定施設", "内定園", "内定園名", "入所決定施設", "決定施設")
SCORE = ("指数", "合計指数", "利用調整指数", "選考指数", "指数合計")
APPLICATION = ("受付番号",)
NAME = ("氏名", "児童氏名", "児童名")
CLASS = ("年齢クラス", "クラス", "歳児クラス")
RESULT = ("結果", "選考結果", "判定")
WAITING_WORDS = ("保留", "待機", "不承諾", "在園継続", "継続", "-", "ー", "―", "なし")
WAITING_SHEET = re.compile(r"保留|待機|不承諾")
_NURSERY_SUFFIXES = re.compile(r"(保育園|保育所|こども園|認定こども園|分園)$")


@dataclass(frozen=True)
class SelectionRow:
    child_id: str
    nursery: str | None  # nursery id (None = 保留); an unresolved name is kept as written
    score: int | None
    application_id: str | None
    name: str | None
    age_label: str | None
    sheet: str
    row: int


@dataclass(frozen=True)
class SkippedSheet:
    sheet: str
    reason: str


@dataclass(frozen=True)
class Selection:
    rows: tuple[SelectionRow, ...]
    sheets_read: tuple[str, ...]
    skipped: tuple[SkippedSheet, ...]
    problems: tuple[str, ...]  # rows read with a doubt (an unknown nursery, a 指数 that is not a number)

    @property
    def outcomes(self) -> dict[str, str | None]:
        return {row.child_id: row.nursery for row in self.rows}

    @property
    def scores(self) -> dict[str, int]:
        return {row.child_id: row.score for row in self.rows if row.score is not None}

    def describe(self) -> str:
        """One line for the screen: what was read and what was skipped."""
        skipped = "、".join(f"「{s.sheet}」({s.reason})" for s in self.skipped)
        text = f"{len(self.rows)} 人 / {len(self.sheets_read)} シートを読み込み"
        return text + (f"。読まなかったシート: {skipped}" if skipped else "")


def _key(value: CellValue) -> str:
    text = normalise_text(value) or ""
    return re.sub(r"\s+", "", text).upper()


def _find(headers: list[str], words: tuple[str, ...]) -> int | None:
    wanted = {_key(w) for w in words}
    return next((i for i, h in enumerate(headers) if h in wanted), None)


class _NurseryNames:
    """Resolve what a clerk wrote (an id, a name, a name without 保育園) to a nursery id."""

    def __init__(self, names: Mapping[str, str]) -> None:  # nursery id -> name
        self.ids = {_key(nid): nid for nid in names}
        self.by_name: dict[str, str] = {}
        for nid, name in names.items():
            self.by_name[_key(name)] = nid
            self.by_name.setdefault(_NURSERY_SUFFIXES.sub("", _key(name)), nid)

    def resolve(self, text: str) -> str | None:
        key = _key(text)
        return self.ids.get(key) or self.by_name.get(key) or self.by_name.get(_NURSERY_SUFFIXES.sub("", key))


def read_selection(
    path: Path,
    nursery_names: Mapping[str, str] | None = None,
    *,
    first_sheet_only: bool = False,
    limits: WorkbookLimits = DEFAULT_LIMITS,
) -> Selection:
    """Every sheet's rows (or only the first sheet that has the columns, for a program's result list).

    `nursery_names` (id -> name) resolves nursery names and sheet names; without it only ids are read.
    Raises :class:`~sheets.errors.SheetsError` naming the fix when nothing can be read.
    """
    check_workbook(path, limits)
    names = _NurseryNames(nursery_names or {})
    reader = _Reader(path, names)
    with XlsxBook(path) as book:
        for sheet in book.sheet_names:
            if reader.read_sheet(book, sheet) and first_sheet_only:
                break
    if not reader.sheets_read:
        skipped = "、".join(f"「{s.sheet}」: {s.reason}" for s in reader.skipped)
        raise LedgerFormatError(
            f"{path.name}: 選考結果の見出し行 (「児童番号」と「内定施設番号」または「内定施設」) が見つかりません "
            f"({skipped})。結果一覧のシートにこの列見出しを付けてください / no sheet has a header row with "
            "児童番号 and 内定施設番号 (or 内定施設, or a sheet named after a nursery or 保留)"
        )
    return Selection(
        tuple(reader.rows.values()), tuple(reader.sheets_read), tuple(reader.skipped), tuple(reader.problems)
    )


class _Reader:
    def __init__(self, path: Path, names: _NurseryNames) -> None:
        self.path, self.names = path, names
        self.rows: dict[str, SelectionRow] = {}
        self.sheets_read: list[str] = []
        self.skipped: list[SkippedSheet] = []
        self.problems: list[str] = []

    def read_sheet(self, book: XlsxBook, sheet: str) -> bool:
        rows = book.rows(sheet)
        sheet_nursery = None if WAITING_SHEET.search(sheet) else self.names.resolve(sheet)
        waiting_sheet = WAITING_SHEET.search(sheet) is not None
        for row_number, values in rows:
            if row_number > HEADER_SEARCH_ROWS:
                break
            headers = [_key(v) for v in values]
            child = _find(headers, CHILD)
            nursery_id, nursery_name = _find(headers, NURSERY_ID), _find(headers, NURSERY_NAME)
            if child is None:
                continue
            if nursery_id is None and nursery_name is None and sheet_nursery is None and not waiting_sheet:
                reason = "児童番号はあるが内定施設の列がなく、シート名も施設名・保留ではありません"
                if not self.names.ids:
                    reason += " (シート名を施設名として読むには施設一覧 (インスタンス) が必要です)"
                self.skipped.append(SkippedSheet(sheet, reason))
                return False
            columns = _Columns.of(headers, child, nursery_id, nursery_name)
            for number, body in rows:
                self._row(sheet, number, body, columns, sheet_nursery)
            self.sheets_read.append(sheet)
            return True
        self.skipped.append(
            SkippedSheet(sheet, f"先頭{HEADER_SEARCH_ROWS}行に「児童番号」の見出しがありません")
        )
        return False

    def _row(
        self, sheet: str, number: int, body: list[CellValue], columns: _Columns, sheet_nursery: str | None
    ) -> None:
        child = normalise_text(_cell(body, columns.child))
        if child is None:
            return  # blank or spacer row
        written = [normalise_text(_cell(body, c)) for c in (columns.nursery_id, columns.nursery_name)]
        result = normalise_text(_cell(body, columns.result)) or ""
        nursery = self._nursery(sheet, number, next((w for w in written if w), None), sheet_nursery)
        if any(word in result for word in ("保留", "不承諾", "待機", "継続")):
            nursery = None
        row = SelectionRow(
            child_id=child,
            nursery=nursery,
            score=self._score(sheet, number, _cell(body, columns.score)),
            application_id=normalise_text(_cell(body, columns.application)),
            name=normalise_text(_cell(body, columns.name)),
            age_label=normalise_text(_cell(body, columns.age)),
            sheet=sheet,
            row=number,
        )
        earlier = self.rows.get(child)
        if earlier is not None:
            if earlier.nursery != row.nursery:
                raise LedgerFormatError(
                    f"{self.path.name}: 同じ児童番号が「{earlier.sheet}」{earlier.row}行目 "
                    f"({earlier.nursery or '保留'}) と「{sheet}」{number}行目 ({row.nursery or '保留'}) で違う結果です。"
                    "どちらかに直してください / the same child appears twice with different outcomes (rows named)"
                )
            return  # the same child on a summary sheet and its class sheet
        self.rows[child] = row

    def _nursery(self, sheet: str, number: int, written: str | None, sheet_nursery: str | None) -> str | None:
        if written is None:
            return sheet_nursery
        if written in WAITING_WORDS or any(written.startswith(w) for w in WAITING_WORDS[:3]):
            return None
        resolved = self.names.resolve(written)
        if resolved is None and self.names.ids:
            self.problems.append(
                f"「{sheet}」{number}行目: 施設「{written}」が施設一覧にありません / unknown nursery {written!r}"
            )
        return resolved or written

    def _score(self, sheet: str, number: int, value: CellValue) -> int | None:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int | float) and float(value).is_integer():
            return int(value)
        text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("点").strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if text:
            self.problems.append(
                f"「{sheet}」{number}行目: 指数「{value}」が整数ではありません / score is not a whole number"
            )
        return None


@dataclass(frozen=True)
class _Columns:
    child: int
    nursery_id: int | None
    nursery_name: int | None
    score: int | None
    application: int | None
    name: int | None
    age: int | None
    result: int | None

    @classmethod
    def of(cls, headers: list[str], child: int, nursery_id: int | None, nursery_name: int | None) -> _Columns:
        found = (_find(headers, words) for words in (SCORE, APPLICATION, NAME, CLASS, RESULT))
        return cls(child, nursery_id, nursery_name, *found)


def _cell(values: list[CellValue], column: int | None) -> CellValue:
    return values[column] if column is not None and column < len(values) else None
