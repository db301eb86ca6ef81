"""Recompute every entry's hash, the chain and every recorded file's SHA-256; name what changed.

A file is checked against the LAST entry that recorded it: a rerun that rewrote result.json recorded the
new hash, so only a change nobody recorded is reported. Deleting the last entries, or rewriting the
whole log with fresh hashes, leaves a valid-looking chain; `expected_head` (the copy the Prefect server
keeps) catches that.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit.errors import AuditLogError
from audit.log import SeasonLog
from audit.records import GENESIS, ChainHead, entry_hash, folder_digest, sha256_file

MIN_HEAD_PREFIX = 12


@dataclass(frozen=True)
class Finding:
    kind: str  # entry-unreadable, entry-changed, entry-missing, entry-order, entry-rewritten, head-mismatch,
    # file-changed, file-missing, profile-changed, torn-write, permissions
    subject: str  # the entry (#5 admission) or the file (admission/result.json) that changed
    message: str  # Japanese / English, for staff
    tampering: bool = True  # False only for an interrupted write, which the log itself survives


@dataclass(frozen=True)
class VerifyReport:
    season_dir: Path
    entries: int
    files: int
    head: ChainHead | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not any(finding.tampering for finding in self.findings)

    def as_json(self) -> dict[str, Any]:
        return {
            "season_dir": str(self.season_dir),
            "ok": self.ok,
            "entries": self.entries,
            "files": self.files,
            "head": str(self.head) if self.head else None,
            "findings": [finding.__dict__ for finding in self.findings],
        }


def verify_season(
    season_dir: Path, expected_head: str | None = None, server_heads: Iterable[str] = ()
) -> VerifyReport:
    """`expected_head`: a head staff copied (SEQ:HASH or a hash prefix); `server_heads`: every head the
    Prefect server recorded for this season. Each must be an entry of the log."""
    log = SeasonLog.open(season_dir)
    try:
        lines, torn = log.read_lines()
    except OSError as exc:
        raise AuditLogError(f"{log.path}: 監査ログを読めません / cannot read the audit log: {exc}") from exc
    findings: list[Finding] = []
    entries = _parse(lines, findings)
    findings.extend(_chain_findings(entries))
    if torn:
        findings.append(
            Finding(
                "torn-write",
                f"{log.path.name} (末尾)",
                "最後の書き込みが途中で止まっています (記録されていない追記。次の追記で torn.jsonl に移されます) / "
                "an interrupted last write (never completed; the next append moves it to torn.jsonl)",
                tampering=False,
            )
        )
    findings.extend(_permission_findings(log))
    head = ChainHead(seq=entries[-1]["seq"], hash=entries[-1]["hash"]) if entries else None
    for given in (expected_head, *server_heads):
        if given:
            findings.extend(_head_findings(entries, given))
    file_findings, checked = _file_findings(entries, season_dir)
    findings.extend(file_findings)
    return VerifyReport(season_dir, len(entries), checked, head, tuple(findings))


def _permission_findings(log: SeasonLog) -> list[Finding]:
    """The log holds personal data: only its owner may read it (not tampering, but to be fixed)."""
    if os.name != "posix":
        return []
    wide = [
        f"{path} ({stat.S_IMODE(path.stat().st_mode):o})"
        for path in (log.folder, log.path)
        if path.stat().st_mode & 0o077
    ]
    return [
        Finding(
            "permissions",
            name,
            f"{name}: 他の利用者も読めます。chmod 700 (フォルダ) / 600 (ファイル) にしてください / "
            "readable by others: chmod 700 the folder, 600 the log",
            tampering=False,
        )
        for name in wide
    ]


def _name(entry: dict[str, Any]) -> str:
    return f"#{entry.get('seq')} ({entry.get('action')}, {entry.get('time')})"


def _parse(lines: list[bytes], findings: list[Finding]) -> list[dict[str, Any]]:
    entries = []
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
                raise ValueError("not an entry")
        except ValueError:
            findings.append(
                Finding(
                    "entry-unreadable",
                    f"line {number}",
                    f"{number} 行目が記録として読めません (書き換えられています) / line {number} is not a "
                    "readable entry (it was edited)",
                )
            )
            continue
        if entry_hash(entry) != entry.get("hash"):
            findings.append(
                Finding(
                    "entry-changed",
                    _name(entry),
                    f"記録 {_name(entry)} の内容が書き込み後に変更されています / entry {_name(entry)} was changed "
                    "after it was written (its content no longer matches its hash)",
                )
            )
        entries.append(entry)
    return entries


def _chain_findings(entries: list[dict[str, Any]]) -> list[Finding]:
    where = {entry.get("hash"): i for i, entry in enumerate(entries)}
    findings = []
    prev: Any = GENESIS
    expected = 1
    seen: set[Any] = set()
    for i, entry in enumerate(entries):
        seq = entry["seq"]
        if entry.get("prev") != prev or seq != expected:
            findings.append(_broken_link(entry, i, prev, expected, where, seen, entries))
        seen.add(entry.get("hash"))
        prev, expected = entry.get("hash"), seq + 1
    return findings


def _broken_link(
    entry: dict[str, Any],
    index: int,
    prev: Any,
    expected: int,
    where: dict[Any, int],
    seen: set[Any],
    entries: list[dict[str, Any]],
) -> Finding:
    seq, named = entry["seq"], entry.get("prev")
    if entry.get("hash") in seen:
        return Finding(
            "entry-order",
            _name(entry),
            f"記録 {_name(entry)} が重複しています / entry {_name(entry)} appears twice",
        )
    if named in where:
        before = _name(entries[where[named]])
        return Finding(
            "entry-order",
            _name(entry),
            f"記録 {_name(entry)} の順序が入れ替えられています ({before} の直後のはず) / entry {_name(entry)} "
            f"is out of order (it belongs right after {before})",
        )
    if seq > expected:
        gone = f"#{expected}" if seq == expected + 1 else f"#{expected}〜#{seq - 1}"
        return Finding(
            "entry-missing",
            gone,
            f"記録 {gone} が削除されています ({_name(entry)} の前) / entry {gone} was deleted "
            f"(before {_name(entry)})",
        )
    if seq < expected:
        return Finding(
            "entry-order",
            _name(entry),
            f"記録 {_name(entry)} の番号が前の記録と合いません (#{expected} のはず) / entry {_name(entry)} is "
            f"out of order (#{expected} expected here)",
        )
    before = _name(entries[index - 1]) if index > 0 else "#0"
    return Finding(
        "entry-rewritten",
        before,
        f"記録 {before} が書き換えられ、ハッシュも計算し直されています ({_name(entry)} が指す記録と違います) / "
        f"entry {before} was replaced and re-hashed ({_name(entry)} names a different predecessor)",
    )


def _head_findings(entries: list[dict[str, Any]], expected: str) -> list[Finding]:
    seq_text, _, digest = expected.strip().rpartition(":")
    digest = digest.lower()
    if len(digest) < MIN_HEAD_PREFIX:
        raise AuditLogError(
            f"--head: ハッシュは {MIN_HEAD_PREFIX} 文字以上で指定してください / give at least "
            f"{MIN_HEAD_PREFIX} hex digits of the head hash (SEQ:HASH as the season-audit artifact shows it)"
        )
    for entry in entries:
        if str(entry.get("hash", "")).startswith(digest) and (not seq_text or str(entry["seq"]) == seq_text):
            return []
    return [
        Finding(
            "head-mismatch",
            f"head {expected.strip()[:40]}",
            f"サーバーに控えた先頭 (#{seq_text or '?'} {digest[:12]}…) がこのログにありません: 記録が削除されたか、"
            "ログ全体が作り直されています / the chain head the server keeps is not in this log: entries "
            "were deleted or the log was rewritten",
        )
    ]


def _file_findings(entries: list[dict[str, Any]], season_dir: Path) -> tuple[list[Finding], int]:
    latest: dict[str, tuple[str, dict[str, Any]]] = {}
    profiles: dict[str, tuple[str, dict[str, Any]]] = {}
    for entry in entries:
        for item in entry.get("files") or ():
            if isinstance(item, dict) and "path" in item:
                latest[str(item["path"])] = (str(item.get("sha256")), entry)
        profile = entry.get("profile")
        if isinstance(profile, dict) and "path" in profile:
            profiles[str(profile["path"])] = (str(profile.get("sha256")), entry)
    findings = []
    for name, (sha, entry) in sorted(latest.items()):
        path = Path(name) if Path(name).is_absolute() else season_dir / name
        if not path.is_file():
            findings.append(
                Finding(
                    "file-missing",
                    name,
                    f"{name}: 記録 {_name(entry)} にあるファイルが消えています / the file recorded by entry "
                    f"{_name(entry)} is missing",
                )
            )
        elif sha256_file(path)[0] != sha:
            findings.append(
                Finding(
                    "file-changed",
                    name,
                    f"{name}: 記録 {_name(entry)} の後に変更されています / changed after entry {_name(entry)} "
                    "recorded it",
                )
            )
    for name, (sha, entry) in sorted(profiles.items()):
        folder = Path(name)
        if not folder.is_dir() or folder_digest(folder).sha256 != sha:
            findings.append(
                Finding(
                    "profile-changed",
                    name,
                    f"{name}: 市のプロファイルが記録 {_name(entry)} の後に変更されています / the city profile "
                    f"changed after entry {_name(entry)} used it",
                )
            )
    return findings, len(latest)
