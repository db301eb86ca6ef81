"""The one way the project writes a file: atomically, readable by its owner only.

Everything the project writes may hold personal data (records, results, workbooks), and a crash or a
full disk must never leave half a file in place of a good one. So every output goes through
:func:`write_atomically`: a temporary file in the target folder (created 0600), fsync, rename over the
target, fsync of the folder; missing folders are created 0700. This lives in `matching` (the base
package) so that every package can use it; `sheets.safety` re-exports it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def private_directory(path: Path) -> Path:
    """Create `path` (and missing parents) readable by the owner only; an existing folder is left as is."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    return path


def write_atomically(path: Path, payload: bytes) -> Path:
    """Write `payload` to `path` through a temporary file in the same folder (fsync, then rename): a
    crash or a full disk mid-write leaves the previous file (or none), never half of one. The file is
    created 0600 (mkstemp's mode, kept by the rename) in folders created 0700."""
    private_directory(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return path


def write_all_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Write a set of files that belong together (normalise's applications, nurseries, issues): every
    temporary file is written and fsynced first, then all are renamed, so a full disk leaves the previous
    set complete, never new applications beside old nurseries."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, payload in files.items():
            private_directory(path.parent)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    for folder in {path.parent for path in files}:
        _fsync_directory(folder)
    return list(files)


def write_text_atomically(path: Path, text: str) -> Path:
    """:func:`write_atomically` for UTF-8 text."""
    return write_atomically(path, text.encode("utf-8"))


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (best effort: some file systems refuse fsync on a directory)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
