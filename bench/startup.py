#!/usr/bin/env python3
"""Startup benchmark: exec to the first complete frame in a 100x30 pty.

For rbnav (the picker on the bundled runbooks) and, in the same run, for
`less` opening the seed document, the time from fork to the moment the
last piece of the first screen is on the terminal: for rbnav the hint
line ("q quit"), for less the end of its first page (its prompt, a line
of its own at the bottom).  Best and median of N runs each; then the
resident memory of rbnav left idle on the picker for a second.

rbnav starts as an operator's rbnav does, with the YAML cache its
previous start wrote (~/.cache/rbnav/ytree.cache, under BENCH_HOME); the
same run also times it with RBNAV_NO_CACHE=1, every file parsed, as on
the first start after a runbook changed.

For scale, in the same run: bench/yaml-scan.c (libyaml's event parser
over the same runbook files, nothing else; the least any YAML-based
loader must do), from fork to exit, when a C compiler is there.
"""
import fcntl, glob, os, pty, select, shutil, signal, statistics, struct
import subprocess, sys, tempfile, termios, time

ROWS, COLS = 30, 100


def run(argv, marker, env, timeout=10.0):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    t0 = time.monotonic()
    buf = b""
    done = None
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            buf += data
            if done is None and marker in buf:
                done = time.monotonic() - t0
                break
    return pid, fd, done


def stop(pid, fd, keys=b"q"):
    try:
        os.write(fd, keys)
    except OSError:
        pass
    end = time.monotonic() + 2
    while time.monotonic() < end:
        p, _ = os.waitpid(pid, os.WNOHANG)
        if p == pid:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def yaml_scan_floor(runs):
    """Median ms of yaml-scan over the bundled runbooks, or None."""
    cc = shutil.which("cc")
    if cc is None or shutil.which("pkg-config") is None:
        return None
    out = os.path.join(tempfile.mkdtemp(prefix="rbnav-bench-"), "yaml-scan")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "yaml-0.1"],
                           capture_output=True, text=True).stdout.split()
    if subprocess.run([cc, "-O2", "-o", out, "bench/yaml-scan.c"] + flags,
                      capture_output=True).returncode != 0:
        return None
    files = sorted(glob.glob("runbooks/*.yaml") +
                   glob.glob("runbooks/drills/*.yaml"))
    times = []
    for _ in range(runs):
        t0 = time.monotonic()
        subprocess.run([out] + files, stdout=subprocess.DEVNULL)
        times.append(time.monotonic() - t0)
    return statistics.median(times) * 1000


def main():
    rbnav = os.environ.get("RBNAV", "./src/rbnav")
    seed = os.environ.get("SEED", "tests/data/import/disaster-recovery.md")
    runs = int(os.environ.get("BENCH_RUNS", "20"))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
               HOME=os.environ.get("BENCH_HOME", "/tmp/rbnav-bench-home"),
               LESS="", LESSOPEN="", LESSHISTFILE="-")
    os.makedirs(env["HOME"], exist_ok=True)
    cold = dict(env, RBNAV_NO_CACHE="1")
    times = {"rbnav": [], "cold": [], "less": []}
    # The cache as the previous start leaves it.
    pid, fd, t = run([rbnav, "-r", "runbooks"], b"q quit", env)
    stop(pid, fd)
    for _ in range(runs):
        pid, fd, t = run([rbnav, "-r", "runbooks"], b"q quit", env)
        stop(pid, fd)
        if t is not None:
            times["rbnav"].append(t)
        pid, fd, t = run([rbnav, "-r", "runbooks"], b"q quit", cold)
        stop(pid, fd)
        if t is not None:
            times["cold"].append(t)
        pid, fd, t = run(["less", seed], b"\x1b[7m", env)
        if t is None:
            pid2 = pid
        stop(pid, fd)
        if t is not None:
            times["less"].append(t)
    for k, v in times.items():
        if not v:
            print(f"{k}: no complete frame seen")
            return 1
        print(f"{k:6s} best {min(v)*1000:7.1f} ms  median "
              f"{statistics.median(v)*1000:7.1f} ms  ({len(v)} runs)")
    ratio = statistics.median(times["rbnav"]) / statistics.median(times["less"])
    print(f"ratio (median rbnav / median less): {ratio:.2f} "
          f"(goal <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    print(f"without the cache (cold / less): "
          f"{statistics.median(times['cold']) / statistics.median(times['less']):.2f}")
    floor = yaml_scan_floor(runs)
    if floor is not None:
        print(f"for scale: libyaml alone over the same runbooks, fork to "
              f"exit: median {floor:.1f} ms "
              f"({floor / (statistics.median(times['less']) * 1000):.2f} "
              f"times less)")
    pid, fd, t = run([rbnav, "-r", "runbooks"], b"q quit", env)
    time.sleep(1.0)
    print(f"idle RSS of rbnav on the picker: {rss_kb(pid)} kB")
    stop(pid, fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
