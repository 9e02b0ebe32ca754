#!/usr/bin/env python3
"""order.sh's reader of strace logs (strace -f -xx -s 100000 -o LOG).

usage: order-check.py live LOG JOURNAL STATEDIR COMMAND
       order-check.py export LOG OUTFILE
       order-check.py repair LOG JOURNAL TAILFILE

Prints one line per check, "ok|DESCRIPTION" or "not ok|DESCRIPTION|WHY";
order.sh turns them into TAP.  A call's place in the log is where strace
saw it end (its "resumed" line when it was interrupted by another
process's line), except execve, which counts from where it started.

live:   the journal's openat (O_CREAT) is followed by an fsync of the
        directory before the first event is written; every write of a
        line ({"v":1 ... \\n, one line, whole) to the journal's fd is
        followed by fdatasync of that fd before the next write; the
        writes put together are the file; the confirm line and the
        command.start line are written and fdatasync'd before the
        execve of /bin/sh for COMMAND.
export: -o writes a temporary file in the target's directory, fsyncs
        it, renames it over the target, then fsyncs the directory.
repair: resume of a file with a torn tail writes the tail to .torn and
        syncs it (and the directory when .torn is new) before it cuts
        the tail off the timeline, syncs the cut, and only then appends.
"""

import os
import re
import sys

CALL = re.compile(r"^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(.*)$")
STR = re.compile(r'"((?:\\x[0-9a-f]{2})*)"')


def unhex(s):
    return bytes(int(s[i + 2:i + 4], 16) for i in range(0, len(s), 4))


class Call:
    def __init__(self, idx, start, pid, name, args, ret, extra):
        self.idx, self.start, self.pid = idx, start, pid
        self.name, self.args, self.extra = name, args, extra
        self.ret = int(ret) if ret != "?" else None
        self.strings = [unhex(m) for m in STR.findall(args)]

    def fd(self):
        first = self.args.split(",", 1)[0].strip()
        return int(first) if first.isdigit() else None

    def __repr__(self):
        return "%s#%d" % (self.name, self.idx)


def parse(path):
    calls, pending = [], {}
    with open(path, encoding="latin-1") as f:
        for n, line in enumerate(f):
            line = line.rstrip("\n")
            m = re.match(r"^(\d+)\s+(.*)$", line)
            if not m:
                continue
            pid, rest = int(m.group(1)), m.group(2)
            if rest.startswith("---") or rest.startswith("+++"):
                continue
            if rest.endswith("<unfinished ...>"):
                pending[pid] = (n, rest[:-len("<unfinished ...>")].rstrip())
                continue
            start = n
            r = re.match(r"^<\.\.\. (\w+) resumed>(.*)$", rest)
            if r:
                if pid not in pending:
                    continue
                start, head = pending.pop(pid)
                rest = head + r.group(2)
            c = CALL.match(rest)
            if c:
                calls.append(Call(n, start, pid, *c.groups()))
    return calls


def report(good, desc, why=""):
    if good:
        print("ok|" + desc)
    else:
        print("not ok|" + desc + "|" + why)


def first(calls, pred, after=-1):
    for c in calls:
        if c.idx > after and pred(c):
            return c
    return None


def live(log, journal, statedir, command):
    calls = parse(log)
    jpath = os.path.abspath(journal).encode()
    sdir = os.path.abspath(statedir).encode()
    opens = [c for c in calls if c.name == "openat" and c.strings and
             c.strings[0] == jpath and "O_CREAT" in c.args]
    report(len(opens) == 1 and opens[0].ret is not None and
           opens[0].ret >= 0, "the journal is created once (openat with "
           "O_CREAT)", "%d such openat" % len(opens))
    if not opens:
        return
    op = opens[0]
    fd = op.ret
    report("O_APPEND" in op.args and "O_EXCL" in op.args,
           "it is opened O_APPEND (and O_EXCL)", op.args)
    writes = [c for c in calls if c.name == "write" and c.pid == op.pid and
              c.fd() == fd and c.idx > op.idx]
    syncs = [c for c in calls if c.name == "fdatasync" and c.fd() == fd and
             c.idx > op.idx]
    report(len(writes) > 0, "lines are written to the journal's fd %d" % fd)
    if not writes:
        return
    # The directory: opened, fsync'd, before the first line is written.
    dopen = [c for c in calls if c.name == "openat" and c.strings and
             c.strings[0].rstrip(b"/") == sdir and "O_DIRECTORY" in c.args
             and op.idx < c.idx < writes[0].idx]
    dsync = [c for c in calls if c.name == "fsync" and
             any(c.fd() == d.ret and d.idx < c.idx < writes[0].idx and
                 c.ret == 0 for d in dopen)]
    report(len(dsync) > 0, "the directory is fsync'd after the journal's "
           "openat and before its first line is written",
           "no fsync of an fd of %s in between" % sdir.decode())
    # Each write: one whole line, then fdatasync before the next write.
    bad_line = [w for w in writes if not w.strings or
                not w.strings[0].startswith(b'{"v":1,') or
                not w.strings[0].endswith(b"\n") or
                w.strings[0].count(b"\n") != 1 or
                w.ret != len(w.strings[0])]
    report(not bad_line, "every write to the journal is one whole line "
           "({\"v\":1 ... up to its newline), written in full",
           repr(bad_line[:3]))
    unsynced = []
    for i, w in enumerate(writes):
        nxt = writes[i + 1].start if i + 1 < len(writes) else 1 << 60
        if not any(w.idx < s.idx < nxt and s.ret == 0 for s in syncs):
            unsynced.append(i + 1)
    report(not unsynced, "every line's write is followed by fdatasync(%d) "
           "before the next write (%d lines)" % (fd, len(writes)),
           "lines without: %s" % unsynced[:10])
    data = open(journal, "rb").read()
    report(b"".join(w.strings[0] for w in writes if w.strings) == data,
           "the writes put together are the file: one write(2) per line",
           "%d writes, %d lines" % (len(writes), data.count(b"\n")))
    # confirm and command.start before the command's execve.
    execs = [c for c in calls if c.name == "execve" and
             len(c.strings) >= 4 and c.strings[0] == b"/bin/sh" and
             command.encode() in c.strings[3]]
    report(len(execs) == 1, "the confirmed command is started once "
           "(execve /bin/sh -c '%s…')" % command, "%d execve" % len(execs))
    if not execs:
        return
    ex = execs[0]
    for kind in ("confirm", "command.start"):
        ws = [w for w in writes if w.strings and
              b'"type":"%s"' % kind.encode() in w.strings[0]]
        if not ws:
            report(False, "the %s line is written" % kind, "no such write")
            continue
        w = ws[-1]
        s = first(syncs, lambda c: c.ret == 0, w.idx)
        report(w.idx < ex.start and s is not None and s.idx < ex.start,
               "the %s line is written and fdatasync'd before the execve "
               "of the command" % kind,
               "write at %d, fdatasync at %s, execve at %d" %
               (w.idx, s.idx if s else None, ex.start))


def export(log, outfile):
    calls = parse(log)
    out = os.path.abspath(outfile).encode()
    odir = os.path.dirname(out)
    ren = [c for c in calls if c.name == "rename" and len(c.strings) == 2
           and c.strings[1] == out and c.ret == 0]
    report(len(ren) == 1, "export -o renames a temporary file over the "
           "target", "%d renames" % len(ren))
    if not ren:
        return
    r = ren[0]
    tmp = r.strings[0]
    report(os.path.dirname(tmp) == odir, "the temporary file is in the "
           "target's directory", tmp.decode("utf-8", "replace"))
    topen = [c for c in calls if c.name == "openat" and c.strings and
             c.strings[0] == tmp and c.idx < r.idx]
    if not topen:
        report(False, "the temporary file is opened", "no openat")
        return
    tfd = topen[-1].ret
    tw = [c for c in calls if c.name == "write" and c.fd() == tfd and
          topen[-1].idx < c.idx < r.idx]
    ts = [c for c in calls if c.name == "fsync" and c.fd() == tfd and
          c.ret == 0 and (tw[-1].idx if tw else topen[-1].idx) < c.idx <
          r.idx]
    report(len(tw) > 0 and len(ts) > 0, "it is written and fsync'd "
           "before the rename", "%d writes, %d fsyncs" % (len(tw), len(ts)))
    dopen = [c for c in calls if c.name == "openat" and c.strings and
             c.strings[0].rstrip(b"/") == odir and c.idx > r.idx]
    ds = [c for c in calls if c.name == "fsync" and c.ret == 0 and
          any(c.fd() == d.ret and c.idx > d.idx for d in dopen)]
    report(len(ds) > 0, "the directory is fsync'd after the rename")


def repair(log, journal, tailfile):
    calls = parse(log)
    jpath = os.path.abspath(journal).encode()
    tpath = jpath + b".torn"
    tail = open(tailfile, "rb").read()
    aopen = [c for c in calls if c.name == "openat" and c.strings and
             c.strings[0] == tpath and c.ret is not None and c.ret >= 0]
    if not aopen:
        report(False, "the .torn file is opened", "no openat")
        return
    a = aopen[0]
    aw = [c for c in calls if c.name == "write" and c.fd() == a.ret and
          c.idx > a.idx]
    report(bool(aw) and b"".join(w.strings[0] for w in aw
                                 if w.strings).startswith(tail),
           "the torn bytes are written to .torn")
    if not aw:
        return
    asy = first(calls, lambda c: c.name == "fsync" and c.fd() == a.ret and
                c.ret == 0, aw[-1].idx)
    report(asy is not None, ".torn is fsync'd")
    cut = first(calls, lambda c: c.name == "ftruncate", a.idx)
    report(cut is not None and asy is not None and asy.idx < cut.idx,
           "… before the tail is cut off the timeline (ftruncate)",
           "fsync at %s, ftruncate at %s" %
           (asy.idx if asy else None, cut.idx if cut else None))
    if cut is None:
        return
    created = "O_CREAT" in a.args
    if created:
        tdir = os.path.dirname(tpath)
        dopen = [c for c in calls if c.name == "openat" and c.strings and
                 c.strings[0].rstrip(b"/") == tdir and a.idx < c.idx <
                 cut.idx]
        ds = [c for c in calls if c.name == "fsync" and c.ret == 0 and
              any(c.fd() == d.ret and d.idx < c.idx < cut.idx
                  for d in dopen)]
        report(len(ds) > 0, "the directory is fsync'd (a new .torn) before "
               "the cut")
    csync = first(calls, lambda c: c.name in ("fsync", "fdatasync") and
                  c.fd() == cut.fd() and c.ret == 0, cut.idx)
    reopen = [c for c in calls if c.name == "openat" and c.strings and
              c.strings[0] == jpath and "O_APPEND" in c.args and
              c.idx > cut.idx]
    w1 = None
    if reopen:
        w1 = first(calls, lambda c: c.name == "write" and
                   c.fd() == reopen[0].ret, reopen[0].idx)
    report(csync is not None and w1 is not None and csync.idx < w1.idx,
           "the cut is synced before the first new line is appended",
           "sync at %s, first write at %s" %
           (csync.idx if csync else None, w1.idx if w1 else None))


def main():
    mode = sys.argv[1]
    if mode == "live":
        live(*sys.argv[2:6])
    elif mode == "export":
        export(*sys.argv[2:4])
    elif mode == "repair":
        repair(*sys.argv[2:5])
    else:
        sys.exit("order-check.py: unknown mode %s" % mode)


if __name__ == "__main__":
    main()
