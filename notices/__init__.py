"""内定・保留通知書 and the per-nursery lists, right after approval.

`letters` composes one letter per household from the records, the instance and the approved result;
`render` prints them through the city's HTML template (chromium, offline) into one PDF per household,
one combined PDF in print order and a CSV for the city's own mail merge. No Prefect, no samples.
"""

from notices.letters import ChildNotice, Letter, compose_letters
from notices.render import NoticeFiles, write_notices

__all__ = ["ChildNotice", "Letter", "NoticeFiles", "compose_letters", "write_notices"]
