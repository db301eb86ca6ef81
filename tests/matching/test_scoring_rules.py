"""Rules files: the samples load and are commented; malformed files name the line and the fix."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from matching.errors import RulesError
from matching.scoring import load_rules, parse_rules
from matching.scoring.rules import Combine, TieBreakKey
from samples import CITIES_DIR, RULES_DIR
from tests.matching.test_scoring_support import TEST_RULES

SAMPLE_FILES = sorted(RULES_DIR.glob("*.toml")) + sorted(CITIES_DIR.glob("*/rules.toml"))


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


def _error(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, Path("city.toml"))
    return str(caught.value)


def test_there_are_at_least_three_sample_files() -> None:
    assert {p.name for p in SAMPLE_FILES} >= {"rules.toml", "weekly_hours_100.toml", "monthly_hours_8.toml"}


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_files_load_and_every_setting_line_is_commented_in_japanese(path: Path) -> None:
    rules = load_rules(path)
    assert rules.tiebreak[-1] in (TieBreakKey.RECEIPT_ORDER, TieBreakKey.LOTTERY)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue  # blank lines and comment lines (section rulers) need no comment of their own
        comment = line[line.index("#") :] if "#" in line else ""
        assert re.search(r"[ぁ-んァ-ン一-龥]", comment), f"{path.name}:{number} has no Japanese comment"


def test_sample_files_encode_the_published_shapes() -> None:
    weekly = load_rules(RULES_DIR / "weekly_hours_100.toml")
    employed = weekly.work[0]
    assert [band.points for band in employed.bands[:3]] == [Decimal(90), Decimal(80), Decimal(70)]
    assert weekly.tiebreak[-1] is TieBreakKey.LOTTERY and weekly.lottery_seed == 20270401
    monthly = load_rules(RULES_DIR / "monthly_hours_8.toml")
    assert [band.points for band in monthly.work[0].bands] == [Decimal(p) for p in (8, 7, 6, 5)]
    assert monthly.combine is Combine.LOWER and monthly.scale == 10
    assert {a.id: a.points for a in monthly.adjustments}["きょうだい同一園"] == Decimal("1.5")


def test_unknown_reason_names_its_line_and_the_known_reasons() -> None:
    text = TEST_RULES.replace('[reasons."災害"]', '[reasons."災難"]')
    message = _error(text)
    assert f"city.toml:{_line_of(text, '災難')}:" in message
    assert "事由「災難」はありません" in message and "災害" in message


def test_overlapping_hour_bands_name_both_lines() -> None:
    text = TEST_RULES.replace("hours_min = 64\nhours_below = 120", "hours_min = 64\nhours_below = 130", 1)
    message = _error(text)
    third, fourth = _line_of(text, "[[work.bands]]", 3), _line_of(text, "[[work.bands]]", 4)
    assert f"city.toml:{fourth}:" in message and f"{third} 行目" in message
    assert "重なっています" in message and "hours_below" in message


def test_missing_tiebreak_table_and_missing_final_key() -> None:
    without = TEST_RULES[: TEST_RULES.index("[tiebreak]")]
    message = _error(without)
    assert f"city.toml:{len(without.splitlines())}:" in message and "[tiebreak]" in message
    no_final = TEST_RULES.replace(', "申込順"]', "]")
    message = _error(no_final)
    assert f"city.toml:{_line_of(no_final, 'order =')}:" in message and '"申込順" を加えて' in message
    lottery = TEST_RULES.replace('"市民税所得割額", "申込順"]', '"抽選"]')
    assert "lottery_seed" in _error(lottery)


def test_bad_toml_names_line_and_column() -> None:
    text = TEST_RULES.replace("scale = 10", "scale = = 10")
    message = _error(text)
    assert f"city.toml:{_line_of(text, 'scale = = 10')}:" in message
    assert "TOMLの書き方" in message and "scale = = 10" in message
    unquoted = TEST_RULES.replace('[reasons."出産"]', "[reasons.出産]")
    assert "引用符で囲みます" in _error(unquoted)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('flag = "多胎児"', 'flag = "双子"', "条件「双子」はありません"),
        ("points = 5.5", "points = 5.55", "scale を大きく"),
        ('styles = ["内職"]', "styles = []", "就労形態「内職」の表がありません"),
        ('styles = ["自営協力者"]', 'styles = ["自営協力者", "外勤"]', "2つの表にあります"),
        ('combine = "sum"', 'combine = "average"', '"sum" (父母の合計) か "lower"'),
        ("scale = 10", "scale = 0", "scale = 10 のような1以上の整数"),
        ('name = "一般"', 'name = "一般"\nreasons_any = ["出産"]', "条件のない順位区分"),
        ("transfer = true", 'transfer = true\nflag = "DV"', "条件を1つだけ"),
        ("hours_min = 30", "hours_min = 30\nhours_max = 40", "「hours_max」は使えない項目"),
        ('id = "転園"', 'id = "多胎児"', "id「多胎児」が2回あります"),
    ],
)
def test_semantic_errors_name_the_line_and_the_fix(old: str, new: str, expected: str) -> None:
    text = TEST_RULES.replace(old, new, 1)
    message = _error(text)
    assert expected in message
    line = int(re.search(r"city\.toml:(\d+):", message).group(1))  # type: ignore[union-attr]
    assert 1 <= line <= len(text.splitlines())
    assert "Traceback" not in message


def test_wrong_shapes_are_rules_errors_not_tracebacks() -> None:
    for text in (
        "work = 3\n" + TEST_RULES.split("[[work]]")[0],
        "[meta]\nscale = 10\n[[adjustments]]\npoints = 'x'\n",
    ):
        with pytest.raises(RulesError):
            parse_rules(text)


def test_unreadable_file_is_a_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="読めません"):
        load_rules(tmp_path / "missing.toml")
