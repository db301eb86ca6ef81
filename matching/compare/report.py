"""A comparison for the screen, for machines (JSON) and for a run summary (Markdown).

Children are named through a labeller: masked ids (unique within the season) everywhere except the
protected workbook. Nursery ids are not personal data and appear as they are.
"""

from __future__ import annotations

from typing import Any

from matching.compare.model import Comparison, Kind, Labeller


def screen_lines(comparison: Comparison, label: Labeller) -> list[str]:
    """One line per differing child, grouped by root cause (manual mistakes first), then the rate."""
    lines = []
    for diff in comparison.differences:
        kind = diff.kind.label
        if diff.kind is Kind.CHAIN:
            kind = f"{kind} ← {comparison.root(diff.root).kind.label}"
        lines.append(
            f"{label(diff.child_id)}\t{diff.root}\t手作業 {diff.manual or '保留'}\tプログラム {diff.program or '保留'}\t"
            f"[{kind}] {diff.reason_text(label)}"
        )
    lines.append(agreement_line(comparison))
    return lines


def agreement_line(comparison: Comparison) -> str:
    return (
        f"一致率 / agreement: {comparison.agreement_rate:.2%} ({comparison.agreed}/{comparison.children}), "
        f"相違 / differences: {len(comparison.differences)}"
    )


def comparison_json(comparison: Comparison, label: Labeller) -> dict[str, Any]:
    """The JSON object `bodx compare --json` prints (keys are an interface: keep them)."""
    return {
        "children": comparison.children,
        "agreed": comparison.agreed,
        "agreement_rate": round(comparison.agreement_rate, 6),
        "by_class": {
            str(age): {"children": a.children, "agreed": a.agreed, "rate": round(a.rate, 6)}
            for age, a in comparison.by_class.items()
        },
        "by_nursery": {
            nursery: {"children": a.children, "agreed": a.agreed, "rate": round(a.rate, 6)}
            for nursery, a in comparison.by_nursery.items()
        },
        "counts_by_kind": {
            kind.value: {"causes": causes, "children": children}
            for kind, (causes, children) in comparison.counts_by_kind().items()
        },
        "root_causes": [
            {
                "id": root.id,
                "kind": root.kind.value,
                "label": root.kind.label,
                "category": root.kind.category.name.lower(),
                "subjects": [label(c) for c in root.subjects],
                "knock_on": [label(c) for c in root.knock_on],
            }
            for root in comparison.roots
        ],
        "differences": [
            {
                "child": label(d.child_id),
                "root": d.root,
                "kind": d.kind.value,
                "age_class": d.age_class,
                "manual": d.manual,
                "program": d.program,
                "manual_score": d.manual_score,
                "program_score": d.program_score,
                "reason": d.reason_text(label),
            }
            for d in comparison.differences
        ],
        "score_only": [
            {"child": label(s.child_id), "manual_score": s.manual_score, "program_score": s.program_score}
            for s in comparison.score_only
        ],
    }


def summary_markdown(comparison: Comparison) -> str:
    """Counts only (no child is named): for a flow artifact or a log."""
    lines = [
        "## 手作業との照合 / parallel run",
        "",
        f"- 一致率 / agreement: **{comparison.agreement_rate:.2%}** ({comparison.agreed}/{comparison.children})",
        f"- 相違 / differences: {len(comparison.differences)}",
        "",
        "| 区分 | 原因 | 件数 | 児童数 |",
        "| --- | --- | ---: | ---: |",
    ]
    for kind, (causes, children) in comparison.counts_by_kind().items():
        lines.append(f"| {kind.category.value} | {kind.label} | {causes} | {children} |")
    lines += ["", "| 年齢クラス | 児童 | 一致 | 一致率 |", "| --- | ---: | ---: | ---: |"]
    for age, agreement in comparison.by_class.items():
        lines.append(f"| {age}歳児 | {agreement.children} | {agreement.agreed} | {agreement.rate:.2%} |")
    return "\n".join(lines) + "\n"
