"""Staff adjustments (調整) written in the review workbook and read back for the next `bodx match` run.

Format (sheet 結果一覧, header on row 1; columns found by header name, so staff may reorder or add
columns):

- `調整` — blank, `固定` (pin: the child is placed at the nursery) or `除外` (the child is never placed
  there). A drop-down offers both.
- `調整施設番号` — the nursery: the drop-down offers 「N001 さくら保育園」 (the last column of the 施設一覧
  sheet); the bare id or the name from that sheet is accepted too. Left blank, it means the nursery in `内定施設番号` of the same row: `固定` keeps the
  current placement, `除外` rejects it. Blank on a 保留 row is an error.
- `調整メモ` — free text for the staff's reason; not read.
- `調整点` / `調整理由` (optional) — points staff add or take away for the child (職権調整, e.g. -3 or
  +1.5) and the reason, required with them; read by :func:`read_staff_points` for `bodx score
  --staff-points` and shown in the child's 指数内訳.

To give one child several adjustments, copy its row and fill the copy. Every unusable entry is listed
in one :class:`AdjustmentsReadError` (sheet, row, column), and nothing is returned: a re-run must not
silently drop a decision.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from matching.adjustments import AdjustmentKind, StaffAdjustment, StaffPoints
from sheets.errors import AdjustmentsReadError
from sheets.safety import DEFAULT_LIMITS, WorkbookLimits, check_workbook
from sheets.values import header_key, normalise_text
from sheets.xlsx_stream import CellValue, XlsxBook, column_letters

RESULTS_SHEET = "結果一覧"
NURSERY_LIST_SHEET = "施設一覧"
CHILD_ID_HEADER = "児童番号"
ASSIGNED_HEADER = "内定施設番号"  # blank = 保留; `bodx compare` reads this column too
ADJUSTMENT_KIND_HEADER = "調整"
ADJUSTMENT_NURSERY_HEADER = "調整施設番号"
ADJUSTMENT_NOTE_HEADER = "調整メモ"
STAFF_POINTS_HEADER = "調整点"
STAFF_REASON_HEADER = "調整理由"
_KINDS = {kind.value: kind for kind in AdjustmentKind}


def read_adjustments(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS) -> tuple[StaffAdjustment, ...]:
    """The staff adjustments in the review workbook at `path`, in row order, duplicates removed."""
    check_workbook(path, limits)
    with XlsxBook(path) as book:
        if RESULTS_SHEET not in book.sheet_names:
            raise AdjustmentsReadError(
                f"{path.name}: シート「{RESULTS_SHEET}」がありません。結果確認ブックを指定してください / "
                "not a review workbook"
            )
        nurseries = _nursery_ids(book)
        rows = book.rows(RESULTS_SHEET)
        header = next((values for number, values in rows if number == 1), None)
        columns = _columns(path, header or [])
        found: list[StaffAdjustment] = []
        problems: list[str] = []
        for number, values in rows:
            entry = _entry(values, columns, nurseries)
            if entry is None:
                continue
            if isinstance(entry, str):
                problems.append(f"{RESULTS_SHEET} {number}行目: {entry}")
            elif entry not in found:
                found.append(entry)
    if problems:
        raise AdjustmentsReadError(
            f"{path.name}: 調整欄に使えない値があります / unusable adjustments:\n" + "\n".join(problems)
        )
    return tuple(found)


def _columns(path: Path, header: list[CellValue]) -> dict[str, int]:
    keys = {header_key(value): index for index, value in enumerate(header) if value is not None}
    columns = {}
    for label in (CHILD_ID_HEADER, ASSIGNED_HEADER, ADJUSTMENT_KIND_HEADER, ADJUSTMENT_NURSERY_HEADER):
        index = keys.get(header_key(label))
        if index is None:
            raise AdjustmentsReadError(
                f"{path.name}: {RESULTS_SHEET} の1行目に列「{label}」がありません / column {label!r} missing"
            )
        columns[label] = index
    return columns


def _nursery_ids(book: XlsxBook) -> dict[str, str]:
    """Id and name (both normalised) -> id, from the workbook's own nursery list."""
    known: dict[str, str] = {}
    if NURSERY_LIST_SHEET not in book.sheet_names:
        return known
    for number, values in book.rows(NURSERY_LIST_SHEET):
        if number == 1 or not values:
            continue
        nursery_id = normalise_text(values[0])
        if nursery_id is None:
            continue
        known[header_key(nursery_id)] = nursery_id
        name = normalise_text(values[1]) if len(values) > 1 else None
        if name is not None:
            known.setdefault(header_key(name), nursery_id)
            # The drop-down's entry 「N001 さくら保育園」 (header_key drops the space).
            known.setdefault(header_key(f"{nursery_id}{name}"), nursery_id)
    return known


def _cell(values: list[CellValue], index: int) -> str | None:
    return normalise_text(values[index]) if index < len(values) else None


def _entry(
    values: list[CellValue], columns: dict[str, int], nurseries: dict[str, str]
) -> StaffAdjustment | str | None:
    kind_text = _cell(values, columns[ADJUSTMENT_KIND_HEADER])
    nursery_text = _cell(values, columns[ADJUSTMENT_NURSERY_HEADER])
    where = f"列 {column_letters(columns[ADJUSTMENT_KIND_HEADER])}"
    if kind_text is None:
        if nursery_text is not None:
            return f"{where}: 調整施設番号だけが入っています。固定か除外を選んでください / nursery given without a kind"
        return None
    kind = _KINDS.get(kind_text)
    if kind is None:
        return f"{where}: 「{kind_text}」は使えません（固定・除外） / unknown adjustment kind"
    child_id = _cell(values, columns[CHILD_ID_HEADER])
    if child_id is None:
        return f"列 {column_letters(columns[CHILD_ID_HEADER])}: 児童番号がありません / no child id"
    nursery_where = f"列 {column_letters(columns[ADJUSTMENT_NURSERY_HEADER])}"
    if nursery_text is None:
        assigned = _cell(values, columns[ASSIGNED_HEADER])
        if assigned is None:
            return f"{nursery_where}: 保留の児童には調整施設番号が必要です / a waitlisted child needs a nursery id"
        nursery_text = assigned
    nursery = nurseries.get(header_key(nursery_text)) if nurseries else nursery_text
    if nursery is None:
        return f"{nursery_where}: 施設「{nursery_text}」は施設一覧にありません / unknown nursery"
    return StaffAdjustment(child_id=child_id, kind=kind, nursery=nursery)


def read_staff_points(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS) -> tuple[StaffPoints, ...]:
    """The 職権調整 (調整点 with its 調整理由) of the review workbook at `path`, in row order.

    A workbook without the two columns has none. Every unusable entry (not a number, points without a
    reason) is listed in one :class:`AdjustmentsReadError` with sheet, row and column.
    """
    check_workbook(path, limits)
    with XlsxBook(path) as book:
        if RESULTS_SHEET not in book.sheet_names:
            raise AdjustmentsReadError(
                f"{path.name}: シート「{RESULTS_SHEET}」がありません。結果確認ブックを指定してください / "
                "not a review workbook"
            )
        rows = book.rows(RESULTS_SHEET)
        header = next((values for number, values in rows if number == 1), None) or []
        keys = {header_key(value): index for index, value in enumerate(header) if value is not None}
        points_col, reason_col = (
            keys.get(header_key(STAFF_POINTS_HEADER)),
            keys.get(header_key(STAFF_REASON_HEADER)),
        )
        child_col = keys.get(header_key(CHILD_ID_HEADER))
        if points_col is None or child_col is None:
            return ()
        found: list[StaffPoints] = []
        problems: list[str] = []
        for number, values in rows:
            if number == 1:
                continue
            entry = _staff_entry(values, child_col, points_col, reason_col)
            if isinstance(entry, str):
                problems.append(f"{RESULTS_SHEET} {number}行目 列 {column_letters(points_col)}: {entry}")
            elif entry is not None:
                found.append(entry)
    if problems:
        raise AdjustmentsReadError(
            f"{path.name}: 調整点の欄に使えない値があります / unusable staff points:\n" + "\n".join(problems)
        )
    return tuple(found)


def _staff_entry(
    values: list[CellValue], child_col: int, points_col: int, reason_col: int | None
) -> StaffPoints | str | None:
    raw = values[points_col] if points_col < len(values) else None
    text = normalise_text(raw) if not isinstance(raw, int | float) else str(raw)
    if text is None:
        return None
    try:
        points = Decimal(text.replace("＋", "+").replace("−", "-").replace("▲", "-").replace("点", ""))
    except InvalidOperation:
        return f"「{text}」は点数ではありません (例: -3, 1.5) / not a number"
    if points == 0:
        return None
    reason = _cell(values, reason_col) if reason_col is not None else None
    if reason is None:
        return f"調整点 {text} の理由 (調整理由) がありません / staff points need a reason in 調整理由"
    child_id = _cell(values, child_col)
    if child_id is None:
        return "児童番号がありません / no child id"
    return StaffPoints(child_id=child_id, points=points, reason=reason)
