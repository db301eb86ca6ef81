"""見本画像: a PNG of the first 内定 letter and of the first 保留 letter that were printed.

For the demo on synthetic data (and the README's screenshots) only: a city's real letters carry
personal data, and the season draws them into images only when asked for a previews folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matching.files import write_atomically
from notices._exec.pdf import first_page_png
from notices.letters import PLACED, WAITING, Letter
from notices.render import NoticeFiles

PREVIEWS = {PLACED: "notice_naitei.png", WAITING: "notice_horyu.png"}
DPI = 100  # enough to read a letter on screen, about 100 KB a page


def write_previews(
    letters: Sequence[Letter], files: NoticeFiles, out_dir: Path, dpi: int = DPI
) -> dict[str, Path]:
    """Per kind (内定, 保留), the first page of the first such letter in print order, as `out_dir`/PNG.

    A kind that no household received is left out: not in the answer, and an earlier run's image of it
    is removed (an image in `out_dir` always shows this run).
    """
    written = {}
    for kind, name in PREVIEWS.items():
        letter = next((letter for letter in letters if letter.kind == kind), None)
        if letter is None:
            (out_dir / name).unlink(missing_ok=True)
            continue
        png = first_page_png(files.letters[letter.application_id], dpi)
        written[kind] = write_atomically(out_dir / name, png)
    return written
