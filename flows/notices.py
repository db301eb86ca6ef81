"""Notices: right after approval, every household's 内定・保留通知書 and the mail-merge data."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger

from cityprofile import open_city
from flows.artifacts import publish_markdown
from flows.handoff import load_models
from flows.params import NoticesOutcome, NoticesParams
from flows.paths import JST
from matching.instance import load_instance
from matching.records import Application, Nursery
from matching.result import load_result
from notices import compose_letters, write_notices


@flow(name="notices", description="承認後に内定・保留通知書と差込データを作ります", persist_result=True)
def notices_flow(params: NoticesParams) -> NoticesOutcome:
    city = open_city(params.city)
    letters = compose_letters(
        load_models(Application, params.applications),
        load_models(Nursery, params.nurseries),
        load_instance(params.instance),
        load_result(params.result),
        city.profile,
        round_id=params.round,
    )
    issued = params.issued_on or dt.datetime.now(JST).date()
    files = write_notices(letters, city.profile, params.out_dir, issued_on=issued, template_dir=city.notices)
    kinds: dict[str, int] = {}
    for letter in letters:
        kinds[letter.kind] = kinds.get(letter.kind, 0) + 1
    publish_markdown(
        "# 通知書 / notices\n\n"
        + "".join(f"- {kind}: {count} 世帯\n" for kind, count in sorted(kinds.items()))
        + f"- 一括印刷用 PDF / combined: `{files.combined}`\n- 差込データ / mail merge: `{files.mail_merge}`\n",
        key="season-notices",
        description="内定・保留通知書の件数 / notices written",
    )
    get_run_logger().info("通知書 %d 世帯 / letters written", files.count)
    return NoticesOutcome(letters=files.count, combined=files.combined, mail_merge=files.mail_merge)
