"""HTML → PDF with Debian's chromium, headless and offline (the only place notices start chromium).

Print-to-PDF from the command line: no browser automation is needed for a static page, and the Noto CJK
fonts installed with the system render Japanese. Each call starts one browser on its own empty profile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from notices.errors import RenderError

CHROMIUM = os.environ.get("BODX_CHROMIUM", "/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def print_to_pdf(html: Path, pdf: Path, timeout: float = 600.0) -> None:
    """Print `html` (a local file) to `pdf`; RenderError with what to do when it cannot."""
    binary = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if binary is None:
        raise RenderError(
            "chromium がありません。make setup で入ります / chromium is not installed (make setup installs it)"
        )
    with tempfile.TemporaryDirectory(prefix="bodx-chromium-") as profile:
        command = [
            binary,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"PDF の作成が {timeout:.0f} 秒で終わりません / printing timed out") from exc
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise RenderError(
            f"chromium が PDF を作れませんでした (終了コード {done.returncode}) / chromium could not print the PDF"
        )
