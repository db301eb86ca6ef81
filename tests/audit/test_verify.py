"""`verify_season` finds and names every kind of change: a file, an entry, a deleted or moved entry."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from audit import AuditEvent, FileRef, verify_season
from audit.records import entry_hash
from tests.audit.conftest import Season


def _lines(season: Season) -> list[str]:
    return season.log.path.read_text(encoding="utf-8").splitlines(keepends=True)


def _rewrite(season: Season, lines: list[str]) -> None:
    season.log.path.write_text("".join(lines), encoding="utf-8")


def _kinds(season: Season, head: str | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.subject) for f in verify_season(season.root, head).findings]


def test_untouched_season_verifies(season: Season) -> None:
    report = verify_season(season.root)
    assert report.ok and report.findings == () and report.entries == 5
    # applications, result, workbook, rules
    assert report.files == 4
    assert report.head is not None and report.head.seq == 5
    assert stat.S_IMODE(season.log.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(season.log.folder.stat().st_mode) == 0o700


def test_one_byte_of_an_output_is_named(season: Season) -> None:
    result = season.root / "admission" / "result.json"
    data = bytearray(result.read_bytes())
    data[3] ^= 0x01
    result.write_bytes(bytes(data))
    report = verify_season(season.root)
    assert not report.ok
    assert [(f.kind, f.subject) for f in report.findings] == [("file-changed", "admission/result.json")]
    assert "#2 (admission" in report.findings[0].message


def test_workbook_removed_and_rules_edited_are_named(season: Season) -> None:
    (season.root / "admission" / "review.xlsx").unlink()
    season.rules.write_text("[meta]\nname = 'edited'\n", encoding="utf-8")
    kinds = _kinds(season)
    assert ("file-missing", "admission/review.xlsx") in kinds
    assert ("file-changed", str(season.rules.resolve())) in kinds
    assert ("profile-changed", str(season.profile.resolve())) in kinds


def test_a_later_recorded_rewrite_is_not_tampering(season: Season) -> None:
    result = season.root / "admission" / "result.json"
    result.write_text('{"C0001": null}', encoding="utf-8")
    season.log.append(
        AuditEvent(action="match", actor="clerk@pc", files=(FileRef(path=result, role="output"),))
    )
    assert verify_season(season.root).ok


def test_edited_log_line_is_named(season: Season) -> None:
    lines = _lines(season)
    lines[1] = lines[1].replace("内定 N001", "内定 N002")
    _rewrite(season, lines)
    assert [kind for kind, _ in _kinds(season)] == ["entry-changed"]
    assert _kinds(season)[0][1].startswith("#2 (admission")


def test_deleted_entry_is_named(season: Season) -> None:
    lines = _lines(season)
    del lines[2]
    _rewrite(season, lines)
    assert _kinds(season) == [("entry-missing", "#3")]


def test_first_entry_deleted_is_named(season: Season) -> None:
    _rewrite(season, _lines(season)[1:])
    assert _kinds(season) == [("entry-missing", "#1")]


def test_reordered_entries_are_named(season: Season) -> None:
    lines = _lines(season)
    lines[1], lines[2] = lines[2], lines[1]
    _rewrite(season, lines)
    findings = verify_season(season.root).findings
    assert {f.kind for f in findings} == {"entry-order"}
    assert {f.subject.split(" ")[0] for f in findings} >= {"#2", "#3"}


def test_rehashed_entry_is_named_by_the_broken_link(season: Season) -> None:
    lines = _lines(season)
    entry = json.loads(lines[3])
    entry["approval"]["approver"] = "別人"
    entry["hash"] = entry_hash(entry)
    lines[3] = json.dumps(entry, ensure_ascii=False) + "\n"
    _rewrite(season, lines)
    kinds = _kinds(season)
    assert [kind for kind, _ in kinds] == ["entry-rewritten"]
    assert kinds[0][1].startswith("#4 (approval")


def test_unreadable_line_is_named(season: Season) -> None:
    lines = _lines(season)
    lines[2] = "{not json\n"
    _rewrite(season, lines)
    kinds = _kinds(season)
    assert ("entry-unreadable", "line 3") in kinds and ("entry-missing", "#3") in kinds


def test_dropped_last_entry_needs_the_servers_head(season: Season) -> None:
    head = verify_season(season.root).head
    assert head is not None
    _rewrite(season, _lines(season)[:-1])
    assert verify_season(season.root).ok  # a shorter chain is still a chain ...
    kinds = _kinds(season, str(head))
    assert [kind for kind, _ in kinds] == ["head-mismatch"]  # ... the server's copy tells
    assert [kind for kind, _ in _kinds(season, head.hash[:16])] == ["head-mismatch"]


def test_head_from_the_server_matches_a_longer_log(season: Season) -> None:
    head = verify_season(season.root).head
    season.log.append(AuditEvent(action="note", actor="clerk@pc"))
    assert verify_season(season.root, str(head)).ok


def test_wide_permissions_are_narrowed(tmp_path: Path) -> None:
    from audit import SeasonLog

    root = tmp_path / "season"
    (root / "audit").mkdir(parents=True)
    (root / "audit" / "log.jsonl").write_text("", encoding="utf-8")
    (root / "audit").chmod(0o755)
    (root / "audit" / "log.jsonl").chmod(0o644)
    SeasonLog.create(root).append(AuditEvent(action="note", actor="x"))
    assert stat.S_IMODE((root / "audit").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "audit" / "log.jsonl").stat().st_mode) == 0o600


def test_widened_permissions_are_a_note(season: Season) -> None:
    season.log.path.chmod(0o644)
    report = verify_season(season.root)
    assert report.ok and [f.kind for f in report.findings] == ["permissions"]
    assert "644" in report.findings[0].subject
