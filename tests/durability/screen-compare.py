#!/usr/bin/env python3
"""resume.sh's comparison of two captures of the incident screen.

usage: screen-compare.py BEFORE AFTER

BEFORE is the screen before the crash, AFTER the screen of the resumed
incident.  They must be the same once the clocks are replaced by tokens
(T+hh:mm:ss, and a running command's duration), except in the bottom
pane: the timeline there has new lines at its end (the "resumed" line,
and "command ... interrupted" for a command cut off by the crash), which
push its first lines up.  (A step whose command was cut off changes
from running to failed: resume.sh makes that change in BEFORE.)  So above the pane's tab line and on the key
hints (the last line) the screens are equal line for line; in the pane,
AFTER without its new lines is the end of BEFORE's lines.

Exit 0 when they match; else 1, with a unified diff on stdout.
"""

import difflib
import re
import sys

NEW = re.compile(r"resumed \(|interrupted|stopped by SIGLOST|"
                 r"torn last line was set aside")


def norm(line):
    line = re.sub(r"T\+\d{2}:\d{2}:\d{2}", "T+hh:mm:ss", line)
    return line.rstrip()


def split(lines):
    tabs = next((i for i, l in enumerate(lines) if l.startswith("─ ")),
                None)
    if tabs is None:
        return lines, [], []
    return lines[:tabs + 1], lines[tabs + 1:-1], lines[-1:]


def main():
    a = [norm(l) for l in open(sys.argv[1], encoding="utf-8").read()
         .rstrip("\n").split("\n")]
    b = [norm(l) for l in open(sys.argv[2], encoding="utf-8").read()
         .rstrip("\n").split("\n")]
    top_a, pane_a, hints_a = split(a)
    top_b, pane_b, hints_b = split(b)
    pa = [l for l in pane_a if l.strip()]
    pb = [l for l in pane_b if l.strip()]
    # AFTER's pane is BEFORE's, pushed up by a few new lines at its end.
    pane_ok = False
    for drop in range(0, 5):
        if drop > len(pb) or not all(NEW.search(l) for l in
                                     pb[len(pb) - drop:]):
            break
        kept = pb[:len(pb) - drop]
        if (len(pa) - 4 <= len(kept) <= len(pa) and
                pa[len(pa) - len(kept):] == kept):
            pane_ok = True
            break
    same = top_a == top_b and hints_a == hints_b and pane_ok
    if not same:
        sys.stdout.writelines(difflib.unified_diff(
            [l + "\n" for l in a], [l + "\n" for l in b],
            "before the crash", "resumed"))
        sys.exit(1)


if __name__ == "__main__":
    main()
