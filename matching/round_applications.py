"""The applications of the next round: changed ones replace the old record, new ones join, and each keeps
only the children who compete (the others hold a seat or stay out). Used by matching.round_plan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matching.records import Application
from matching.rounds import RoundIssue


def merge_applications(
    known: Sequence[Application],
    new: Sequence[Application],
    competing: set[str],
    kept: set[str],
    left_out: set[str],
    issues: list[RoundIssue],
) -> tuple[tuple[Application, ...], set[str], list[str], list[str]]:
    """Every record of the round (changed ones replaced, new ones added) and the children who compete."""
    records = {a.id: a for a in known}
    owner = {c.id: a.id for a in known for c in a.children}
    competing = set(competing)
    new_ids: list[str] = []
    changed: list[str] = []
    for app in new:
        clash = [c.id for c in app.children if owner.get(c.id, app.id) != app.id]
        if clash:
            issues.append(
                RoundIssue(
                    severity="error",
                    application_id=app.id,
                    message=f"児童番号 {clash[0]} は別の受付番号の申込にあります。この申込は使いませんでした / "
                    "a child id of another application: application not used",
                )
            )
            continue
        old = records.get(app.id)
        if old is None:
            records[app.id] = app
            new_ids.append(app.id)
            competing.update(c.id for c in app.children)
            owner.update({c.id: app.id for c in app.children})
            continue
        missing = [c.id for c in old.children if c.id in kept and c.id not in {x.id for x in app.children}]
        if missing:
            issues.append(
                RoundIssue(
                    severity="error",
                    application_id=app.id,
                    child_id=missing[0],
                    message="変更後の申込に席を確保している児童がありません。変更は使いませんでした / "
                    "the changed application drops a child who holds a seat: change not used",
                )
            )
            continue
        if app == old:
            continue
        records[app.id] = app
        changed.append(app.id)
        before = {c.id for c in old.children}
        added = {c.id for c in app.children} - before
        competing.update(added)
        owner.update({cid: app.id for cid in added})
        for child in app.children:
            if child.id in kept or child.id in left_out:
                reason = "席を確保しているため" if child.id in kept else "辞退・取消のため (再選考の指定なし)"
                issues.append(
                    RoundIssue(
                        severity="warning",
                        application_id=app.id,
                        child_id=child.id,
                        message=f"申込の変更がありましたが、{reason}この児童は選考しません / changed "
                        "application: the child holds a seat or declined, so it does not compete",
                    )
                )
    return tuple(records.values()), competing, new_ids, changed


def competing_records(records: Iterable[Application], competing: set[str]) -> tuple[Application, ...]:
    """Each application with only its competing children (the others hold a seat or stay out)."""
    chosen = []
    for app in records:
        children = tuple(c for c in app.children if c.id in competing)
        if not children:
            continue
        chosen.append(
            app if len(children) == len(app.children) else app.model_copy(update={"children": children})
        )
    return tuple(chosen)


def split_siblings(records: Iterable[Application], competing: Sequence[Application]) -> list[RoundIssue]:
    """A sibling application only part of which competes: the rest holds a seat or stays out, so the
    children left are placed on their own (the family's together condition cannot hold any more)."""
    full = {a.id: a for a in records}
    issues = []
    for app in competing:
        whole = full[app.id]
        if whole.is_sibling_group and len(app.children) < len(whole.children) and not whole.allow_split:
            issues.append(
                RoundIssue(
                    severity="warning",
                    application_id=app.id,
                    message=f"きょうだい {len(whole.children)} 人のうち {len(app.children)} 人だけが選考に残りました。"
                    "同じ園の条件はこの回では付けられません。家庭の意向を確認してください / only part of a sibling "
                    "application competes: it is placed without the together condition",
                )
            )
    return issues
