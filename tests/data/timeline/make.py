#!/usr/bin/env python3
# Regenerates the timeline fixtures of this directory: chained
# rbnav-timeline/v1 files (envelope first, prev = SHA-256 of the previous
# line) with fixed times, so that the golden exports are stable.
#
#   python3 tests/data/timeline/make.py      (from the top of the tree)
#
# The events and their keys are those incident.c and runner.c write;
# check.change and rto come ahead of the live checks that will write them.
import datetime
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def ts(start, t):
    d = start + datetime.timedelta(milliseconds=t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def write(name, start, events, drill=False):
    prev = "0" * 64
    out = []
    for seq, (t, op, type_, own) in enumerate(events, 1):
        ev = {"v": 1, "seq": seq, "ts": ts(start, t), "t": t, "op": op,
              "type": type_, "prev": prev}
        ev.update(own)
        if drill:
            ev["mode"] = "drill"
        line = json.dumps(ev, separators=(",", ":"), ensure_ascii=False)
        prev = hashlib.sha256(line.encode()).hexdigest()
        out.append(line + "\n")
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.writelines(out)


RB_SHA = hashlib.sha256(b"eriop-dr").hexdigest()

incident = [
    (0, "alice", "incident.start", {
        "incident": "20261126T021403Z-db-primary-down", "mode": "live",
        "runbook": "eriop-dr", "runbook_sha256": RB_SHA,
        "scenario": "db-primary-down",
        "title": "Primary database down | checkout <failing>",
        "host": "ops-1"}),
    (5, "alice", "scenario.enter", {"scenario": "db-primary-down"}),
    (10, "alice", "check.change", {"system": "postgres-primary",
        "from": "unknown", "to": "down", "detail": "connection refused"}),
    (12, "alice", "check.change", {"system": "checkout-api",
        "from": "unknown", "to": "degraded",
        "detail": {"status": 503, "latency_ms": 2400}}),
    (20, "alice", "check.change", {"system": "redis-cache",
        "from": "unknown", "to": "up", "detail": "PONG"}),
    (4000, "alice", "prerequisite", {"scenario": "db-primary-down",
        "item": "VPN to the data centre is up", "answer": "yes"}),
    (6000, "alice", "prerequisite", {"scenario": "db-primary-down",
        "item": "On-call DBA paged", "answer": "no"}),
    (6100, "alice", "step.enter", {"step": "check-replication"}),
    (30000, "alice", "var.set", {"name": "replica",
        "value": "db-replica-2"}),
    (31000, "alice", "var.set", {"name": "db_password",
        "value": "[REDACTED]"}),
    (32000, "alice", "command.start", {"step": "check-replication",
        "command": "psql -h db-replica-2 -c 'select pg_last_wal_replay_lsn()'",
        "cmd": "c1"}),
    (33500, "alice", "command.exit", {"cmd": "c1", "exit": 0, "ms": 1500,
        "output_file": "c1.log", "output_sha256": hashlib.sha256(b"c1").hexdigest(),
        "output_bytes": 96, "tail": [" pg_last_wal_replay_lsn ",
        "------------------------", " 3/9A0001F8", "(1 row)"],
        "expect": "matched"}),
    (34000, "alice", "step.done", {"step": "check-replication"}),
    (34010, "alice", "step.enter", {"step": "choose-path"}),
    (95000, "bob", "note", {"text": "Replica lag is 0 | safe to promote? "
        "`yes` per <dba> & **team** [link](http://x)"}),
    (100000, "bob", "incident.resume", {"reason": "crash"}),
    (120000, "bob", "decision", {"step": "choose-path",
        "choice": "Promote the replica", "goto": "promote-replica",
        "why": "primary disk is gone; replica is current"}),
    (120010, "bob", "step.done", {"step": "choose-path"}),
    (120020, "bob", "step.enter", {"step": "promote-replica"}),
    (150000, "bob", "confirm", {"step": "promote-replica", "answer": "yes",
        "typed": True}),
    (150100, "bob", "command.start", {"step": "promote-replica",
        "command": "PGPASSWORD=hunter2 pg_ctl promote -D /var/lib/postgresql/16/main",
        "cmd": "c2"}),
    (162100, "bob", "command.exit", {"cmd": "c2", "exit": 0, "ms": 12000,
        "output_file": "c2.log", "output_sha256": hashlib.sha256(b"c2").hexdigest(),
        "output_bytes": 154, "tail": [
        "waiting for server to promote.... done", "server promoted",
        "connect: postgres://app:Sup3rS3cret@db-replica-2:5432/app"]}),
    (170000, "bob", "check.change", {"system": "postgres-primary",
        "from": "down", "to": "up", "detail": "db-replica-2 accepts writes"}),
    (170001, "bob", "rto", {"system": "postgres-primary", "met": True,
        "ms": 170000}),
    (180000, "bob", "step.done", {"step": "promote-replica"}),
    (180010, "bob", "step.enter", {"step": "repoint-app"}),
    (200000, "alice", "note", {"text": "Rotated creds; old PGPASSWORD=hunter2 "
        "is dead.\nBackup URL was postgres://backup:Sup3rS3cret@db-backup:5432/app"}),
    (210000, "alice", "command.start", {"step": "repoint-app",
        "command": "kubectl rollout restart deploy/checkout # ```not a fence```",
        "cmd": "c3"}),
    (215000, "alice", "command.cancel", {"cmd": "c3", "signal": "TERM"}),
    (216000, "alice", "command.exit", {"cmd": "c3", "signal": "TERM",
        "ms": 6000, "output_file": "c3.log", "output_sha256":
        hashlib.sha256(b"c3").hexdigest(), "output_bytes": 20,
        "tail": ["Waiting for rollout\u2026 ````"]}),
    (216100, "alice", "step.fail", {"step": "repoint-app",
        "reason": "rollout stuck"}),
    (240000, "alice", "step.skip", {"step": "repoint-app",
        "reason": "done by hand with helm"}),
    (240010, "alice", "step.enter", {"step": "verify-checkout"}),
    (260000, "alice", "check.change", {"system": "checkout-api",
        "from": "degraded", "to": "down", "detail": "timeout"}),
    (300000, "alice", "check.change", {"system": "checkout-api",
        "from": "down", "to": "up",
        "detail": {"status": 200, "latency_ms": 85}}),
    (300001, "alice", "rto", {"system": "checkout-api", "met": False,
        "ms": 300000}),
    (310000, "alice", "check.change", {"system": "redis-cache",
        "from": "up", "to": "down", "detail": "OOM command not allowed"}),
    (320000, "alice", "confirm", {"step": "verify-checkout", "answer": "no",
        "typed": False}),
    (400000, "alice", "step.done", {"step": "verify-checkout"}),
    (2827000, "alice", "incident.end", {"outcome": "resolved",
        "summary": "Promoted db-replica-2; checkout back at 02:19 UTC.\n"
        "Follow-ups in the checklist.",
        "checklist": [
            {"item": "Rebuild the old primary as a replica", "done": True},
            {"item": "Post-mortem | schedule within 5 days", "done": False},
            {"item": "Rotate the app's DB password", "done": False}]}),
]

drill = [
    (0, "dana", "incident.start", {
        "incident": "20261127T093000Z-disk-full", "mode": "drill",
        "runbook": "eriop-dr", "runbook_sha256": RB_SHA,
        "scenario": "disk-full", "title": "Disk full on the WAL volume",
        "host": "laptop", "drill": "disk-full-drill"}),
    (3, "dana", "scenario.enter", {"scenario": "disk-full"}),
    (6, "dana", "step.enter", {"step": "check-space"}),
    (15000, "dana", "command.start", {"step": "check-space",
        "command": "df -h /var/lib/postgresql", "cmd": "c1",
        "simulated": True}),
    (16000, "dana", "command.exit", {"cmd": "c1", "exit": 0, "ms": 1000,
        "output_file": "c1.log", "output_sha256": hashlib.sha256(b"d").hexdigest(),
        "output_bytes": 80, "tail": ["/dev/sdb1  100G  100G  0  100% /var/lib/postgresql"]}),
    (20000, "erik", "note", {"text": "erik joined as observer"}),
]

escalated = [
    (0, "bob", "incident.start", {
        "incident": "20261120T120000Z-api-latency", "mode": "live",
        "runbook": "eriop-dr", "runbook_sha256": RB_SHA,
        "scenario": "api-latency", "title": "API latency above SLO",
        "host": "ops-2"}),
    (4, "bob", "scenario.enter", {"scenario": "api-latency"}),
    (8, "bob", "step.enter", {"step": "look-at-dashboards"}),
    (600000, "bob", "incident.end", {"outcome": "escalated",
        "summary": "Handed to the network team"}),
]

write("20261126T021403Z-db-primary-down.jsonl",
      datetime.datetime(2026, 11, 26, 2, 14, 3, 123000), incident)
write("20261127T093000Z-disk-full.jsonl",
      datetime.datetime(2026, 11, 27, 9, 30, 0, 7000), drill, drill=True)
write("20261120T120000Z-api-latency.jsonl",
      datetime.datetime(2026, 11, 20, 12, 0, 0, 0), escalated)
