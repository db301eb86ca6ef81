"""Run a command as the child of this small interpreter and write its rusage as JSON.

Why a launcher: on Linux a process's peak RSS (``ru_maxrss``) starts from the resident size of the
process that spawned it — ``exec`` keeps the high-water mark of the address space it replaces, which
after ``fork``/``vfork`` is the parent's. Spawned straight from pytest, a case's "peak" was pytest's own
size (570 MB late in the suite, failing a 400 MB bound the case itself never came near). Forked from
this interpreter (started with ``-S``, about 10 MB), the figure is the case's own.

Usage: python -S measured_launch.py REPORT.json ADDRESS_SPACE_CAP -- ARGV…
"""

import json
import os
import resource
import sys


def main() -> int:
    report, cap, separator, *argv = sys.argv[1:]
    if separator != "--" or not argv:
        print("usage: measured_launch.py REPORT CAP -- ARGV…", file=sys.stderr)
        return 64
    limit = int(cap)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # a runaway case fails, not the machine
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    figures = {
        "exit": os.waitstatus_to_exitcode(status),
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_kb": usage.ru_maxrss,  # kilobytes on Linux
    }
    with open(report, "w", encoding="utf-8") as out:
        json.dump(figures, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
