"""Issue 17 (4, 6, 7, 8): bad --out, nesting, BOMs, control characters and internal errors end in one
bilingual message and exit 2 (3 for a bug), never a traceback or a name; outputs are 0600 in 0700 folders."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from bodx.boundary import EXIT_INTERNAL, message_for, printable
from tests.hostile.bounded import ROOT, bodx

LEDGERS = ROOT / "samples/ledgers"
NAME = "山田花子"


def _instance(path: Path, *, bom: bool = False) -> Path:
    data = {
        "admission_year": 2027,
        "nurseries": [{"id": "N1", "name": "ひなた保育園", "capacity": {"1": 1}}],
        "applications": [{"id": "C1", "age_class": 1, "preferences": ["N1"], "score": 5, "tiebreak": 1}],
    }
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + json.dumps(data, ensure_ascii=False).encode())
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_out_slash_is_refused_and_nothing_is_written_to_root(tmp_path: Path) -> None:
    before = set(os.listdir("/"))
    bodx("match", "--instance", _instance(tmp_path / "c.json"), "--out", "/", cwd=tmp_path).assert_refused(
        "--out"
    )
    normalise = bodx(
        "sheets",
        "normalise",
        "--ledger",
        LEDGERS / "minato.xlsx",
        "--mapping",
        LEDGERS / "minato.mapping.toml",
        "--out",
        "/",
        cwd=tmp_path,
    )
    normalise.assert_refused("--out", "システム")
    assert set(os.listdir("/")) == before


def test_out_that_is_a_file_a_folder_or_under_a_file_is_a_message(tmp_path: Path) -> None:
    instance = _instance(tmp_path / "c.json")
    a_file = tmp_path / "note.txt"
    a_file.write_text("x")
    bodx("match", "--instance", instance, "--out", tmp_path, cwd=tmp_path).assert_refused("フォルダです")
    bodx("match", "--instance", instance, "--out", a_file / "r.json", cwd=tmp_path).assert_refused("ファイル")
    bodx(
        "sheets",
        "normalise",
        "--ledger",
        LEDGERS / "minato.xlsx",
        "--mapping",
        LEDGERS / "minato.mapping.toml",
        "--out",
        a_file,
        cwd=tmp_path,
    ).assert_refused("ファイルです")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_is_a_message(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    bodx(
        "match", "--instance", _instance(tmp_path / "c.json"), "--out", locked / "r.json", cwd=tmp_path
    ).assert_refused("権限")


def test_deeply_nested_json_and_toml_are_messages(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    bodx("match", "--instance", deep, "--out", tmp_path / "r.json", cwd=tmp_path).assert_refused("deep.json")
    apps = tmp_path / "apps.json"
    apps.write_text('[{"a":' * 100_000 + "1" + "}" * 100_000 + "]")
    rules = tmp_path / "rules.toml"
    rules.write_text("x = " + "[" * 5_000 + "]" * 5_000 + "\n")
    score = bodx(
        "score",
        "--applications",
        apps,
        "--nurseries",
        apps,
        "--rules",
        rules,
        "--year",
        "2027",
        "--out",
        tmp_path / "c.json",
        cwd=tmp_path,
    )
    score.assert_refused("apps.json")
    places = tmp_path / "places.json"
    places.write_text("[]")
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    toml = bodx(
        "score",
        "--applications",
        empty,
        "--nurseries",
        places,
        "--rules",
        rules,
        "--year",
        "2027",
        "--out",
        tmp_path / "c.json",
        cwd=tmp_path,
    )
    toml.assert_refused()


def test_a_bom_is_accepted_and_outputs_are_private(tmp_path: Path) -> None:
    out = tmp_path / "new" / "result.json"
    run = bodx("match", "--instance", _instance(tmp_path / "c.json", bom=True), "--out", out, cwd=tmp_path)
    assert run.code == 0, run.output
    assert _mode(out) == 0o600 and _mode(out.parent) == 0o700
    folder = tmp_path / "norm"
    normalise = bodx(
        "sheets",
        "normalise",
        "--ledger",
        LEDGERS / "minato.xlsx",
        "--mapping",
        LEDGERS / "minato.mapping.toml",
        "--out",
        folder,
        cwd=tmp_path,
    )
    assert normalise.code in (0, 1), normalise.output  # 1: the sample ledger's planted errors
    assert _mode(folder) == 0o700
    written = sorted(p.name for p in folder.iterdir())
    assert written == ["applications.json", "held.json", "issues.json", "nurseries.json"]
    assert all(_mode(p) == 0o600 for p in folder.iterdir())
    bodx("ocr", "read", tmp_path / "no-such-folder", "--out", tmp_path / "o", cwd=tmp_path).assert_refused(
        "no-such-folder"
    )


def test_a_control_character_in_a_name_is_refused_without_printing_the_name(tmp_path: Path) -> None:
    apps = tmp_path / "applications.json"
    apps.write_text('[\n{"id": "A1",\n "children": [{"name": "' + NAME + '\\u0007"}]}\n]', encoding="utf-8")
    places = tmp_path / "nurseries.json"
    places.write_text("[]")
    outcome = bodx(
        "score",
        "--applications",
        apps,
        "--nurseries",
        places,
        "--rules",
        ROOT / "cities/hinata/rules.toml",
        "--year",
        "2027",
        "--out",
        tmp_path / "c.json",
        cwd=tmp_path,
    )
    outcome.assert_refused("applications.json:3", "制御文字")
    assert NAME not in outcome.output


def test_an_internal_error_names_the_place_not_the_data() -> None:
    try:
        {"C1": 1}[NAME]
    except KeyError as exc:
        text, code = message_for(exc)
    assert code == EXIT_INTERNAL and NAME not in text
    assert "KeyError at tests/hostile/test_boundary.py:" in text and "--debug" in text


def test_messages_are_escaped_and_bounded() -> None:
    assert printable("a\x1b[31mb\nc") == "a\\u001b[31mb\nc"
    assert len(printable("x" * 3_000_000)) < 5_000


def test_ocr_read_keeps_a_review_staff_have_started(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from PIL import Image

    from ocr.review import CONFIRMED, DONE, write_review

    folder = tmp_path / "ocr"
    review = folder / "review.xlsx"
    write_review([], review)
    workbook = load_workbook(review)
    workbook.active.cell(row=2, column=1, value="scan.png|0|name")
    workbook.active.cell(row=2, column=CONFIRMED, value=DONE)
    workbook.save(review)
    before = review.read_bytes()
    Image.new("L", (40, 30), 255).save(tmp_path / "scan.png")
    outcome = bodx("ocr", "read", tmp_path / "scan.png", "--out", folder, cwd=tmp_path)
    outcome.assert_refused("--overwrite")
    assert review.read_bytes() == before
