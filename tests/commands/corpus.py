#!/usr/bin/env python3
"""Hostile variable values for injection.sh.

  corpus.py OUTDIR CANARY

Writes one file per value into OUTDIR (NNN.val, the raw bytes) and an
index (OUTDIR/index: "NNN TAGS NAME" per line, TAGS a comma-separated
list of: prompt — can be typed at a one-line prompt (valid UTF-8, no
control character, under 60 kB); big — over 100 kB).  Every value that
would run code if it were not quoted creates the file CANARY.  No value
contains NUL (the spec forbids it; injection.sh checks that separately).
"""

import os
import sys


def main():
    out, canary = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    touch = "touch " + canary
    vals = []

    def add(name, v):
        if isinstance(v, str):
            v = v.encode("utf-8")
        assert b"\0" not in v
        vals.append((name, v))

    # The example, and its relatives.
    add("issue example", "x'; %s; '" % touch)
    add("issue example, double quotes", 'x"; %s; "' % touch)
    add("escaped quote", "\\'; %s; \\'" % touch)
    add("quote-escape-quote", "'\\''; %s; '\\''" % touch)
    add("command substitution", "$(%s)" % touch)
    add("backticks", "`%s`" % touch)
    add("nested substitution", "$(echo $(%s))" % touch)
    add("arithmetic", "$((1+1))")
    add("parameter", "$HOME")
    add("parameter braces", "${HOME}")
    add("IFS", "${IFS}")
    add("positional", "$0 $1 $@ $* $# $? $$ $!")
    add("ansi-c quote", "$'\\x41'")
    add("default expansion", "${x:-$(%s)}" % touch)
    add("process substitution", "<(%s)" % touch)
    add("here-string", "<<< $(%s)" % touch)
    add("heredoc", "<<EOF\n$(%s)\nEOF" % touch)
    add("eval", "eval %s" % touch)
    add("brace expansion", "{a,b,c}")
    add("tilde", "~")
    add("tilde user", "~root")
    add("history", "!!")
    add("history event", "!-1 !touch")
    add("comment", "#not a comment ; %s" % touch)
    add("redirect out", "> pwned-file")
    add("redirect in", "< /etc/passwd")
    add("append", ">> pwned-file")
    add("fd dup", "2>&1")
    add("pipe stderr", "|& %s" % touch)
    add("background", "& %s &" % touch)
    add("subshell", "( %s )" % touch)
    add("group", "{ %s; }" % touch)
    add("function", "f() { %s; }; f" % touch)
    add("assignment", "PATH=/nonexistent")
    add("assignment prefix", "LD_PRELOAD=/tmp/x.so %s" % touch)

    # Separators, bare and inside each kind of quote.
    seps = [";", "|", "&", "&&", "||", "\n", ";;", "|&", "\r\n", ";\n"]
    for q in ["", "'", '"', "\\'", "'\"", "\"'"]:
        for s in seps:
            add("separator %r quoted %r" % (s, q),
                "x%s%s %s %s%s" % (q, s, touch, s, q))

    # Quotes alone and in piles.
    for v in ["'", "''", "'''", '"', '""', "'\"'\"'", "\\", "\\\\", "\\'",
              "\\\"", "'\\", "\\''", "a'b'c", 'a"b"c', "'$(x)'", '"$(x)"',
              "''''''''", "'" * 100, '"' * 100, "\\" * 101]:
        add("quotes %r" % v[:20], v)

    # Leading dashes: options to printf if they were not one argument
    # after the format.
    for v in ["-", "--", "-n", "-e", "-v x", "--help", "--version", "-%s",
              "-- %s" % touch, "-x'y", "-\n-"]:
        add("dash %r" % v, v)

    # Globs: the working directory has files, so an unquoted glob expands.
    for v in ["*", "?", "[*]", "[a-z]*", "/*", "../*", ".*", "**", "*.out",
              "out.*", "\\*", "[!x]", "{*,?}"]:
        add("glob %r" % v, v)

    # Whitespace.
    for v in [" ", "  ", "a b", "  a  b  ", "\t", "a\tb", "\n", "a\nb",
              "\n\n", "\r", "a\rb", "\r\n", "\x0b\x0c", " \t\n "]:
        add("whitespace %r" % v, v)

    # printf formats in the value (the value is the argument, not the
    # format).
    for v in ["%s", "%d", "%%", "%n", "%s%s%s%s", "\\n", "\\0", "\\x41",
              "%c%b", "%99999999s"]:
        add("format %r" % v, v)

    # Every control character (but NUL), alone and in text.
    for c in range(1, 32):
        add("control %02x" % c, "a%cb" % chr(c))
    add("DEL", "a\x7fb")
    add("escape sequence", "\x1b[31mred\x1b[0m\x1b]0;title\x07")

    # UTF-8, valid and not.
    for v in ["é", "日本語", "🚀", "e\u0301", "\u202eevil", "\ufeffbom",
              "\u00a0nbsp", "\u2028line sep", "x\u200by"]:
        add("utf-8 %r" % v, v)
    for b in [b"\xff", b"\xfe\xff", b"\xc3", b"\xc3(", b"\xe2\x82",
              b"\xe2\x28\xa1", b"\xf0\x90\x28\xbc", b"\xf8\xa1\xa1\xa1\xa1",
              b"\xed\xa0\x80", b"\xc0\xaf", b"a\x80b", b"'\xff'; " +
              touch.encode() + b"; '\xfe"]:
        add("invalid utf-8 %r" % b, b)

    # Mixtures.
    mix = "'\"`$(){}[]*?~!#&|;<>\\ \t%s" % touch
    for n in [1, 2, 3, 10]:
        add("mixture x%d" % n, mix * n)

    # Sizes: near and over the limits of a prompt (64 kB) and of one
    # argument to exec (128 kB), up to the spec's 1 MiB scalars.
    unit = "a'b\"c$(d)`e`;f|g*h?\\"
    for size in [1000, 10000, 60000, 100000, 140000, 1000000]:
        add("long %d" % size, (unit * (size // len(unit) + 1))[:size])

    with open(os.path.join(out, "index"), "w") as idx:
        for i, (name, v) in enumerate(vals):
            fn = os.path.join(out, "%03d.val" % i)
            with open(fn, "wb") as f:
                f.write(v)
            tags = []
            try:
                v.decode("utf-8")
                utf8 = True
            except UnicodeDecodeError:
                utf8 = False
            if (utf8 and len(v) < 60000 and
                    not any(c < 0x20 or c == 0x7f for c in v)):
                tags.append("prompt")
            if len(v) > 100000:
                tags.append("big")
            idx.write("%03d %s %s\n" % (i, ",".join(tags) or "-",
                                        name.replace("\n", "\\n")))
    print(len(vals))


if __name__ == "__main__":
    main()
