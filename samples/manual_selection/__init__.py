"""A clerk's manual selection (by hand, age class by age class), planted mistakes, and its workbooks.

For parallel-run tests and demos of `bodx compare`: see samples/README.md.
"""

from samples.manual_selection.clerk import Clerk
from samples.manual_selection.mistakes import PlantedSelection, clerk_selection, plant_mistakes
from samples.manual_selection.workbook import ChildInfo, write_manual_workbook

__all__ = [
    "ChildInfo",
    "Clerk",
    "PlantedSelection",
    "clerk_selection",
    "plant_mistakes",
    "write_manual_workbook",
]
