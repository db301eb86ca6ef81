"""Issue 17, property: random mutations of valid inputs, fed to each reader through the command line
(in process, through the same error boundary as the console script), end in exit 0 or 2 (or the
command's own documented result code) with no traceback and no partial output."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bodx.cli import main
from tests.hostile.bounded import ROOT

LEDGERS = ROOT / "samples/ledgers"
RULES = ROOT / "cities/hinata/rules.toml"
# Fixed examples (derandomized), no shrinking (a failure prints its mutation list as it is), no database.
# BODX_MUTATION_EXAMPLES=200 runs a longer search (not in CI: a few per reader keep the suite fast).
SCALE = max(1, int(os.environ.get("BODX_MUTATION_EXAMPLES", "12")) // 12)
EXAMPLES = settings(
    max_examples=12 * SCALE,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# (operation, where as a fraction of the length, bytes): flip, insert, delete a run, truncate, repeat a run.
Mutation = tuple[str, float, bytes]
mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=8)
        | st.sampled_from(
            [b"\x00", b"\x07", b'"', b"{", b"[", b"]", b"-1e999", b"\xef\xbb\xbf", b"<", b"&#1;"]
        ),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, ops: list[Mutation]) -> bytes:
    for op, where, chunk in ops:
        at = int(where * len(data))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ chunk[0]]) + data[at + 1 :]
        elif op == "insert":
            data = data[:at] + chunk + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + len(chunk) * 4 :]
        elif op == "truncate":
            data = data[:at]
        elif op == "repeat":
            data = data[:at] + data[at : at + 64] * 3 + data[at:]
    return data


def mutate_workbook(source: Path, target: Path, ops: list[Mutation], pick: int) -> None:
    """Mutate one part's XML inside a well-formed zip, so the readers (not just the zip check) see it."""
    with zipfile.ZipFile(source) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    xml = [i for i, (name, _) in enumerate(parts) if name.endswith(".xml")]
    index = xml[pick % len(xml)]
    parts[index] = (parts[index][0], mutate(parts[index][1], ops))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(name, data)


def run_cli(*args: object) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["bodx", *map(str, args)]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.argv = argv
    return code, out.getvalue() + err.getvalue()


def check(code: int, output: str, allowed: set[int], outputs: list[Path]) -> None:
    assert code in allowed, f"exit {code}\n{output[-3000:]}"
    assert "Traceback" not in output and "内部エラー" not in output, output[-3000:]
    for path in outputs:
        folder = path if path.is_dir() else path.parent
        assert not [p for p in folder.glob(".*.part")], "a temporary file was left behind"
        if code == 2:
            assert not path.exists() or (path.is_dir() and not any(path.iterdir())), f"partial output {path}"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from samples.citygen.generate import generate_city

    folder = tmp_path_factory.mktemp("city")
    city = generate_city(12, seed=3)
    apps = json.dumps([a.model_dump(mode="json") for a in city.applications], ensure_ascii=False).encode()
    places = json.dumps([n.model_dump(mode="json") for n in city.nurseries], ensure_ascii=False).encode()
    (folder / "a.json").write_bytes(apps)
    (folder / "n.json").write_bytes(places)
    code, output = run_cli(
        "score",
        "--applications",
        folder / "a.json",
        "--nurseries",
        folder / "n.json",
        "--rules",
        RULES,
        "--year",
        "2027",
        "--out",
        folder / "city.json",
    )
    assert code == 0, output
    return {"applications": apps, "nurseries": places, "instance": (folder / "city.json").read_bytes()}


def _fresh(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


@EXAMPLES
@given(ops=mutations)
def test_instance_reader(tmp_path: Path, city: dict[str, bytes], ops: list[Mutation]) -> None:
    work = _fresh(tmp_path, "match")
    (work / "city.json").write_bytes(mutate(city["instance"], ops))
    out = work / "result.json"
    code, output = run_cli("match", "--instance", work / "city.json", "--out", out, "--time-limit", "5")
    check(code, output, {0, 2, 3}, [out])  # 3: a mutated instance that really is infeasible


@EXAMPLES
@given(ops=mutations, which=st.sampled_from(["applications", "nurseries"]))
def test_records_readers(tmp_path: Path, city: dict[str, bytes], ops: list[Mutation], which: str) -> None:
    work = _fresh(tmp_path, "score")
    for name in ("applications", "nurseries"):
        data = city[name]
        (work / f"{name}.json").write_bytes(mutate(data, ops) if name == which else data)
    out = work / "city.json"
    code, output = run_cli(
        "score",
        "--applications",
        work / "applications.json",
        "--nurseries",
        work / "nurseries.json",
        "--rules",
        RULES,
        "--year",
        "2027",
        "--out",
        out,
    )
    check(code, output, {0, 2}, [out])


@EXAMPLES
@given(ops=mutations)
def test_rules_reader(tmp_path: Path, city: dict[str, bytes], ops: list[Mutation]) -> None:
    work = _fresh(tmp_path, "rules")
    (work / "a.json").write_bytes(city["applications"])
    (work / "n.json").write_bytes(city["nurseries"])
    (work / "rules.toml").write_bytes(mutate(RULES.read_bytes(), ops))
    out = work / "city.json"
    code, output = run_cli(
        "score",
        "--applications",
        work / "a.json",
        "--nurseries",
        work / "n.json",
        "--rules",
        work / "rules.toml",
        "--year",
        "2027",
        "--out",
        out,
    )
    check(code, output, {0, 2}, [out])


@EXAMPLES
@given(ops=mutations, pick=st.integers(0, 50), raw=st.booleans())
@example(
    ops=[("flip", 0.8892276149911604, b"\x9d\xab\x1a C\xe3\xb69")], pick=48, raw=True
)  # zlib.error, once
def test_ledger_reader(tmp_path: Path, ops: list[Mutation], pick: int, raw: bool) -> None:
    work = _fresh(tmp_path, "ledger")
    ledger = work / "ledger.xlsx"
    if raw:  # the zip itself damaged
        ledger.write_bytes(mutate((LEDGERS / "minato.xlsx").read_bytes(), ops))
    else:
        mutate_workbook(LEDGERS / "minato.xlsx", ledger, ops, pick)
    out = work / "out"
    code, output = run_cli(
        "sheets", "normalise", "--ledger", ledger, "--mapping", LEDGERS / "minato.mapping.toml", "--out", out
    )
    check(code, output, {0, 1, 2}, [out])  # 1: read, with errors in the issue list (documented)


@EXAMPLES
@given(ops=mutations, pick=st.integers(0, 50))
@example(  # a damaged r="…" row number (ValueError before the fix)
    ops=[
        ("insert", 0.38285038919729975, b"S;C"),
        ("delete", 0.11239940090255399, b"<"),
        ("insert", 0.38285038919729975, b"S;C"),
    ],
    pick=12,
)
def test_manual_selection_reader(tmp_path: Path, ops: list[Mutation], pick: int) -> None:
    work = _fresh(tmp_path, "compare")
    manual = work / "manual.xlsx"
    mutate_workbook(LEDGERS / "minato.xlsx", manual, ops, pick)
    (work / "result.json").write_text('{"status": "optimal", "assignments": {}}')
    out = work / "reconcile.xlsx"
    code, output = run_cli("compare", "--manual", manual, "--result", work / "result.json", "--out", out)
    check(code, output, {0, 2}, [out])


@pytest.fixture(scope="module")
def review_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ocr.review import write_review

    path = tmp_path_factory.mktemp("review") / "review.xlsx"
    write_review([], path)
    return path


@settings(EXAMPLES, max_examples=6 * SCALE)  # each run loads the bundled form templates (seconds)
@given(ops=mutations, pick=st.integers(0, 50))
def test_ocr_review_reader(tmp_path: Path, review_workbook: Path, ops: list[Mutation], pick: int) -> None:
    work = _fresh(tmp_path, "ocr")
    (work / "readings.json").write_text(json.dumps({"format": "bodx-ocr-readings/1", "pages": []}))
    mutate_workbook(review_workbook, work / "review.xlsx", ops, pick)
    code, output = run_cli("ocr", "apply-review", "--out", work)
    check(code, output, {0, 2}, [work / "applications.json", work / "issues.json"])


def _scan_bytes() -> dict[str, bytes]:
    from PIL import Image

    image = Image.new("L", (64, 48), 255)
    found = {}
    for fmt in ("PNG", "JPEG", "TIFF", "PDF"):
        buffer = io.BytesIO()
        image.save(buffer, format=fmt)
        found[fmt] = buffer.getvalue()
    return found


SCANS = _scan_bytes()


@settings(EXAMPLES, max_examples=40 * SCALE)
@given(ops=mutations, fmt=st.sampled_from(sorted(SCANS)))
@example(
    ops=[("insert", 0.5551844271707834, b"\x14\x97\x07V\xe33\xc1\\")], fmt="PDF"
)  # page size error, once
@example(
    ops=[("flip", 5e-324, b"\xc2"), ("flip", 5e-324, b"\xc2"), ("repeat", 0.014908985376159482, b"\x81Z")],
    fmt="TIFF",
)
def test_scan_loader(tmp_path: Path, ops: list[Mutation], fmt: str) -> None:
    from ocr.errors import PageLoadError
    from ocr.loading import load_pages

    path = tmp_path / f"scan.{fmt.lower()}"
    path.write_bytes(mutate(SCANS[fmt], ops))
    try:
        pages = load_pages(path)
        shapes = [page.shape for page in pages]  # every page decodes, or the error is a PageLoadError
        assert all(len(shape) == 2 for shape in shapes)
    except PageLoadError:
        pass
