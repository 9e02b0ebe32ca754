#!/usr/bin/env python3
"""crash.sh's trial loop: kill -9 the crash driver at random moments.

usage: crash.py DRIVER RBNAV DIR CHAINS BIG_CHAINS TRIALS_PER_CHAIN SEED

Each chain starts a new timeline ("crash-driver new") and then resumes
it again and again ("crash-driver continue": the reader repairs a torn
tail, the writer reopens the file).  In the CHAINS chains every run of
the driver is killed with SIGKILL after a random delay of 0-50 ms
(counted from its start, or, for three runs in four, from the moment
the timeline is open, so that most kills land among the appends).  In
the BIG_CHAINS chains the driver writes 4-6 MiB lines (-b) and is
killed as soon as the file grows, while such a line is being written:
a kill tears a line only then (the kernel checks for it every few MiB
of a write), and those runs are what gives the reader torn tails to
repair.  After each kill:

  - every seq the driver acknowledged is a whole line of the file;
  - the whole lines written before this run are still there, byte for
    byte (nothing is ever rewritten);
  - the chain recomputed here (seq 1, 2, 3 ... and prev = SHA-256 of the
    line before) holds over every whole line;
  - `rbnav verify FILE` exits 0 (a torn tail is only a warning);
  - a torn tail that `continue` sets aside ends up at the end of
    FILE.torn, byte for byte.

Prints one "trial ..." line per failure and, last, one line:
  "summary trials=N big_trials=N acked=N lost=N torn=N torn_big=N
   verify_failed=N chain_bad=N rewritten=N reopen_failed=N
   torn_aside_bad=N nofile=N"
(torn: torn tails after the random kills; torn_big: after the others)
"""

import hashlib
import json
import os
import random
import select
import signal
import subprocess
import sys
import time

ZERO = "0" * 64


def whole_lines(data):
    """The whole lines (with their newline cut off) and the tail."""
    end = data.rfind(b"\n")
    if end < 0:
        return [], data
    return data[:end].split(b"\n"), data[end + 1:]


def check_chain(lines):
    """None when the chain holds, else a description."""
    prev = ZERO
    for n, raw in enumerate(lines, 1):
        try:
            ev = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            return "line %d is not JSON: %s" % (n, e)
        if ev.get("seq") != n:
            return "line %d has seq %r" % (n, ev.get("seq"))
        if ev.get("prev") != prev:
            return "line %d: prev does not match" % n
        prev = hashlib.sha256(raw).hexdigest()
    return None


def run_driver(args, from_ready, delay, path=None):
    """Start the driver, kill it after delay (or, given path, as soon as
    that file grows after "ready"); returns its output."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out = b""
    t0 = time.monotonic()
    if from_ready or path:
        # Wait (at most 5 s) for "ready", then start counting.
        while b"ready " not in out and time.monotonic() - t0 < 5:
            r, _, _ = select.select([p.stdout], [], [], 0.5)
            if not r:
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
        t0 = time.monotonic()
    if path:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        while time.monotonic() - t0 < 10 and p.poll() is None:
            try:
                if os.path.getsize(path) > size:
                    break
            except OSError:
                pass
            time.sleep(0.0002)
    else:
        left = delay - (time.monotonic() - t0)
        if left > 0:
            time.sleep(left)
    try:
        p.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    rest, err = p.communicate()
    return p.returncode, out + rest, err


def main():
    driver, rbnav, top, chains, big_chains, per_chain, seed = sys.argv[1:8]
    chains, big_chains = int(chains), int(big_chains)
    per_chain = int(per_chain)
    rng = random.Random(int(seed))
    stats = dict(trials=0, big_trials=0, acked=0, lost=0, torn=0,
                 torn_big=0, verify_failed=0,
                 chain_bad=0, rewritten=0, reopen_failed=0,
                 torn_aside_bad=0, nofile=0)

    def fail(what, trial, detail):
        stats[what] += 1
        print("trial %d: %s: %s" % (trial, what, detail), flush=True)

    for c in range(chains + big_chains):
        big = c >= chains
        d = os.path.join(top, "chain%d" % c)
        os.makedirs(d)
        path = os.path.join(d, "20261126T021403Z-crash.jsonl")
        before = b""            # the whole lines before this run
        for k in range(per_chain):
            stats["big_trials" if big else "trials"] += 1
            trial = stats["trials"] + stats["big_trials"]
            exists = os.path.exists(path)
            args = [driver] + (["-b"] if big else [])
            if exists:
                args += ["continue", path]
            else:
                args += ["new", d, "20261126T021403Z-crash"]
            tail_before = b""
            if exists:
                with open(path, "rb") as f:
                    _, tail_before = whole_lines(f.read())
            torn_file = path + ".torn"
            torn_size = (os.path.getsize(torn_file)
                         if os.path.exists(torn_file) else 0)
            delay = rng.uniform(0, 0.050)
            rc, out, err = run_driver(args, rng.random() < 0.75, delay,
                                      path if big else None)
            acks = []
            ready = torn_seen = False
            for line in out.decode("utf-8", "replace").splitlines():
                w = line.split()
                if w[:1] == ["ack"] and len(w) == 2:
                    acks.append(int(w[1]))
                elif w[:1] == ["ready"]:
                    ready = True
                elif w[:1] == ["torn"]:
                    torn_seen = True
            if rc not in (-signal.SIGKILL, 0):
                fail("reopen_failed", trial, "driver exit %s: %s" %
                     (rc, err.decode("utf-8", "replace").strip()))
            stats["acked"] += len(acks)
            if not os.path.exists(path):
                if acks:
                    fail("lost", trial, "no file but %d acks" % len(acks))
                stats["nofile"] += 1
                continue
            with open(path, "rb") as f:
                data = f.read()
            lines, tail = whole_lines(data)
            if tail or (lines and not lines[-1].startswith(b'{"v":1')):
                stats["torn_big" if big else "torn"] += 1
            if not data.startswith(before):
                fail("rewritten", trial, "the lines written before are "
                     "not a prefix of the file any more")
            # The last whole line may itself be a torn write that happens
            # to end in a newline byte of its own: leave a bad last line
            # to the reader, as rbnav does.
            good = lines
            if good:
                try:
                    json.loads(good[-1].decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    good = good[:-1]
            seqs = set()
            for raw in good:
                try:
                    seqs.add(json.loads(raw.decode("utf-8"))["seq"])
                except (ValueError, UnicodeDecodeError, KeyError):
                    pass
            missing = [s for s in acks if s not in seqs]
            if missing:
                fail("lost", trial, "acknowledged but not in the file: %s"
                     % missing[:10])
                stats["lost"] += len(missing) - 1
            why = check_chain(good)
            if why:
                fail("chain_bad", trial, why)
            v = subprocess.run([rbnav, "verify", path],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            if v.returncode != 0:
                fail("verify_failed", trial, "exit %d: %s" %
                     (v.returncode, v.stderr.decode("utf-8",
                                                    "replace").strip()))
            elif (tail or len(good) < len(lines)) and \
                    b"torn last line" not in v.stderr:
                fail("verify_failed", trial, "a torn tail not reported")
            # What "continue" set aside is the tail it found, whole.
            if exists and torn_seen and tail_before:
                with open(torn_file, "rb") as f:
                    f.seek(torn_size)
                    aside = f.read()
                if not aside.startswith(tail_before):
                    fail("torn_aside_bad", trial, ".torn did not get the "
                         "%d torn bytes" % len(tail_before))
            if ready and exists and tail_before and not torn_seen:
                fail("torn_aside_bad", trial, "the driver reopened the "
                     "file without seeing its torn tail")
            before = b"".join(l + b"\n" for l in good)
        # Keep the disk use small: one chain at a time.
        for name in os.listdir(d):
            os.unlink(os.path.join(d, name))
        os.rmdir(d)
    print("summary " + " ".join("%s=%d" % (k, v) for k, v in
                                stats.items()), flush=True)


if __name__ == "__main__":
    main()
