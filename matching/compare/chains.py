"""Tie every differing child to one root cause through the seats the differences share.

Two differing children are linked when they touch the same class of the same nursery (one side placed
one of them there, the other side the other), when they are siblings, when one is a transfer whose
freed seat the other took, or when one was outranked at a nursery it wanted by the other, whose
placement there is itself a mistake. A breadth-first walk from the root causes (manual mistakes first) gives each
remaining child the nearest cause: its difference is a knock-on, "正当 (連鎖)". What no cause reaches is
explained by the method if it holds a transfer or a sibling group, and only otherwise called an
adjustment outside the rules, as one cause for the whole connected piece.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from matching.compare.model import KIND_ORDER, Kind, Text
from matching.compare.roots import Finding
from matching.compare.season import Season, Slot


@dataclass
class Attribution:
    findings: list[Finding] = field(default_factory=list)
    owner: dict[str, int] = field(default_factory=dict)  # child -> index into findings
    parent: dict[str, str | None] = field(default_factory=dict)  # the linked child it was reached from
    distance: dict[str, int] = field(default_factory=dict)


def touched_slots(season: Season, cid: str) -> set[Slot]:
    if cid not in season.apps:
        return set()
    slots = {season.slot(cid, season.manual.get(cid)), season.slot(cid, season.program.get(cid))}
    current = season.apps[cid].current_nursery
    if current is not None:
        slots.add((current, season.age(cid)))  # the seat it keeps or frees
    return {slot for slot in slots if slot is not None}


def link_graph(
    season: Season, differing: Sequence[str], extra: Sequence[tuple[str, str]] = ()
) -> dict[str, set[str]]:
    by_slot: dict[Slot, list[str]] = defaultdict(list)
    for cid in differing:
        for slot in touched_slots(season, cid):
            by_slot[slot].append(cid)
    links: dict[str, set[str]] = {cid: set() for cid in differing}
    for kids in by_slot.values():
        for cid in kids:
            links[cid].update(kids)
    members = set(differing)
    for group in season.groups.values():
        inside = [m for m in group if m in members]
        for cid in inside:
            links[cid].update(inside)
    for a, b in extra:
        if a in links and b in links:
            links[a].add(b)
            links[b].add(a)
    for cid, linked in links.items():
        linked.discard(cid)
    return links


def attribute(
    season: Season,
    differing: Sequence[str],
    findings: list[Finding],
    extra_links: Sequence[tuple[str, str]] = (),
) -> Attribution:
    links = link_graph(season, differing, extra_links)
    result = Attribution()
    # Every subject belongs to its own cause first; only then do the causes reach out, all at once
    # and manual mistakes first, so a knock-on goes to the nearest cause.
    _spread(result, sorted(findings, key=lambda f: KIND_ORDER[f.kind]), links)
    while True:
        unreached = [cid for cid in differing if cid not in result.owner]
        if not unreached:
            return result
        seed = min(
            unreached, key=lambda c: (not season.is_transfer(c), season.same_nursery_group(c) is None, c)
        )
        _spread(result, [_fallback(season, seed, links, result)], links)


def _spread(result: Attribution, findings: list[Finding], links: dict[str, set[str]]) -> None:
    queue: deque[str] = deque()
    for finding in findings:
        index = len(result.findings)
        result.findings.append(finding)
        for cid in finding.subjects:
            if cid not in result.owner:
                result.owner[cid], result.parent[cid], result.distance[cid] = index, None, 0
                queue.append(cid)
    while queue:
        cid = queue.popleft()
        for other in sorted(links.get(cid, ())):
            if other not in result.owner:
                result.owner[other], result.parent[other] = result.owner[cid], cid
                result.distance[other] = result.distance[cid] + 1
                queue.append(other)


def _component(seed: str, links: dict[str, set[str]], taken: dict[str, int]) -> list[str]:
    seen, queue = {seed}, deque([seed])
    while queue:
        for other in links.get(queue.popleft(), ()):
            if other not in seen and other not in taken:
                seen.add(other)
                queue.append(other)
    return sorted(seen)


def _fallback(season: Season, seed: str, links: dict[str, set[str]], result: Attribution) -> Finding:
    def both(cid: str) -> str:
        m, p = season.manual.get(cid), season.program.get(cid)
        return f"手作業では{season.outcome_text(cid, m)}、プログラムでは{season.outcome_text(cid, p)}"

    if seed in season.apps and season.is_transfer(seed):
        current = season.label(season.apps[seed].current_nursery)
        text = (
            f"転園希望の本児の扱いが違います ({both(seed)})。転園で空く元の席 {current} を誰が使うかが連鎖し、"
            "他の児童の結果も変わります"
        )
        return Finding(Kind.TRANSFER_CHAIN, {seed: Text(text)})
    group = season.same_nursery_group(seed) if seed in season.apps else None
    if group is not None:
        reasons = {}
        for m in group:
            if m in links and m not in result.owner:
                others = tuple(o for o in group if o != m)
                names = "、".join(f"{{{i}}} さん" for i in range(len(others)))
                reasons[m] = Text(
                    f"同じ園を希望するきょうだい (本児と {names}) の配置が違います。手作業はきょうだいを全員入れる園に"
                    f"先に配置し、プログラムは1人ずつ指数で席を比べます。{both(m)}",
                    others,
                )
        return Finding(Kind.SIBLING_GROUP_PLACED_DIFFERENTLY, reasons)
    piece = _component(seed, links, result.owner)
    reasons = {}
    for cid in piece:
        others = tuple(o for o in piece if o != cid)
        together = (
            f" (一緒に動いた児童: {'、'.join(f'{{{i}}} さん' for i in range(len(others)))})" if others else ""
        )
        reasons[cid] = Text(
            f"{both(cid) if cid in season.apps else '申込データで確認できません'}。指数・定員・希望・きょうだい・転園の"
            f"どれでも説明できないため、規則にない事情による調整の可能性があります{together}。担当者に確認してください",
            others,
        )
    return Finding(Kind.OFF_RULE, reasons)


def chain_text(season: Season, cid: str, parent: str, root: Finding) -> Text:
    """Why a knock-on moved: which seat it shares with the child it was reached from, and the cause."""
    m, p = season.manual.get(cid), season.program.get(cid)
    shared = sorted(touched_slots(season, cid) & touched_slots(season, parent))
    if (
        not shared
        and season.apps[cid].sibling_group is not None
        and (season.apps[cid].sibling_group == season.apps[parent].sibling_group)
    ):
        moved = "きょうだいの {0} さんとともに結果が変わりました"
    elif not shared:
        moved = "本児の希望園の席を、手作業では本児より指数の低い {0} さんが得ました"
    else:
        nursery, age = shared[0]
        seat = f"{season.label(nursery)} {age}歳児"
        if season.slot(cid, m) == shared[0]:
            moved = f"手作業では {{0}} さんが使わなかった {seat} の席に本児が入りました"
        elif season.slot(cid, p) == shared[0]:
            moved = f"手作業では {seat} の席に {{0}} さんが入りました"
        else:
            moved = f"{seat} の席が {{0}} さんの結果とともに動きました"
    origin = "その" if parent == root.subjects[0] else "元の"
    return Text(
        f"{moved}。{origin}原因は {{1}} さんの「{root.kind.label}」で、本児の相違はその連鎖です (正当)。"
        f"手作業では{season.outcome_text(cid, m)}、プログラムでは{season.outcome_text(cid, p)}",
        (parent, root.subjects[0]),
    )
