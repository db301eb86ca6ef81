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
- `sheets.safety.check_workbook(path, limits)`, `sheets.safety.read_checked_parts(path, limits)`,
  `sheets.safety.ensure_writable_output(path, inputs)`
- parsers: `sheets.wareki.parse_date_text`, `sheets.values.parse_date / parse_number / parse_mark /
  parse_phone / parse_postal_code`

Speed (`bodx bench sheets`: the generated 100,000-row ledger, the review workbook for 30,000 children,
2 cores), and why the time is spent where it is:

- A ledger's workbook is inflated once: the safety check keeps the XML parts it measured
  (`sheets.safety.read_checked_parts`), and a worksheet's XML is decoded once for its rows, merged ranges
  and columns. Rows are decoded by the project's own reader (`sheets.xlsx_stream`, `sheets.xlsx_cells`),
  half of them in a forked worker (`sheets.forked`). python-calamine 0.9.1 was measured against it on
  that ledger, all rows in one process: 2.4-2.5 s against 2.9 s; it would still be the whole decoding
  on one core, where the own reader shares it, and it cannot tell a formula saved without its value
  from an empty cell. Kept.
- Records are prepared (guardians, hours, preferences, origins) in forked workers in parts and validated
  here in draft order as each part arrives (`sheets.build_shares`), which is the one-process reading
  exactly. Validation (pydantic) is what remains on this core; origins are built, not validated (their
  two dozen cell names cost more to validate than the rest of the record).
- The cyclic garbage collector is paused while the 2.4 million objects are made (`sheets.gcpause`).
- The review workbook's rows are serialised by `sheets.xlsx_rows.RowWriter`: the bytes openpyxl writes,
  without a Cell per value.

Never imports Prefect.
"""
