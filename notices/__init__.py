"""内定・保留通知書 and the per-nursery lists, right after approval.

`letters` composes one letter per household from the records, the instance and the approved result;
`render` prints them through the city's HTML template (chromium, offline) into one PDF per household,
one combined PDF in print order and a CSV for the city's own mail merge; `previews` draws one letter
of each kind as PNG (the demo's screenshots). No Prefect, no samples.
"""

from notices.letters import ChildNotice, Letter, compose_letters
from notices.previews import write_previews
from notices.render import NoticeFiles, write_notices

__all__ = ["ChildNotice", "Letter", "NoticeFiles", "compose_letters", "write_notices", "write_previews"]
