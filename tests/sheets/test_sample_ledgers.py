"""The hand-made sample ledgers normalise to exactly their expected records, and every deliberate defect
is in the issue list at its sheet, row and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from matching.records import Application, Nursery
from samples import DEMO_LEDGER_MAPPING
from samples.citygen.generate import generate_city
from samples.citygen.ledger import write_ledger
from samples.ledgers.make_ledgers import main as make_ledgers
from sheets.issues import Severity
from sheets.ledger import LedgerReading, read_ledger
from sheets.mapping import load_mapping

LEDGERS = Path(__file__).resolve().parents[2] / "samples" / "ledgers"
SAMPLES = ("minato", "yamabiko", "sakura")


def plain(applications: tuple[Application, ...]) -> tuple[Application, ...]:
    """The records without `origin` (where each value was read: checked on its own below)."""
    assert all(a.origin is not None and a.origin.file and a.origin.rows for a in applications)
    return tuple(a.model_copy(update={"origin": None}) for a in applications)


def _read(name: str) -> tuple[LedgerReading, dict[str, list[dict[str, object]]]]:
    reading = read_ledger(LEDGERS / f"{name}.xlsx", load_mapping(LEDGERS / f"{name}.mapping.toml"))
    expected = json.loads((LEDGERS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return reading, expected


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_normalises_to_the_expected_records(name: str) -> None:
    reading, expected = _read(name)
    assert plain(reading.applications) == tuple(
        Application.model_validate(a) for a in expected["applications"]
    )
    assert reading.nurseries == tuple(Nursery.model_validate(n) for n in expected["nurseries"])
    assert [a.model_dump(mode="json", exclude={"origin"}) for a in reading.applications] == expected[
        "applications"
    ]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_defect_is_reported_at_its_cell(name: str) -> None:
    reading, expected = _read(name)
    for defect in expected["defects"]:
        matches = [
            issue
            for issue in reading.issues
            if (issue.sheet, issue.row, issue.column, issue.severity.value)
            == (defect["sheet"], defect["row"], defect["column"], defect["severity"])
        ]
        assert matches, f"{name}: defect not reported: {defect}"
        assert all(issue.message for issue in matches)


@pytest.mark.parametrize("name", SAMPLES)
def test_no_error_or_warning_beyond_the_deliberate_defects(name: str) -> None:
    reading, expected = _read(name)
    defect_rows = {(d["sheet"], d["row"]) for d in expected["defects"]}
    for issue in reading.issues:
        if issue.severity is not Severity.INFO:
            assert (issue.sheet, issue.row) in defect_rows, issue


def test_committed_ledgers_are_what_the_script_writes(tmp_path: Path) -> None:
    for path in make_ledgers(tmp_path):
        assert path.read_bytes() == (LEDGERS / path.name).read_bytes(), f"{path.name}: regenerate the samples"


def test_formula_looking_name_is_read_as_text() -> None:
    reading, _ = _read("sakura")
    names = [child.name for app in reading.applications for child in app.children]
    assert any(name and name.startswith("=HYPERLINK") for name in names)


def test_generated_city_ledger_round_trips(tmp_path: Path) -> None:
    city = generate_city(400, seed=11)
    path = tmp_path / "ledger.xlsx"
    write_ledger(city, path)
    reading = read_ledger(path, load_mapping(DEMO_LEDGER_MAPPING))
    assert plain(reading.applications) == city.applications
    assert [n.id for n in reading.nurseries] == [n.id for n in city.nurseries]
    for got, want in zip(reading.nurseries, city.nurseries, strict=True):
        assert (got.name, got.kind, got.district) == (want.name, want.kind, want.district)
        assert all(got.seats(age) == want.seats(age) for age in range(6))
    assert all(issue.severity is Severity.INFO for issue in reading.issues)


def test_sheets_are_found_without_naming_them(tmp_path: Path) -> None:
    city = generate_city(120, seed=2)
    path = tmp_path / "ledger.xlsx"
    write_ledger(city, path)
    mapping = tmp_path / "auto.toml"
    mapping.write_text('[ledger]\nnurseries_by = "name"\nlist_separators = "、"\n', encoding="utf-8")
    reading = read_ledger(path, load_mapping(mapping))
    assert plain(reading.applications) == city.applications
    # Nurseries given by the caller resolve names too (for ledgers without a nursery sheet).
    again = read_ledger(path, load_mapping(mapping), nurseries=city.nurseries)
    assert plain(again.applications) == city.applications


def test_parallel_reading_gives_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sheets.build_shares
    import sheets.forked
    import sheets.rows

    city = generate_city(600, seed=5)
    path = tmp_path / "ledger.xlsx"
    write_ledger(city, path)
    mapping = load_mapping(DEMO_LEDGER_MAPPING)
    serial = read_ledger(path, mapping)
    monkeypatch.setattr(sheets.rows, "PARALLEL_MIN_ROWS", 10)  # the forked path for a small sheet
    monkeypatch.setattr(sheets.build_shares, "PARALLEL_MIN_DRAFTS", 10)
    pools: list[int] = []

    real_pool = sheets.forked.ProcessPoolExecutor

    def counting_pool(**kwargs: Any) -> Any:
        pools.append(kwargs["max_workers"])
        return real_pool(**kwargs)

    monkeypatch.setattr(sheets.forked, "ProcessPoolExecutor", counting_pool)
    monkeypatch.setattr(sheets.forked.os, "cpu_count", lambda: 2)  # a split even on a one-core runner
    parallel = read_ledger(path, mapping)
    assert len(pools) == 2, "the big-sheet paths (worker processes) were not taken"
    assert parallel == serial
    assert plain(parallel.applications) == city.applications


def _count_in_daemon(queue: Any) -> None:
    import sheets.forked

    sheets.forked.os.cpu_count = lambda: 2  # type: ignore[assignment]  # two cores even on a one-core runner
    queue.put(sheets.forked.process_count())


def test_a_daemonic_process_reads_on_its_own_core() -> None:
    """A daemonic process (a Dask worker) may not fork workers: the reader then does all the work itself."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_count_in_daemon, args=(queue,), daemon=True)
    process.start()
    assert queue.get(timeout=30) == 1
    process.join(timeout=30)
