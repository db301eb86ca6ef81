"""Parallel-run check: compare the manual selection with the program's, child by child, with causes.

Pure: outcomes in (child id -> nursery id, None = 保留), the instance for priorities and preferences,
optionally the 指数 the clerk wrote; a :class:`Comparison` out, where every differing child belongs to
one root cause (a manual mistake, a difference of method, or, when nothing else explains it, an
adjustment outside the rules) and knock-ons are marked "正当 (連鎖)". Reasons name other children
through a labeller, so screens show masked ids and the protected workbook full names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from matching.compare.chains import Attribution, attribute, chain_text
from matching.compare.model import (
    CATEGORY_ORDER,
    KIND_ORDER,
    Agreement,
    Category,
    Comparison,
    Difference,
    Kind,
    Outcomes,
    RootCause,
    ScoreOnly,
    Text,
)
from matching.compare.roots import Finding, RootFinder
from matching.compare.season import Season, staying_as_none
from matching.instance import Instance
from matching.masks import SeasonMasks, mask_id

__all__ = [
    "Agreement",
    "Category",
    "Comparison",
    "Difference",
    "Kind",
    "RootCause",
    "ScoreOnly",
    "SeasonMasks",
    "Text",
    "compare_outcomes",
    "mask_id",
]


def compare_outcomes(
    manual: Outcomes,
    program: Outcomes,
    instance: Instance | None = None,
    *,
    manual_scores: Mapping[str, int] | None = None,
) -> Comparison:
    """Every child whose outcomes differ, each tied to one root cause, grouped manual mistakes first."""
    if instance is not None:
        manual, program = staying_as_none(manual, instance), staying_as_none(program, instance)
    children = sorted(set(manual) | set(program))
    differing = [c for c in children if c not in manual or c not in program or manual[c] != program[c]]
    empty = Instance(admission_year=2000, nurseries=(), applications=())
    season = Season(instance or empty, manual, program, manual_scores)
    findings = _one_sided(season, differing, instance is not None)
    alone = {c for f in findings for c in f.subjects}
    explained = [c for c in differing if c not in alone]
    finder = RootFinder(season, explained)
    attribution = attribute(season, explained, [*findings, *finder.run()], finder.links)
    roots, differences = _assemble(season, attribution)
    return Comparison(
        children=len(children),
        agreed=len(children) - len(differing),
        differences=differences,
        roots=roots,
        by_class=_by_class(season, children, set(differing)),
        by_nursery=_by_nursery(manual, program),
        score_only=_score_only(season, children, set(differing)),
        nursery_names=dict(season.names),
    )


def _one_sided(season: Season, differing: list[str], with_instance: bool) -> list[Finding]:
    """Children on one side only, unknown to the applications, or with nothing to reason from."""
    findings = []
    for cid in differing:
        m, p = season.manual.get(cid), season.program.get(cid)
        if cid not in season.manual.outcomes:
            kind, text = Kind.MISSING_IN_MANUAL, "手作業の結果一覧にこの児童がありません (入力漏れの可能性)"
        elif cid not in season.program.outcomes:
            kind, text = (
                Kind.MISSING_IN_PROGRAM,
                "プログラムの結果一覧にこの児童がありません (申込データの漏れの可能性)",
            )
        elif not with_instance:
            kind = Kind.NO_PRIORITIES
            text = f"手作業 {m or '保留'}、プログラム {p or '保留'} (理由の説明には --instance を指定)"
        elif cid not in season.apps:
            kind, text = (
                Kind.NOT_IN_APPLICATIONS,
                "申込データ (インスタンス) にない児童です。児童番号を確認してください",
            )
        else:
            continue
        findings.append(Finding(kind, {cid: Text(text)}))
    return findings


def _assemble(
    season: Season, attribution: Attribution
) -> tuple[tuple[RootCause, ...], tuple[Difference, ...]]:
    members: dict[int, list[str]] = {i: [] for i in range(len(attribution.findings))}
    for cid, index in attribution.owner.items():
        members[index].append(cid)
    order = sorted(
        (i for i, kids in members.items() if kids),
        key=lambda i: (
            CATEGORY_ORDER[attribution.findings[i].kind.category],
            KIND_ORDER[attribution.findings[i].kind],
            attribution.findings[i].subjects,
        ),
    )
    roots, differences = [], []
    for number, index in enumerate(order, start=1):
        finding = attribution.findings[index]
        root_id = f"R{number:03d}"
        kids = sorted(members[index], key=lambda c: (attribution.distance[c], c))
        subjects = tuple(c for c in kids if c in finding.reasons)
        roots.append(
            RootCause(root_id, finding.kind, subjects, tuple(c for c in kids if c not in finding.reasons))
        )
        for cid in kids:
            if cid in finding.reasons:
                kind, reason = finding.kind, finding.reasons[cid]
            else:
                parent = attribution.parent[cid]
                assert parent is not None  # only subjects start a walk
                kind, reason = Kind.CHAIN, chain_text(season, cid, parent, finding)
            app = season.apps.get(cid)
            differences.append(
                Difference(
                    child_id=cid,
                    manual=season.manual.get(cid),
                    program=season.program.get(cid),
                    kind=kind,
                    root=root_id,
                    reason=reason,
                    age_class=app.age_class if app else None,
                    manual_score=season.manual_scores.get(cid),
                    program_score=app.score if app else None,
                )
            )
    return tuple(roots), tuple(differences)


def _score_only(season: Season, children: list[str], differing: set[str]) -> tuple[ScoreOnly, ...]:
    return tuple(
        ScoreOnly(cid, season.manual_scores[cid], season.apps[cid].score, season.manual.get(cid))
        for cid in children
        if cid not in differing and season.score_differs(cid)
    )


def _by_class(season: Season, children: list[str], differing: set[str]) -> dict[int, Agreement]:
    total: Counter[int] = Counter()
    agreed: Counter[int] = Counter()
    for cid in children:
        if cid in season.apps:
            age = season.age(cid)
            total[age] += 1
            agreed[age] += cid not in differing
    return {age: Agreement(total[age], agreed[age]) for age in sorted(total)}


def _by_nursery(manual: Outcomes, program: Outcomes) -> dict[str, Agreement]:
    """Per nursery: children either side placed there, and how many both placed there."""
    total: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    for cid in set(manual) | set(program):
        m, p = manual.get(cid), program.get(cid)
        for nursery in {m, p} - {None}:
            assert nursery is not None
            total[nursery] += 1
            agreed[nursery] += m == p
    return {n: Agreement(total[n], agreed[n]) for n in sorted(total)}
