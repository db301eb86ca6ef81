"""How each form arrives at the city hall: who types it, in what, and how it is scanned.

- Applicants type in whatever their word processor offers: ゴシック, 明朝, a monospaced font, bold;
  sizes vary a lot (a 10.5 pt default is ~44 px at 300 dpi, people enlarge it for legibility: up to
  ~70 px). Marks are drawn by hand in one or two styles per person.
- Counters scan in colour (JPEG, the MFP default), in grey, or — for faxed certificates and "白黒"
  scanner settings — bilevel (1 bit, PNG or TIFF G4). JPEG quality runs from 50 (space-saving
  settings) to 90.
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.forms import SANS, SANS_BOLD, SERIF, SERIF_BOLD
from samples.forms.marks import STYLES

TYPING_FONTS = {  # name: (file, face index in the collection)
    "sans": (SANS, 0),
    "sans_bold": (SANS_BOLD, 0),
    "serif": (SERIF, 0),
    "serif_bold": (SERIF_BOLD, 0),
    "mono": (SANS, 5),  # Noto Sans Mono CJK JP
}
BOX_STYLES = STYLES[:-1]  # every style but circling the printed word


@dataclass(frozen=True)
class Paper:
    text_sizes: tuple[int, int] = (40, 46)
    fonts: tuple[str, ...] = ("sans", "sans", "sans", "serif", "serif")
    scan_modes: tuple[str, ...] = ("grey",)  # colour | grey | bilevel (drawn in turn at random)
    quality: tuple[int, int] = (60, 90)
    box_styles: tuple[str, ...] = ("tick", "tick", "tick", "cross")  # marks on printed boxes
    word_choices: frozenset[str] = frozenset()  # choices whose options are printed words to circle


STANDARD = Paper()
CITY = Paper(
    text_sizes=(40, 70),
    fonts=tuple(TYPING_FONTS),
    scan_modes=("colour", "grey", "bilevel"),
    quality=(50, 90),
    box_styles=(*BOX_STYLES, "circle_label"),
)


def paper_for(template_id: str) -> Paper:
    from dataclasses import replace

    from samples.forms.city_layouts import CITY_LAYOUTS, WORD_CHOICES

    if template_id not in CITY_LAYOUTS:
        return STANDARD
    if template_id == "kawabe_shuro":  # employers fax it: bilevel more often than not
        return replace(
            CITY, scan_modes=("bilevel", "bilevel", "grey"), word_choices=WORD_CHOICES[template_id]
        )
    return replace(CITY, word_choices=WORD_CHOICES.get(template_id, frozenset()))
