"""`bodx sheets inspect`: a draft mapping for a ledger nobody has mapped yet.

Finds each sheet's header rows (one to three, merged cells included), guesses every column from the
table of common headings (sheets/vocabulary.py) and the city's declared facts, tries the usual guardian
column groups (保護者1/2, 父/母, 保護者（父）/（母）), and writes a TOML draft: what it placed as comments
that say so, what it could not place as comments to fill in. Staff check the draft; `check_mapping`
then validates it strictly.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from matching.profile import CityProfile
from sheets.header import HeaderLayout, application_vocabulary, find_header, nursery_vocabulary
from sheets.mapping import GuardianSettings, LedgerMapping
from sheets.safety import DEFAULT_LIMITS, check_workbook
from sheets.xlsx_stream import XlsxBook, column_letters

SLOT_GUESSES = (
    ("保護者1", "保護者2"), ("父", "母"), ("保護者（父）", "保護者（母）"), ("父親", "母親"), ("申請者", "配偶者"),
)  # fmt: skip
RELATION_SLOTS = {
    "父": "父",
    "母": "母",
    "父親": "父",
    "母親": "母",
    "保護者（父）": "父",
    "保護者（母）": "母",
}
SEARCH_ROWS = 30


@dataclass(frozen=True)
class DraftMapping:
    text: str  # the TOML draft
    unplaced: tuple[str, ...]  # "sheet!X: header" of the columns no field claims


def draft_mapping(path: Path, profile: CityProfile | None = None) -> DraftMapping:
    check_workbook(path, DEFAULT_LIMITS)
    with XlsxBook(path) as book:
        heads = {sheet: list(islice(book.rows(sheet), SEARCH_ROWS)) for sheet in book.sheet_names}
        nursery_sheet = None
        for sheet, rows in heads.items():
            layout = find_header(rows, nursery_vocabulary(LedgerMapping()), book.merges(sheet))
            if layout is not None and {"id", "name"} <= layout.fields() and "capacity" in layout.fields():
                nursery_sheet = sheet
                break
        best: dict[str, tuple[HeaderLayout, tuple[str, ...]]] = {}
        for sheet, rows in heads.items():
            if sheet == nursery_sheet:
                continue
            for slots in SLOT_GUESSES:
                mapping = _mapping(slots, profile)
                vocabulary = application_vocabulary(mapping, _levels(profile))
                layout = find_header(rows, vocabulary, book.merges(sheet), book.hidden_columns(sheet))
                if layout is None or not {"application_id", "birth_date"} & layout.fields():
                    continue
                if sheet not in best or len(layout.bindings) > len(best[sheet][0].bindings):
                    best[sheet] = (layout, slots)
    return _render(path, best, nursery_sheet, profile)


def _mapping(slots: tuple[str, ...], profile: CityProfile | None) -> LedgerMapping:
    facts: dict[str, tuple[str, ...]] = {}
    for fact in profile.facts if profile else ():
        facts[fact.name] = (f"{{g}}{fact.label}",) if fact.level.value == "guardian" else (fact.label,)
    return LedgerMapping(guardians=GuardianSettings(slots=slots), fact_columns=facts)


def _levels(profile: CityProfile | None) -> dict[str, str] | None:
    return {f.name: f.level.value for f in profile.facts} if profile else None


def _render(
    path: Path,
    best: dict[str, tuple[HeaderLayout, tuple[str, ...]]],
    nursery_sheet: str | None,
    profile: CityProfile | None,
) -> DraftMapping:
    lines = [f"# 下書き: bodx sheets inspect が {path.name} から作りました。確認して直してください。",
             f"# Draft written by bodx sheets inspect from {path.name}: check it before use.", "", "[ledger]"]  # fmt: skip
    lines.append(f"application_sheets = [{', '.join(_quote(s) for s in best)}]")
    if nursery_sheet:
        lines.append(f"nursery_sheet = {_quote(nursery_sheet)}")
    unplaced: list[str] = []
    if not best:
        lines.append("# 申込の見出し行が見つかりません / no application header found")
        return DraftMapping("\n".join(lines) + "\n", ())
    layout, slots = next(iter(best.values()))
    fields = {b.ref.field for b in layout.bindings}
    if layout.first_row < layout.header_row:
        lines.append(f"header_rows = [{layout.first_row}, {layout.header_row}]")
    if "household_number" in fields:
        lines.append(
            'siblings_by = "household"   # 世帯番号の列があります: 同じ世帯番号の行をきょうだいとします'
        )
    elif "child_id" not in fields:
        lines.append("derive_child_id = true   # 児童番号の列がありません: <受付番号>-1, -2 … にします")
    if "guardian.relation" not in fields:
        lines.append("relation_from_slot = true   # 続柄の列がありません: 保護者の欄の名前を続柄にします")
    lines += ["", "[guardians]", f"slots = [{', '.join(_quote(s) for s in slots)}]"]
    relations = [RELATION_SLOTS.get(s) for s in slots]
    if all(relations) and relations != list(slots):
        lines.append(f"relations = [{', '.join(_quote(r or '') for r in relations)}]")
    defaults = []
    if "desired_start" not in fields:
        defaults.append('desired_start = "round"   # 入所希望月の列がありません: 選考回の入所日にします')
    if "guardian.reason" not in fields and {"guardian.hours_per_month", "guardian.hours_per_week"} & fields:
        defaults.append('reason = "就労"   # 事由の列がありません: 時間のある保護者は就労とします')
    if defaults:
        lines += ["", "[defaults]", *defaults]
    facts = [b for b in layout.bindings if b.ref.field.startswith("fact.")]
    if facts and profile:
        lines += ["", "[fact_columns]"]
        for fact, field in sorted({(b.ref.key, b.ref.field) for b in facts}):
            declared = profile.fact(fact)
            label = declared.label if declared else fact
            header = f"{{g}}{label}" if field == "fact.guardian" else label
            lines.append(f"{fact} = [{_quote(header)}]")
    for sheet, (sheet_layout, _slots) in best.items():
        lines += ["", f"# シート「{sheet}」の列 / columns of sheet {sheet!r}:"]
        for binding in sheet_layout.bindings:
            lines.append(
                f"#   {column_letters(binding.column)} 「{binding.header}」 → {binding.ref.value_key}"
            )
        for column, header in sheet_layout.unmapped:
            where = f"{sheet}!{column_letters(column)}: {header}"
            unplaced.append(where)
            lines.append(f"#   {column_letters(column)} 「{header}」 → ？ 分かりません。[columns] などに見出しを書き足すか、"
                         "読まない列ならそのままにします / unknown: add it to a table or leave it unread")  # fmt: skip
        for column, header in sheet_layout.hidden:
            lines.append(
                f"#   {column_letters(column)} 「{header}」 → 非表示の列のため読みません / hidden, not read"
            )
    return DraftMapping("\n".join(lines) + "\n", tuple(unplaced))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
