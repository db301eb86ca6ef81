"""Real cities' published tables (cities/<slug>/rules.toml): households whose totals were worked out by
hand from the published table (the arithmetic is in the comments), compared with the program's total at
every nursery the child asks for and with its tie order. The sources are named in each rules.toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from matching.errors import RulesError
from matching.profile import load_profile
from matching.records import Application, Reason, ReasonKind, WorkStyle
from matching.scoring import load_rules, score_applications

CITIES = Path(__file__).resolve().parents[2] / "cities"
G = tuple[str, Reason, dict[str, Any]]  # (続柄, reason, guardian facts)


def week(style: WorkStyle, hours: float, days: int) -> Reason:
    return Reason(kind=ReasonKind.WORK, work_style=style, hours_per_week=hours, days_per_week=days)


def month(style: WorkStyle, hours: float, days: int = 5) -> Reason:
    return Reason(kind=ReasonKind.WORK, work_style=style, hours_per_month=hours, days_per_week=days)


def other(kind: ReasonKind, level: str | None = None) -> Reason:
    return Reason(kind=kind, level=level)


OUT, SELF, HELPER, HOME = (
    WorkStyle.EMPLOYED,
    WorkStyle.SELF_EMPLOYED,
    WorkStyle.FAMILY_HELPER,
    WorkStyle.HOME_PIECEWORK,
)


def household(
    app_id: str, year: int, guardians: tuple[G, ...], levy: int = 100_000, received_day: int = 1
) -> Application:
    return Application.model_validate(
        {
            "id": app_id,
            "received_on": dt.date(year - 1, 11, received_day),
            "household": {
                "guardians": [
                    {"relation": r, "reasons": [reason], "facts": facts} for r, reason, facts in guardians
                ],
                "income_levy_yen": levy,
            },
            "children": [{"id": f"{app_id}-1", "birth_date": dt.date(year - 2, 6, 1)}],
            "preferences": ["N1", "N2"],
            "desired_start": dt.date(year, 4, 1),
        }
    )


def check_city(slug: str, cases: list[tuple[Application, int]], expected_order: list[str]) -> None:
    profile, _ = load_profile(CITIES / slug / "city.toml")
    rules = load_rules(CITIES / slug / "rules.toml", profile)
    priorities = score_applications([app for app, _ in cases], rules, profile.admission_year)
    by_app = {p.application_id: p for p in priorities}
    for app, total in cases:
        p = by_app[app.id]
        for nursery in app.preferences:
            assert (p.score + p.bonus.get(nursery, 0)) == total * rules.scale, (app.id, nursery)
    order = sorted(priorities, key=lambda p: (-p.score, p.tiebreak))
    assert [p.application_id for p in order] == expected_order


def test_kunitachi_weekly_grid_and_category_then_income() -> None:
    year = 2017
    out_ = {"workplace": "居宅外"}
    inside = {"workplace": "居宅内"}
    cases = [
        # K1 母 外勤 週5日40h → 週5日以上・35h以上 90; 父 外勤 週5日35h → 90. 90 + 90 = 180
        (household("K1", year, (("母", week(OUT, 40, 5), {}), ("父", week(OUT, 35, 5), {}))), 180),
        # K2 母 外勤 週4日32h → 週4日以上・27h以上 70 (週5日でないので 80 の行に当たらない);
        #    父 外勤 週5日38h → 90. 70 + 90 = 160. 所得割 300,000
        (
            household("K2", year, (("母", week(OUT, 32, 4), {}), ("父", week(OUT, 38, 5), {})), levy=300_000),
            160,
        ),
        # K3 母 自営(居宅外) 週5日30h → 80; 父 外勤 週5日30h → 80. 160. 所得割 150,000
        (
            household(
                "K3", year, (("母", week(SELF, 30, 5), out_), ("父", week(OUT, 30, 5), {})), levy=150_000
            ),
            160,
        ),
        # K4 母 協力者(居宅外) 週5日36h → 84; 父 自営(居宅外) 週5日40h → 90. 174
        (household("K4", year, (("母", week(HELPER, 36, 5), out_), ("父", week(SELF, 40, 5), out_))), 174),
        # K5 母 協力者(居宅外) 週4日24h → 週4日以上・22h以上 54; 父 自営(居宅外) 週3日20h → 週3日以上・16h以上 50.
        #    104
        (household("K5", year, (("母", week(HELPER, 24, 4), out_), ("父", week(SELF, 20, 3), out_))), 104),
        # K6 母 自営(居宅外) 週5日30h → 80; 父 協力者(居宅外) 週5日36h → 84. 164. 優先順位は両方 5。所得割 100,000
        (
            household(
                "K6", year, (("母", week(SELF, 30, 5), out_), ("父", week(HELPER, 36, 5), out_)), levy=100_000
            ),
            164,
        ),
        # K7 母 外勤 週5日40h → 90; 父 協力者(居宅外) 週5日32h → 74. 164. 外勤 (優先順位4) がいる。所得割 500,000
        (
            household(
                "K7", year, (("母", week(OUT, 40, 5), {}), ("父", week(HELPER, 32, 5), out_)), levy=500_000
            ),
            164,
        ),
        # K8 母 外勤 週3日13h → 週3日以上・12h以上 40; 父 外勤 週5日33h → 80. 120
        (household("K8", year, (("母", week(OUT, 13, 3), {}), ("父", week(OUT, 33, 5), {}))), 120),
        # K9 母 外勤 週2日20h → どの行にも当たらない 0; 父 外勤 週5日40h → 90. 90
        (household("K9", year, (("母", week(OUT, 20, 2), {}), ("父", week(OUT, 40, 5), {}))), 90),
    ]
    # 同点: K7 と K6 (164) は優先順位 4 (外勤) の K7 が先 (所得は K6 が低くても); K3 と K2 (160) は
    # どちらも外勤がいて同順位 → 所得の低い K3 が先。
    check_city("kunitachi", cases, ["K1", "K4", "K7", "K6", "K3", "K2", "K8", "K5", "K9"])
    # 居宅内の自営は写していない部分: 黙って0点にせず、そう言って止まる。
    untranscribed = household("KX", year, (("母", week(SELF, 40, 5), inside), ("父", week(OUT, 40, 5), {})))
    profile, _ = load_profile(CITIES / "kunitachi" / "city.toml")
    with pytest.raises(RulesError, match="写した"):
        score_applications([untranscribed], load_rules(CITIES / "kunitachi" / "rules.toml", profile), year)


def test_hachioji_weekly_hours_only_and_levels() -> None:
    year = 2025
    cases = [
        # H1 母 外勤 40h → 週40時間以上 10; 父 外勤 45h → 10. 20
        (household("H1", year, (("母", week(OUT, 40, 5), {}), ("父", week(OUT, 45, 5), {}))), 20),
        # H2 母 外勤 37h → 週35時間以上 9; 父 自営協力者 33h → 就労2 週30時間以上 7. 16 (受付 11/9)
        (
            household(
                "H2", year, (("母", week(OUT, 37, 5), {}), ("父", week(HELPER, 33, 5), {})), received_day=9
            ),
            16,
        ),
        # H3 母 妊娠・出産 10; 父 外勤 30h → 週30時間以上 8. 18
        (household("H3", year, (("母", other(ReasonKind.PREGNANCY), {}), ("父", week(OUT, 30, 5), {}))), 18),
        # H4 母 疾病 入院1か月未満 9; 父 外勤 24h → 週25時間未満 6. 15
        (
            household(
                "H4",
                year,
                (("母", other(ReasonKind.ILLNESS, "入院1か月未満"), {}), ("父", week(OUT, 24, 4), {})),
            ),
            15,
        ),
        # H5 母 障害 身体2種2〜4級・愛の手帳4度 8; 父 自営協力者 29h → 週30時間未満 6. 14
        (
            household(
                "H5",
                year,
                (
                    ("母", other(ReasonKind.DISABILITY, "身体2種2〜4級・愛の手帳4度"), {}),
                    ("父", week(HELPER, 29, 5), {}),
                ),
            ),
            14,
        ),
        # H6 母 疾病 通院週3日以上 8; 父 外勤 35h → 週35時間以上 9. 17
        (
            household(
                "H6",
                year,
                (("母", other(ReasonKind.ILLNESS, "通院週3日以上"), {}), ("父", week(OUT, 35, 5), {})),
            ),
            17,
        ),
        # H7 母 外勤 30h → 8; 父 外勤 30h → 8. 16 (受付 11/2: H2 より早い)
        (
            household(
                "H7", year, (("母", week(OUT, 30, 5), {}), ("父", week(OUT, 30, 5), {})), received_day=2
            ),
            16,
        ),
    ]
    check_city("hachioji", cases, ["H1", "H3", "H6", "H7", "H2", "H4", "H5"])


def test_tokorozawa_monthly_bands_with_per_guardian_additions() -> None:
    year = 2017

    def facts(days: int, outside: bool) -> dict[str, Any]:
        return {"work_days_month": days, "outside_home": outside}

    cases = [
        # T1 母 外勤 月170h → 27, 21日 +3, 居宅外 +2; 父 外勤 月180h → 27, 22日 +3, 居宅外 +2.
        #    27 + 27 + 3×2 + 2×2 = 64
        (
            household(
                "T1",
                year,
                (("母", month(OUT, 170), facts(21, True)), ("父", month(OUT, 180), facts(22, True))),
            ),
            64,
        ),
        # T2 母 外勤 月150h → 25, 20日 +3, 居宅外 +2; 父 自営 月170h → 27, 25日 +3, 居宅内.
        #    25 + 27 + 3×2 + 2×1 = 60
        (
            household(
                "T2",
                year,
                (("母", month(OUT, 150), facts(20, True)), ("父", month(SELF, 170), facts(25, False))),
            ),
            60,
        ),
        # T3 母 出産 16 (労働でないので加算なし); 父 外勤 月130h → 23, 18日, 居宅外 +2. 16 + 23 + 2 = 41
        (
            household(
                "T3",
                year,
                (("母", other(ReasonKind.PREGNANCY), {}), ("父", month(OUT, 130), facts(18, True))),
            ),
            41,
        ),
        # T4 母 外勤 月110h → 21, 16日, 居宅外 +2; 父 外勤 月80h → 19, 12日, 居宅内. 21 + 19 + 2 = 42
        (
            household(
                "T4",
                year,
                (("母", month(OUT, 110), facts(16, True)), ("父", month(OUT, 80), facts(12, False))),
            ),
            42,
        ),
        # T5 母 協力者 月100h → 19, 20日 +3, 居宅内; 父 外勤 月127h → 23, 19日, 居宅外 +2. 19 + 23 + 3 + 2 = 47
        # (受付 11/8)
        (
            household(
                "T5",
                year,
                (("母", month(HELPER, 100), facts(20, False)), ("父", month(OUT, 127), facts(19, True))),
                received_day=8,
            ),
            47,
        ),
        # T6 母 外勤 月105h → 21, 20日 +3, 居宅外 +2; 父 外勤 月105h → 21, 15日, 居宅内. 21 + 21 + 3 + 2 = 47
        # (受付 11/3: T5 より早い)
        (
            household(
                "T6",
                year,
                (("母", month(OUT, 105), facts(20, True)), ("父", month(OUT, 105), facts(15, False))),
                received_day=3,
            ),
            47,
        ),
    ]
    check_city("tokorozawa", cases, ["T1", "T2", "T6", "T5", "T4", "T3"])


def test_nakagawa_outside_and_inside_home_tables_on_a_100_scale() -> None:
    year = 2020
    inside = {"workplace": "居宅内"}
    outside = {"workplace": "居宅外"}
    cases = [
        # N1 母 外勤 月165h (場所の記載なし → 居宅外) 100; 父 外勤 月150h 居宅外 90. 190
        (household("N1", year, (("母", month(OUT, 165), {}), ("父", month(OUT, 150), outside))), 190),
        # N2 母 自営 月170h 居宅内 → 居宅内勤労 160h以上 90; 父 外勤 月125h → 80. 170
        (household("N2", year, (("母", month(SELF, 170), inside), ("父", month(OUT, 125), {}))), 170),
        # N3 母 妊娠・出産 80; 父 外勤 月105h → 70. 150
        (household("N3", year, (("母", other(ReasonKind.PREGNANCY), {}), ("父", month(OUT, 105), {}))), 150),
        # N4 母 求職 申込時点 50; 父 外勤 月100h → 100〜120h 70. 120 (受付 11/7)
        (
            household(
                "N4",
                year,
                (("母", other(ReasonKind.JOB_SEARCH, "申込時点"), {}), ("父", month(OUT, 100), {})),
                received_day=7,
            ),
            120,
        ),
        # N5 母 災害復旧 200; 父 外勤 月60h → 48〜100h 60. 260
        (household("N5", year, (("母", other(ReasonKind.DISASTER), {}), ("父", month(OUT, 60), {}))), 260),
        # N6 母 疾病 居宅内療養 70; 父 内職 月110h 居宅内 → 100〜120h 60. 130
        (
            household(
                "N6",
                year,
                (("母", other(ReasonKind.ILLNESS, "居宅内療養"), {}), ("父", month(HOME, 110), inside)),
            ),
            130,
        ),
        # N7 母 就学 70; 父 協力者 月50h 居宅内 → 48〜100h 50. 120 (受付 11/2: N4 より早い)
        (
            household(
                "N7",
                year,
                (("母", other(ReasonKind.STUDY), {}), ("父", month(HELPER, 50), inside)),
                received_day=2,
            ),
            120,
        ),
        # N8 母 介護 その他 30; 父 外勤 月48h → 48〜100h 60. 90
        (
            household("N8", year, (("母", other(ReasonKind.CARE, "その他"), {}), ("父", month(OUT, 48), {}))),
            90,
        ),
    ]
    check_city("nakagawa", cases, ["N5", "N1", "N2", "N3", "N6", "N7", "N4", "N8"])


@pytest.mark.parametrize("slug", ["kunitachi", "hachioji", "tokorozawa", "nakagawa", "hinata"])
def test_bundled_rules_files_check_clean(slug: str) -> None:
    from matching.scoring import check_rules

    assert check_rules(CITIES / slug / "rules.toml") == []


def test_kawabe_invented_table_lower_guardian_groups_and_per_nursery_bonus() -> None:
    """The invented town (cities/kawabe): not a published table, but worked out by hand the same way."""
    profile, _ = load_profile(CITIES / "kawabe" / "city.toml")
    rules = load_rules(CITIES / "kawabe" / "rules.toml", profile)
    year = profile.admission_year

    def app(app_id: str, guardians: list[dict[str, Any]], **household: Any) -> Application:
        return Application.model_validate(
            {
                "id": app_id,
                "received_on": dt.date(year - 1, 11, 1),
                "household": {"guardians": guardians, **household},
                "children": [{"id": f"{app_id}-1", "birth_date": dt.date(year - 2, 6, 1)}],
                "preferences": ["N1", "N2"],
                "desired_start": dt.date(year, 4, 1),
            }
        )

    w1 = app(
        "W1",
        [
            # 月172時間 ÷ 4.3 (city.toml) = 週40時間・週5日 → 8
            {
                "relation": "母",
                "reasons": [
                    {"kind": "就労", "work_style": "外勤", "hours_per_month": 172, "days_per_week": 5}
                ],
            },
            # 週38時間・週5日 → 週35〜40時間 7.5
            {
                "relation": "父",
                "reasons": [{"kind": "就労", "work_style": "外勤", "hours_per_week": 38, "days_per_week": 5}],
            },
        ],
    )
    w2 = app(
        "W2",
        # ひとり親: 母 週30時間・週4日 → 7; 不在の欄は 8 → 低い方 7。保育できる祖父母と同居 → ひとり親の群は +1
        [
            {
                "relation": "母",
                "reasons": [{"kind": "就労", "work_style": "外勤", "hours_per_week": 30, "days_per_week": 4}],
            }
        ],
        flags=["ひとり親"],
        facts={"grandparent_status": "同居・保育可能"},
    )
    w3 = app(
        "W3",
        [
            # 母 週40時間・週5日 8 + 就学 5.5 = 13.5 (事由の合計)
            {
                "relation": "母",
                "income_levy_yen": 100_000,
                "reasons": [
                    {"kind": "就労", "work_style": "外勤", "hours_per_week": 40, "days_per_week": 5},
                    {"kind": "就学"},
                ],
            },
            # 父 求職、所得割額が多いので生計中心者 → 2.5。低い方 2.5。順位区分は「求職中」
            {"relation": "父", "income_levy_yen": 300_000, "reasons": [{"kind": "求職"}]},
        ],
        siblings_enrolled_at=["N2"],
    )
    by_app = {p.application_id: p for p in score_applications([w1, w2, w3], rules, year)}
    general, seeking = 1 * rules.rank_multiplier, 0  # 一般 is the 2nd of 3 classes, 求職中 the last
    # W1: 7.5 × 4 = 30; 第1希望 (N1) +0.25 → +1 at N1
    assert (by_app["W1"].score - general, by_app["W1"].bonus) == (30, {"N1": 1})
    # W2: (7 + 1) × 4 = 32; 第1希望 +1 at N1
    assert (by_app["W2"].score - general, by_app["W2"].bonus) == (32, {"N1": 1})
    # W3: 2.5 + きょうだい在園 (他園) 0.5 = 3 → 12; at N2 the sibling is here: the group's 2 replaces 0.5 → +1.5
    # = +6; 第1希望 +1 at N1
    assert (by_app["W3"].score - seeking, by_app["W3"].bonus) == (12, {"N1": 1, "N2": 6})
