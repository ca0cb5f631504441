#!/usr/bin/env python3
"""Checks that a manual page says what the binary's --help says.

Usage: manual_agrees.py BINARY MANPAGE(.gz)

Every word of `BINARY --help` must appear in the page (as help2man renders it: the same text,
with roff markup), and every --option the page names must be one --help names: a page made
from an older binary, or edited by hand, fails. Exit 0 when they agree, 1 with the differences.
"""
import gzip
import re
import subprocess
import sys

OPTION = re.compile(r"--[a-z][a-z0-9-]*")
ESCAPES = [("\\-", "-"), ("\\(aq", "'"), ("\\(ga", "`"), ("\\(dq", '"'), ("\\e", "\\"),
           ("\\&", ""), ("\\ ", " "), ("\\|", ""), ("\\^", ""), ("\\,", ""), ("\\/", "")]


def page_text(path):
    raw = (gzip.open if path.endswith(".gz") else open)(path, "rb").read().decode("utf-8")
    lines = []
    for line in raw.splitlines():
        if line.startswith('.\\"') or line.startswith("'\\\""):
            continue
        if line.startswith("."):
            # A request: drop its name, keep its arguments (.B --data, .SH OPTIONS).
            line = line.split(" ", 1)[1] if " " in line else ""
            line = line.replace('"', " ")
        line = re.sub(r"\\f[BIRP]|\\f\(..|\\f\[[A-Z]*\]", "", line)
        line = re.sub(r"\\\[u([0-9A-Fa-f]{4,5})\]", lambda m: chr(int(m.group(1), 16)), line)
        for a, b in ESCAPES:
            line = line.replace(a, b)
        lines.append(line)
    return "\n".join(lines)


def main():
    binary, page = sys.argv[1:3]
    help_text = subprocess.run([binary, "--help"], check=True, capture_output=True,
                               text=True).stdout
    text = page_text(page)
    page_words = set(text.split())
    missing = [w for w in dict.fromkeys(help_text.split()) if w not in page_words]
    extra = sorted(set(OPTION.findall(text)) - set(OPTION.findall(help_text)))
    if missing:
        print("in --help, not in %s: %s" % (page, " ".join(missing[:20])))
    if extra:
        print("options in %s that --help does not name: %s" % (page, " ".join(extra)))
    return 1 if missing or extra else 0


if __name__ == "__main__":
    sys.exit(main())
