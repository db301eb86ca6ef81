"""Notices: right after approval, every household's 内定・保留通知書 and the mail-merge data."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger

from cityprofile import open_city
from flows.artifacts import publish_markdown
from flows.audit_trail import record_export
from flows.handoff import load_models
from flows.params import NoticesOutcome, NoticesParams
from flows.paths import JST
from matching.instance import load_instance
from matching.records import Application, Nursery
from matching.result import load_result
from matching.rounds import RoundLetters
from notices import compose_letters, write_notices, write_previews
from sheets.nursery_lists import write_nursery_lists


@flow(name="notices", description="承認後に内定・保留通知書と差込データを作ります", persist_result=True)
def notices_flow(params: NoticesParams) -> NoticesOutcome:
    city = open_city(params.city)
    applications = load_models(Application, params.applications)
    nurseries = load_models(Nursery, params.nurseries)
    instance, result = load_instance(params.instance), load_result(params.result)
    # A later round: accepted placements get 決定, unanswered ones no line (matching.rounds.RoundLetters).
    choice = (
        RoundLetters.model_validate_json(params.round_letters.read_bytes()) if params.round_letters else None
    )
    letters = compose_letters(
        applications,
        nurseries,
        instance,
        result,
        city.profile,
        round_id=params.round,
        decided=choice.decided if choice else (),
        omit=choice.omit if choice else (),
    )
    now = dt.datetime.now(JST)
    issued = params.issued_on or now.date()
    files = write_notices(letters, city.profile, params.out_dir, issued_on=issued, template_dir=city.notices)
    if params.previews_dir is not None:  # the demo's screenshots (synthetic data only)
        previews = write_previews(letters, files, params.previews_dir)
        get_run_logger().info("見本画像 %d 枚 / previews written", len(previews))
    lists = write_nursery_lists(
        applications,
        nurseries,
        instance,
        result,
        params.out_dir / "園別名簿",
        now.replace(tzinfo=None, microsecond=0),
    )
    # Letters, mail-merge data and name lists: personal data handed out, recorded as one access.
    record_export(params.out_dir, "通知書・差込データ・園別名簿 / notices", f"{files.count} 世帯")
    kinds: dict[str, int] = {}
    for letter in letters:
        kinds[letter.kind] = kinds.get(letter.kind, 0) + 1
    publish_markdown(
        "# 通知書 / notices\n\n"
        + "".join(f"- {kind}: {count} 世帯\n" for kind, count in sorted(kinds.items()))
        + f"- 一括印刷用 PDF / combined: `{files.combined}`\n- 差込データ / mail merge: `{files.mail_merge}`\n"
        + f"- 園別内定者名簿 / per-nursery lists: {len(lists) - 1} 園 + 全園 (`{params.out_dir / '園別名簿'}`)\n",
        key="season-notices",
        description="内定・保留通知書の件数 / notices written",
    )
    get_run_logger().info("通知書 %d 世帯 / letters written", files.count)
    return NoticesOutcome(letters=files.count, combined=files.combined, mail_merge=files.mail_merge)
