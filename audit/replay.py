"""Re-run scoring and matching from the inputs a log entry recorded and compare the bytes it wrote.

An `admission` entry (the flow) is replayed from applications, nurseries, rules, year and adjustments:
scoring gives instance.json, the optimizer result.json. A `match` entry (`bodx match`) is replayed from
its instance and adjustments. Each input must still have the SHA-256 the entry recorded (else the replay
would prove nothing and says which file changed); each output's replayed bytes are hashed and compared
with the recorded hash. A difference means the code, the solver or its time limit no longer give the
recorded decision.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from audit.errors import AuditLogError
from audit.log import SeasonLog, relative_name
from audit.records import sha256_file

REPLAYABLE = ("admission", "match")


@dataclass(frozen=True)
class ReplayedFile:
    path: str
    recorded: str
    replayed: str

    @property
    def same(self) -> bool:
        return self.recorded == self.replayed


@dataclass(frozen=True)
class Replay:
    seq: int
    action: str
    files: tuple[ReplayedFile, ...]

    @property
    def reproduced(self) -> bool:
        return all(f.same for f in self.files)


def replay_settings(season: Path | None, **values: Path | str | int | float | bool | None) -> str | None:
    """What a replay needs, as the entry's `details["replay"]` (files named as the log of `season`
    names them); None outside a season."""
    if season is None:
        return None
    named = {k: relative_name(v, season) if isinstance(v, Path) else v for k, v in values.items()}
    return json.dumps(named, ensure_ascii=False, sort_keys=True)


def replay_season(season_dir: Path, seq: int | None = None) -> Replay:
    """Replay entry `seq`, or the last admission/match entry of the season."""
    entries = [json.loads(line) for line in SeasonLog.open(season_dir).read_lines()[0]]
    chosen = [e for e in entries if e.get("action") in REPLAYABLE and (seq is None or e.get("seq") == seq)]
    if not chosen:
        raise AuditLogError(
            f"{season_dir}: 再現できる記録 (admission / match){f' #{seq}' if seq else ''} がありません / "
            "no admission or match entry to replay"
        )
    entry = chosen[-1]
    details = entry.get("details") or {}
    if "replay" not in details:
        raise AuditLogError(
            f"記録 #{entry['seq']} には再現に必要な設定がありません (古い形式) / entry #{entry['seq']} does not "
            "record the settings a replay needs"
        )
    setting: dict[str, Any] = (
        details["replay"] if isinstance(details["replay"], dict) else json.loads(details["replay"])
    )
    recorded = {f["path"]: f["sha256"] for f in entry.get("files", ())}

    def path_of(key: str) -> Path | None:
        name = setting.get(key)
        if not name:
            return None
        path = Path(name) if Path(name).is_absolute() else season_dir / name
        if not path.is_file() or sha256_file(path)[0] != recorded.get(name):
            raise AuditLogError(
                f"{name}: 記録 #{entry['seq']} の後に変更されたか消えたため再現できません / changed or missing "
                f"since entry #{entry['seq']}: cannot replay from it"
            )
        return path

    outputs = (
        _replay_admission(setting, path_of)
        if entry["action"] == "admission"
        else _replay_match(setting, path_of)
    )
    return Replay(
        seq=int(entry["seq"]),
        action=str(entry["action"]),
        files=tuple(
            ReplayedFile(name, str(recorded.get(name)), hashlib.sha256(payload).hexdigest())
            for name, payload in outputs.items()
        ),
    )


def _adjustments(path: Path | None) -> tuple[Any, ...]:
    if path is None:
        return ()
    from matching.adjustments import StaffAdjustment

    if path.suffix.lower() == ".xlsx":
        from sheets.adjustments import read_adjustments

        return read_adjustments(path)
    return TypeAdapter(tuple[StaffAdjustment, ...]).validate_json(path.read_bytes())


def _replay_admission(setting: dict[str, Any], path_of: Any) -> dict[str, bytes]:
    from matching.optimizer import solve
    from matching.records import Application, Nursery
    from matching.scoring import instance_from_priorities, load_rules, score_applications

    applications = TypeAdapter(tuple[Application, ...]).validate_json(path_of("applications").read_bytes())
    nurseries = TypeAdapter(tuple[Nursery, ...]).validate_json(path_of("nurseries").read_bytes())
    year = int(setting["admission_year"])
    priorities = score_applications(applications, load_rules(path_of("rules")), year)
    instance = instance_from_priorities(applications, nurseries, priorities, year)
    result = solve(instance, _adjustments(path_of("adjustments")), float(setting["time_limit"]))
    return {
        setting["instance_out"]: instance.to_json().encode("utf-8"),
        setting["result_out"]: result.to_json().encode("utf-8"),
    }


def _replay_match(setting: dict[str, Any], path_of: Any) -> dict[str, bytes]:
    from matching.instance import load_instance
    from matching.optimizer import solve

    instance = load_instance(path_of("instance"))
    result = solve(
        instance,
        _adjustments(path_of("adjustments")),
        float(setting["time_limit"]),
        workers=int(setting.get("workers", 1)),
        exact=bool(setting.get("exact", False)),
    )
    return {setting["result_out"]: result.to_json().encode("utf-8")}
