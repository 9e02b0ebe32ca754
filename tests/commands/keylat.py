#!/usr/bin/env python3
"""Key-to-screen latency of rbnav's incident screen, through tmux.

Sends Tab (which cycles the bottom pane: Output, Timeline, Contacts…)
to the pane, then polls capture-pane -e as fast as tmux answers until
the screen shows another tab selected, and measures the time from the
key to the screen.  Repeats COUNT times (at least), then on until the
pane it started on is back.  With
--rss-pid, samples VmRSS of that pid at every poll.

  keylat.py --socket NAME [--target rbnav] [--count 20] [--timeout 5]
            [--rss-pid PID] [--gap 0.05]

Prints one line per sample ("sample MS"), then
  "n=N p50=MS p99=MS max=MS rss_max_kb=KB" and exits 0; 1 when the
screen did not change within --timeout (the line says "timeout").
"""

import argparse
import math
import re
import subprocess
import sys
import time

# The bottom pane's tab line: "─ Output ─ Status ─ Timeline ─ …", the
# selected tab drawn in another style, so it is the one tab that comes
# right after an SGR sequence (the others follow a plain "─").
RE_SELECTED = re.compile(r"─((?:\x1b\[[0-9;]*m)+) ([A-Z][a-z]+) ")


def tmux(sock, *args):
    return subprocess.run(["tmux", "-u", "-L", sock, "-f", "/dev/null"] +
                          list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL).stdout.decode(
                              "utf-8", "replace")


def state(screen):
    """The name of the selected tab of the bottom pane, or None."""
    for line in screen.splitlines():
        if "Contacts" not in line or "─" not in line:
            continue
        m = RE_SELECTED.search(line)
        if m:
            return m.group(2)
        # The first tab selected: the line starts with its style.
        m = re.match(r"^(?:\x1b\[[0-9;]*m)*─(?:\x1b\[[0-9;]*m)+ ([A-Z][a-z]+) ",
                     line)
        if m:
            return m.group(1)
    return None


def capture(a):
    return tmux(a.socket, "capture-pane", "-p", "-e", "-t", a.target)


def rss(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pct(sorted_ms, p):
    k = max(1, math.ceil(p / 100.0 * len(sorted_ms)))
    return sorted_ms[k - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--target", default="rbnav")
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--rss-pid", type=int, default=0)
    ap.add_argument("--gap", type=float, default=0.05)
    a = ap.parse_args()

    rss_max = 0
    samples = []
    cur = state(capture(a))
    if cur is None:
        print("cannot tell which pane is shown")
        return 1
    home = cur
    i = 0
    # COUNT samples, then on until the pane we started on is back.
    while i < a.count or cur != home:
        t0 = time.monotonic()
        tmux(a.socket, "send-keys", "-t", a.target, "Tab")
        while True:
            if a.rss_pid:
                rss_max = max(rss_max, rss(a.rss_pid))
            got = state(capture(a))
            now = time.monotonic()
            if got is not None and got != cur:
                break
            if now - t0 > a.timeout:
                print("timeout: waited %.0f ms for the pane after %s" %
                      ((now - t0) * 1000, cur))
                return 1
            time.sleep(0.002)
        ms = (now - t0) * 1000
        samples.append(ms)
        print("sample %.1f %s" % (ms, got))
        sys.stdout.flush()
        cur = got
        i += 1
        # A pause between keys, sampling the RSS meanwhile.
        end = time.monotonic() + a.gap
        while time.monotonic() < end:
            if a.rss_pid:
                rss_max = max(rss_max, rss(a.rss_pid))
            time.sleep(0.01)
    s = sorted(samples)
    print("n=%d p50=%.1f p99=%.1f max=%.1f rss_max_kb=%d" %
          (len(s), pct(s, 50), pct(s, 99), s[-1], rss_max))
    return 0


if __name__ == "__main__":
    sys.exit(main())
