"""Synthetic scanned forms: blank templates (drawn by `draw.py`), filled and scan-degraded pages."""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SANS = FONT_DIR / "NotoSansCJK-Regular.ttc"
SANS_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
SERIF = FONT_DIR / "NotoSerifCJK-Regular.ttc"
SERIF_BOLD = FONT_DIR / "NotoSerifCJK-Bold.ttc"
