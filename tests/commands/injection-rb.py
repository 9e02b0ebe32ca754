#!/usr/bin/env python3
"""Runbooks for injection.sh: one step per value, `printf '%s' {{vK}}`.

  injection-rb.py prompt OUT.yaml VALUEFILE...
      variables v1..vN without a default: each is typed (pasted) at the
      prompt when its step is run;
  injection-rb.py default OUT.yaml VALUEFILE...
      variables d1..dN whose default is the value (a YAML double-quoted
      scalar with escapes), for what a one-line prompt cannot take:
      newlines, control characters, a megabyte.

Step K writes its value to out.K in the working directory.
"""

import sys


def yq(b):
    """bytes (valid UTF-8) as a YAML double-quoted scalar."""
    s = b.decode("utf-8")
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif c < 0x20 or c == 0x7f or 0x80 <= c < 0xa0:
            out.append("\\x%02x" % c)
        elif c in (0x2028, 0x2029, 0xfeff):
            out.append("\\u%04x" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def main():
    mode, path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    name = "v" if mode == "prompt" else "d"
    lines = ["format: rbnav/v1", "id: cmd-injection-%s" % mode,
             "title: Hostile values (%s)" % mode, "variables:"]
    for k, f in enumerate(files, 1):
        lines.append("  %s%d:" % (name, k))
        lines.append("    prompt: value %d" % k)
        if mode == "default":
            with open(f, "rb") as fh:
                lines.append("    default: " + yq(fh.read()))
    lines += ["scenarios:", "  - id: values", "    title: Values",
              "    steps:"]
    for k in range(1, len(files) + 1):
        lines.append("      - id: s%d" % k)
        lines.append("        title: Value %d" % k)
        lines.append("        run: printf '%%s' {{%s%d}} > out.%d" %
                     (name, k, k))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
