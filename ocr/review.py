"""The review queue: every doubtful field in an Excel sheet, its scanned crop beside the value read,
and a cell for the staff's correction; the corrected workbook is read back into the same readings.

A row counts only when staff set 確認 to 済: an untouched row stays pending, so no value reaches scoring
unseen. The corrected value is validated like a reading; a row that still fails stays pending and is
reported.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import Image

from ocr.errors import ReviewFileError
from ocr.postprocess import problems, to_value
from ocr.readings import FieldReading, PageReading, Value
from ocr.template import FieldKind, FieldSpec, FormTemplate
from sheets.cells import needs_text_guard
from sheets.errors import SheetsError
from sheets.safety import open_workbook, write_atomically

SHEET = "確認"
HEADERS = ("キー", "ファイル", "項目", "種類", "画像", "読み取り値", "理由", "候補", "修正値", "確認")
KEY, FILE, LABEL, KIND, IMAGE, READ, REASON, CANDIDATES, CORRECTED, CONFIRMED = range(1, 11)
DONE = "済"
IMAGE_WIDTH = 520  # px shown in the sheet: legible, and the row stays a sensible height
TRUE_WORDS = {"✓", "✔", "☑", "レ", "1", "はい", "有", "true", "yes", "○", "〇"}
FALSE_WORDS = {"", "0", "いいえ", "無", "false", "no", "×", "□"}
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _shown(value: Value) -> str:
    if isinstance(value, bool):
        return "✓" if value else ""
    return "" if value is None else str(value)


def _picture(crop_jpeg: bytes) -> tuple[SheetImage, int] | None:
    if not crop_jpeg:
        return None
    original = Image.open(io.BytesIO(crop_jpeg))
    scale = min(1.0, IMAGE_WIDTH / original.width)
    image = original.resize((max(1, round(original.width * scale)), max(1, round(original.height * scale))))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return SheetImage(buffer), image.height


PAGE_ROW = "ページ全体"  # the 項目 of a row about a whole page (not read, or read turned)


def _page_rows(reading: PageReading) -> list[tuple[list[str], bytes]]:
    if not reading.needs_page_review:
        return []
    values = [
        f"{reading.key}|",
        f"{Path(reading.source).name} p.{reading.page + 1}",
        PAGE_ROW,
        reading.status.value,
        "",
        "",
        reading.message,
        "",
        "",
        "",
    ]
    return [(values, reading.thumbnail_jpeg)]


def _field_rows(reading: PageReading) -> list[tuple[list[str], bytes]]:
    rows = []
    for field in reading.pending:
        values = [
            f"{reading.key}|{field.name}",
            f"{Path(reading.source).name} p.{reading.page + 1}",
            field.label,
            field.kind,
            "",
            _shown(field.value),
            "\n".join(field.problems),
            "\n".join(f"{engine}: {text}" for engine, text in field.candidates),
            _shown(field.value),
            "",
        ]
        rows.append((values, field.crop_jpeg))
    return rows


def write_review(readings: Sequence[PageReading], path: Path | str) -> int:
    """Write every pending field of every read page, and a row with a thumbnail for every page that was
    not read (blank, unknown form, too dark …) or was read turned, to `path` (.xlsx); returns the rows."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    confirm = DataValidation(type="list", formula1=f'"{DONE}"', allow_blank=True)
    sheet.add_data_validation(confirm)
    widths = {"A": 8, "B": 22, "C": 18, "D": 9, "E": 72, "F": 30, "G": 40, "H": 36, "I": 30, "J": 8}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["A"].hidden = True
    row = 1
    for reading in readings:
        for values, picture_jpeg in _page_rows(reading) + _field_rows(reading):
            row += 1
            for column, text in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=text)
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if needs_text_guard(text):  # a value read as "=…" or "+81…" stays text, never a formula
                    cell.data_type, cell.quotePrefix = "s", True
            sheet.cell(row=row, column=CORRECTED).fill = INPUT_FILL
            sheet.cell(row=row, column=CONFIRMED).fill = INPUT_FILL
            confirm.add(sheet.cell(row=row, column=CONFIRMED))
            picture = _picture(picture_jpeg)
            height = 60
            if picture is not None:
                image, height = picture
                sheet.add_image(image, f"E{row}")
            sheet.row_dimensions[row].height = max(45, height * 0.75 + 6)  # points (3/4 of a pixel)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(Path(path), buffer.getvalue())  # 0600, never half a file
    return row - 1


def _corrected_value(spec: FieldSpec, raw: object) -> tuple[Value, list[str]]:
    text = "" if raw is None else str(raw).strip()
    if spec.kind is FieldKind.CHECKBOX:
        lowered = text.lower()
        if lowered in TRUE_WORDS:
            return True, []
        if lowered in FALSE_WORDS:
            return False, []
        return None, [f"チェック欄は ✓ か空欄で入力してください / enter ✓ or leave empty (got {text!r})"]
    if spec.kind is FieldKind.CHOICE:
        options = [o.value for o in spec.options]
        if text and text not in options:
            return None, [
                f"選択肢 {'/'.join(options)} のいずれかを入力してください / enter one of the options"
            ]
        value: Value = text or None
        return value, problems(spec, value)
    value = to_value(spec, text) if text else None
    return value, problems(spec, value)


def read_review(
    readings: Sequence[PageReading], path: Path | str, templates: Sequence[FormTemplate]
) -> tuple[list[PageReading], list[str]]:
    """Apply the confirmed rows of a review workbook; returns (updated readings, problems found).

    Readings are matched by file, page and field; rows for readings not given are reported, not lost.
    """
    try:
        workbook = open_workbook(Path(path))  # the safe-open path: measured, bounded, read-only
    except SheetsError as exc:
        raise ReviewFileError(f"確認用ファイルを開けません / cannot open the review workbook: {exc}") from exc
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ReviewFileError(f"確認用ファイルを開けません / cannot open the review workbook: {exc}") from exc
    if SHEET not in workbook.sheetnames:
        raise ReviewFileError(f"シート「{SHEET}」がありません / the workbook has no '{SHEET}' sheet")
    sheet = workbook[SHEET]
    header = tuple(cell.value for cell in sheet[1])[: len(HEADERS)]
    if header != HEADERS:
        raise ReviewFileError("確認シートの列が変更されています / the review sheet's columns were changed")
    specs = {t.id: {s.name: s for s in t.fields} for t in templates}
    pages = {reading.key: reading for reading in readings}
    updates: dict[str, dict[str, FieldReading]] = {}
    issues: list[str] = []
    missing_templates: set[str] = set()
    for row in sheet.iter_rows(min_row=2, values_only=True):
        key, confirmed = row[KEY - 1], row[CONFIRMED - 1]
        if not key or str(confirmed or "").strip() != DONE:
            continue
        page_key, _, field_name = str(key).rpartition("|")
        if not field_name:
            continue  # a whole-page row: staff saw the page; there is no value to apply
        page = pages.get(page_key)
        if page is not None and page.template_id not in specs:
            missing_templates.add(str(page.template_id))
            continue
        if page is None or field_name not in specs[str(page.template_id)]:
            issues.append(f"{key}: 対応する読み取り結果がありません / no matching reading")
            continue
        spec = specs[str(page.template_id)][field_name]
        value, found = _corrected_value(spec, row[CORRECTED - 1])
        if found:
            issues.append(f"{Path(page.source).name} p.{page.page + 1} {spec.label}: " + "; ".join(found))
            continue
        old = page.field(field_name)
        updates.setdefault(page_key, {})[field_name] = replace(
            old, value=value, confidence=1.0, accepted=True, problems=(), corrected=True
        )
    if missing_templates:
        names = ", ".join(sorted(missing_templates))
        issues.insert(
            0,
            f"様式 {names} のテンプレートが指定されていません。読み取り (ocr read) と同じ --templates-dir を"
            f"指定してください / the templates {names} used when reading were not given: pass the same "
            "--templates-dir as to `ocr read`",
        )
    updated = []
    for reading in readings:
        changed = updates.get(reading.key)
        if changed:
            reading = reading.with_fields(tuple(changed.get(f.name, f) for f in reading.fields))
        updated.append(reading)
    return updated, issues


def has_staff_input(path: Path) -> bool:
    """Whether staff have started on the review workbook at `path` (any 確認 cell filled, or a file that
    cannot be read back): such a file is never replaced without being asked to."""
    try:
        workbook = open_workbook(path)
        try:
            rows = (
                workbook[SHEET].iter_rows(min_row=2, values_only=True) if SHEET in workbook.sheetnames else ()
            )
            return any(len(row) >= CONFIRMED and row[CONFIRMED - 1] not in (None, "") for row in rows)
        finally:
            workbook.close()
    except Exception:  # unreadable: someone changed it; keep it
        return True
