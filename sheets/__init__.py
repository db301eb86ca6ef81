"""Excel in and out (openpyxl): ledgers to canonical records, review workbooks, staff adjustments.

Public API (other packages and flows call these):

- `sheets.mapping.load_mapping(path) -> LedgerMapping` (strict; MappingFileError lists every problem)
- `sheets.mapping_check.check_mapping(path, profile=None) -> list[str]` (for `bodx city check`)
- `sheets.inspect.draft_mapping(path, profile=None) -> DraftMapping` (`bodx sheets inspect`)
- `sheets.ledger.read_ledger(path, mapping, *, nurseries=(), limits=DEFAULT_LIMITS, profile=None,
  round_id=None) -> LedgerReading` (`applications`, `nurseries`, `issues`, `held`)
- `sheets.outputs.write_reading(reading, out, *, inputs=(), issues_format="json", overwrite=False)`
- `sheets.review.write_review_workbook(data: ReviewInput, path, *, overwrite=False) -> Path`
- `sheets.adjustments.read_adjustments(path) -> tuple[StaffAdjustment, ...]`
- `sheets.safety.check_workbook(path, limits)`, `sheets.safety.ensure_writable_output(path, inputs)`
- parsers: `sheets.wareki.parse_date_text`, `sheets.values.parse_date / parse_number / parse_mark /
  parse_phone / parse_postal_code`

Never imports Prefect.
"""
