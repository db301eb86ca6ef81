"""Options and input helpers that several commands share, spelled once so they stay the same."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

ApplicationsFile = Annotated[Path, typer.Option(help="applications.json (list of Application records)")]
NurseriesFile = Annotated[Path, typer.Option(help="nurseries.json (list of Nursery records)")]
RulesFile = Annotated[Path, typer.Option(help="利用調整基準の規則ファイル (TOML)")]
AdmissionYear = Annotated[int, typer.Option(help="入所年度 / admission year (April)")]


def fail(message: str) -> typer.Exit:
    """Print `message` for the user and return the exit (code 2) to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def read_json_bytes(path: Path, what: str) -> bytes:
    """The bytes of a JSON input file, checked at the input boundary: bounded in size, UTF-8 with or
    without a BOM (Windows editors add one; it is dropped), no control characters (rejected naming the
    line only, since the text around it is usually a name)."""
    from matching.limits import DEFAULT_LIMITS, control_character_line, long_text_line, too_large

    try:
        size = path.stat().st_size
        if size > DEFAULT_LIMITS.max_json_bytes:
            raise fail(
                f"{what} {path}: ファイルが大きすぎます（{size:,} バイト、上限 max_json_bytes = "
                f"{DEFAULT_LIMITS.max_json_bytes:,}） / file too large"
            )
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
        data.decode("utf-8")
    except (OSError, UnicodeError) as exc:
        raise fail(
            f"{what} {path} を読めません（UTF-8 のテキストではありません） / cannot read {path} "
            f"({exc.__class__.__name__})"
        ) from exc
    line = control_character_line(data)
    if line is not None:
        raise fail(
            f"{what} {path}:{line}: 制御文字が含まれています。元のデータから取り除いてください / "
            f"a control character on line {line}: remove it from the source data"
        )
    line = long_text_line(data, DEFAULT_LIMITS.max_text_chars)
    if line is not None:
        raise fail(
            f"{what} {path}:{line}: "
            + too_large(
                "文字列の長さ",
                "a text",
                f"> {DEFAULT_LIMITS.max_text_chars:,} 文字 / characters",
                "max_text_chars",
                DEFAULT_LIMITS.max_text_chars,
            )
        )
    return data


def read_json_list(path: Path, what: str) -> list[Any]:
    """The JSON list in `path`; a missing, unreadable or non-list file exits with a message naming it."""
    raw = read_json_bytes(path, what)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise fail(f"{what} {path} を読めません / cannot read {path}: {str(exc)[:200]}") from exc
    if not isinstance(data, list):
        raise fail(f"{path}: {what}はJSONの配列にしてください / {path} must hold a JSON list")
    return data


# Folders a command must never write into, even when run as root (`--out /` once wrote into `/`).
_SYSTEM_DIRS = frozenset(
    Path(p)
    for p in (
        "/",
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/lib",
        "/lib64",
        "/proc",
        "/sbin",
        "/sys",
        "/usr",
        "/var",
    )
)


def _refuse_system(path: Path) -> None:
    resolved = path.resolve()
    if resolved in _SYSTEM_DIRS or (resolved.parent == Path("/") and not resolved.exists()):
        raise fail(
            f"--out {path}: システムのフォルダには書き出しません。作業用のフォルダを指定してください / "
            "refusing to write into a system folder: give a working folder"
        )


def output_file(path: Path) -> Path:
    """`--out FILE` checked before any work: not a folder, not in a system folder, its folder creatable."""
    _refuse_system(path)
    if path.is_dir():
        raise fail(
            f"--out {path}: フォルダです。ファイル名を指定してください / is a folder: give a file name"
        )
    _folder_usable(path.parent)
    return path


def output_dir(path: Path) -> Path:
    """`--out DIR` checked before any work: not a file, not a system folder, creatable and writable."""
    _refuse_system(path)
    if path.exists() and not path.is_dir():
        raise fail(f"--out {path}: ファイルです。フォルダを指定してください / is a file: give a folder")
    _folder_usable(path)
    return path


def _folder_usable(folder: Path) -> None:
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("/"))
    if not existing.is_dir():
        raise fail(
            f"--out: {existing} はファイルなので、その中にフォルダは作れません / {existing} is a file, not a folder"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise fail(f"--out: {existing} に書き込めません（権限） / cannot write into {existing} (permission)")
