"""The 集計 sheet of the review workbook: placed per choice rank and per age class, fill rate per
nursery, and a chart of the choice ranks (written in write-only mode like the other sheets)."""

from __future__ import annotations

from collections import Counter

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from matching.records import AGE_CLASS_LABELS, AGE_CLASSES
from sheets.cells import header_row, safe_row
from sheets.review_layout import print_header_footer
from sheets.review_model import ReviewModel, placed_per_rank
from sheets.xlsx_rows import RowWriter
from sheets.xlsx_stream import column_letters


def write_summary_sheet(out: RowWriter, model: ReviewModel) -> None:
    sheet = out.sheet
    rows = model.rows
    per_rank = placed_per_rank(rows)
    max_rank = max((len(r.application.preferences) for r in rows), default=0)
    rank_labels = [f"第{rank}希望" for rank in range(1, max_rank + 1)] + ["在籍継続", "希望外", "保留"]
    headers = {0}
    lines: list[list[object]] = [["希望順位別", "人数", "割合"]]
    total = max(len(rows), 1)
    for label in rank_labels:
        if label in ("在籍継続", "希望外") and not per_rank.get(label):
            continue
        lines.append([label, per_rank.get(label, 0), round(per_rank.get(label, 0) / total, 4)])
    rank_block = len(lines)
    lines.append([])
    headers.add(len(lines))
    lines.append(["年齢クラス別", "申込数", "内定数", "保留数", "内定率"])
    applied: Counter[int] = Counter(r.age_class for r in rows)
    placed: Counter[int] = Counter(r.age_class for r in rows if r.assigned is not None)
    for age in AGE_CLASSES:
        count = applied.get(age, 0)
        lines.append(
            [AGE_CLASS_LABELS[age], count, placed[age], count - placed[age], _rate(placed[age], count)]
        )
    lines.append(["合計", len(rows), sum(placed.values()), len(rows) - sum(placed.values()),
                  _rate(sum(placed.values()), len(rows))])  # fmt: skip
    lines.append([])
    headers.add(len(lines))
    lines.append(["施設別充足率", "施設名", "募集数", "内定数", "充足率"])
    by_nursery: Counter[str] = Counter(r.assigned for r in rows if r.assigned is not None)
    for nursery in model.data.nurseries:
        seats = sum(nursery.capacity.values())
        lines.append(
            [nursery.id, nursery.name, seats, by_nursery[nursery.id], _rate(by_nursery[nursery.id], seats)]
        )
    lines.append([])
    headers.add(len(lines))
    lines.append(["最適化の結果", "内容"])
    lines.extend(_solver_lines(model))
    columns = (("項目", 16), ("値", 22), ("値", 10), ("値", 10), ("値", 10))
    for index, (_label, width) in enumerate(columns):
        sheet.column_dimensions[column_letters(index)].width = width
    sheet.page_setup.orientation = "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    sheet.page_setup.paperSize = "9"  # A4
    print_header_footer(sheet)
    chart = BarChart()
    chart.type = "col"
    chart.title = "希望順位別の内定・保留人数"
    chart.y_axis.title = "人数"
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=rank_block), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rank_block))
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, "G2")
    for index, line in enumerate(lines):
        if index in headers:
            out.append(header_row(sheet, [str(v) for v in line]))
        else:  # every float on this sheet is a rate
            out.append([_percent(sheet, v) if isinstance(v, float) else v for v in safe_row(sheet, line)])


def _solver_lines(model: ReviewModel) -> list[list[object]]:
    """Whether the assignment is proven best; when not, the gap and every coalition for staff to judge."""
    result = model.data.result
    lines: list[list[object]] = [
        ["状態", {"optimal": "最適 (証明済み)", "feasible": "実行可能 (最適は未証明)"}.get(result.status, result.status)],
        ["ブロッキング", f"{len(result.blocking)} 件" + (f" (下限 {result.blocking_bound})" if result.blocking_bound is not None else "")],
    ]  # fmt: skip
    if result.status != "optimal":
        lines.append(["説明", result.message or "制限時間内に最適と証明できませんでした"])
        lines.append(
            [
                "対応",
                "下の組は、互いに入れ替えたほうが望ましい可能性があります。職員の判断で調整欄 (固定・除外) により解消できます",
            ]
        )
        for coalition in result.blocking:
            lines.append(
                [
                    "未解消の組",
                    f"{' / '.join(coalition.applicants)} → {model.nursery_name(coalition.nursery)}",
                ]
            )
    return lines


def _percent(sheet: WriteOnlyWorksheet, value: float) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "0.0%"
    return cell


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
