"""The season's log: `<season>/audit/log.jsonl`, one canonical JSON entry per line, append-only.

Crash safety: an entry is one `write` of a whole line followed by `fsync`, under the lock of
`audit/.lock`. A process killed mid-write can leave at most an incomplete last line; the next writer
moves those bytes to `audit/torn.jsonl` (kept, never silently dropped) and the chain stays valid, since
an entry counts as written only once its line is complete. Personal data: the folder is 0700 and the
files 0600, whatever the umask.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from audit.errors import AuditLogError
from audit.locking import locked
from audit.records import (
    GENESIS,
    AuditEntry,
    AuditEvent,
    ChainHead,
    FileDigest,
    canonical_json,
    entry_hash,
    files_under,
    folder_digest,
    sha256_file,
)

LOG_DIR_NAME = "audit"
LOG_NAME = "log.jsonl"
TORN_NAME = "torn.jsonl"
LOCK_NAME = ".lock"
_CHUNK = 1 << 16


def log_path(season_dir: Path) -> Path:
    return season_dir / LOG_DIR_NAME / LOG_NAME


def find_season_dir(path: Path) -> Path | None:
    """The season folder holding `path` (itself or the nearest parent with an audit log), else None."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if log_path(folder).is_file():
            return folder
    return None


def relative_name(path: Path, season_dir: Path) -> str:
    """How a file is named in the log: relative to the season folder when inside it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(season_dir.resolve()).as_posix()
    except ValueError:
        return str(resolved)


class SeasonLog:
    """The audit log of one season folder. Create it with `SeasonLog.create`, then `append` events."""

    def __init__(self, season_dir: Path) -> None:
        self.season_dir = season_dir
        self.folder = season_dir / LOG_DIR_NAME
        self.path = self.folder / LOG_NAME

    @classmethod
    def create(cls, season_dir: Path) -> SeasonLog:
        """Open the season's log, creating `audit/` (0700) and an empty log (0600) when missing."""
        log = cls(season_dir)
        log.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(log.folder, 0o700)
        fd = os.open(log.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        os.chmod(log.path, 0o600)
        return log

    @classmethod
    def open(cls, season_dir: Path) -> SeasonLog:
        log = cls(season_dir)
        if not log.path.is_file():
            raise AuditLogError(
                f"{season_dir}: 監査ログ ({LOG_DIR_NAME}/{LOG_NAME}) がありません。選考のフォルダを指定してください / "
                f"no audit log ({LOG_DIR_NAME}/{LOG_NAME}) in {season_dir}: give a season folder"
            )
        return log

    def append(self, event: AuditEvent, once: str | None = None) -> AuditEntry:
        """Hash the event's files, then chain the entry onto the last one (under the lock) and fsync.

        `once`: a key for a step that may be run again (a flow resumed after approval re-runs its body);
        when an entry with that key is already in the log, that entry is returned and nothing is added.
        """
        if once is not None:
            event = event.model_copy(update={"details": {**event.details, "once": once}})
        files = tuple(digest for ref in event.files for digest in self._digests(ref.path, ref.role))
        rules = None
        if event.rules is not None:
            rules = self._digests(event.rules, "input")[0]
            files += (rules,) if rules not in files else ()
        profile = folder_digest(event.profile) if event.profile is not None else None
        if not self.folder.is_dir():
            SeasonLog.create(self.season_dir)
        with locked(self.folder / LOCK_NAME):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                last = self._last_entry(fd)
                done = self._entry_once(once) if once is not None else None
                if done is not None:
                    return done
                body = AuditEntry(
                    seq=last.seq + 1 if last else 1,
                    time=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                    actor=event.actor,
                    action=event.action,
                    summary=event.summary,
                    files=files,
                    rules_sha256=rules.sha256 if rules else None,
                    profile=profile,
                    adjustments=event.adjustments,
                    approval=event.approval,
                    robot=event.robot,
                    children=event.children,
                    season_wide=event.season_wide,
                    details=event.details,
                    prev=last.hash if last else GENESIS,
                    hash="",
                ).model_dump(mode="json")
                body["hash"] = entry_hash(body)
                _write_all(fd, canonical_json(body) + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
        return AuditEntry.model_validate(body)

    def head(self) -> ChainHead | None:
        """The last complete entry's number and hash (None for an empty log)."""
        lines, _ = self.read_lines()
        if not lines:
            return None
        last = json.loads(lines[-1])
        return ChainHead(seq=last["seq"], hash=last["hash"])

    def read_lines(self) -> tuple[list[bytes], bytes]:
        """Every complete line (without its newline) and the bytes of an interrupted last write, if any."""
        with locked(self.folder / LOCK_NAME, shared=True):
            data = self.path.read_bytes()
        complete, _, torn = data.rpartition(b"\n")
        return (complete.split(b"\n") if complete else []), torn

    def _entry_once(self, key: str) -> AuditEntry | None:
        marker = b'"once":' + json.dumps(key, ensure_ascii=False).encode("utf-8")
        for line in self.path.read_bytes().split(b"\n"):
            if marker in line:
                try:
                    entry = AuditEntry.model_validate_json(line)
                except ValueError:  # an edited line: verify names it; it is not the step's entry
                    continue
                if entry.details.get("once") == key:
                    return entry
        return None

    def _digests(self, path: Path, role: str) -> list[FileDigest]:
        if not path.exists():
            raise AuditLogError(f"{path}: 記録するファイルがありません / the file to record does not exist")
        digests = []
        for file in files_under(path):
            sha, size = sha256_file(file)
            digests.append(
                FileDigest.model_validate(
                    {"path": relative_name(file, self.season_dir), "role": role, "sha256": sha, "size": size}
                )
            )
        return digests

    def _last_entry(self, fd: int) -> ChainHead | None:
        """The entry to chain onto. An incomplete last line (a killed writer) is moved to torn.jsonl."""
        size = os.fstat(fd).st_size
        end = _last_newline(fd, size)  # offset just after the last complete line
        if end < size:
            torn = _read_at(fd, size - end, end)
            self._keep_torn(torn)
            os.ftruncate(fd, end)
            os.fsync(fd)
        if end == 0:
            return None
        start = _last_newline(fd, end - 1)
        line = _read_at(fd, end - 1 - start, start)
        try:
            last = json.loads(line)
            return ChainHead(seq=int(last["seq"]), hash=str(last["hash"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditLogError(
                f"{self.path}: 最後の記録が壊れているため追記できません。`bodx audit verify {self.season_dir}` "
                f"で確認してください / the last entry is unreadable, nothing appended: run `bodx audit verify`"
            ) from exc

    def _keep_torn(self, torn: bytes) -> None:
        fd = os.open(self.folder / TORN_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            _write_all(fd, torn + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)


def _last_newline(fd: int, end: int) -> int:
    """Offset just after the last b"\\n" before `end` (0 when there is none)."""
    position = end
    while position > 0:
        start = max(0, position - _CHUNK)
        chunk = _read_at(fd, position - start, start)
        found = chunk.rfind(b"\n")
        if found >= 0:
            return start + found + 1
        position = start
    return 0


def _read_at(fd: int, count: int, offset: int) -> bytes:
    """`os.pread`, also on Windows (appends go to the end whatever the position: O_APPEND)."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, count)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]
