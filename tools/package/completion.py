#!/usr/bin/env python3
"""Writes a bash completion for one command from its --help text (run at build time).

Usage: completion.py NAME HELP_FILE OUT_FILE

The --help text is the one list of commands and options (it is also what the manual page is
made from), so the completion cannot offer a command that does not exist. In the help text a
line "  verb [sub] ..." indented by two spaces names a command (sub: a lowercase word right after
it), lines indented further continue it, and an option followed by a placeholder in the same
phrase ("--data DIR", "--kind a|b") takes a value. A phrase ends at two spaces or a "(".
"""
import re
import sys

OPTION = re.compile(r"--[a-z][a-z0-9-]*")
WORD = re.compile(r"^[a-z][a-z0-9-]*$")


def phrases(line):
    for part in re.split(r" {2,}", line.strip()):
        words = []
        for w in part.split(" "):
            if w.startswith("("):
                break
            words.append(w)
        yield words


def scan_options(line, options, valued):
    for words in phrases(line):
        for i, w in enumerate(words):
            for m in OPTION.finditer(w):
                options.add(m.group(0))
            bare = w.lstrip("[") if OPTION.fullmatch(w.lstrip("[")) else None
            if bare and i + 1 < len(words) and words[i + 1][:1] not in ("-", "[", "(", "|", ""):
                valued.add(bare)


def parse(text):
    commands = {}  # verb -> {sub or "": set of options}
    global_opts, valued = set(), set()
    current = None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        words = line.split()
        if not words:
            continue
        if line.startswith("usage:") or (indent > 2 and current is None):
            scan_options(line, global_opts, valued)
            continue
        if indent == 2 and WORD.match(words[0]):
            verb = words[0]
            sub = words[1] if len(words) > 1 and WORD.match(words[1]) else ""
            current = commands.setdefault(verb, {}).setdefault(sub, set())
            scan_options(line, current, valued)
        elif indent == 2 and words[0].startswith("--"):
            current = None
            scan_options(line, global_opts, valued)
        elif indent > 2 and current is not None:
            scan_options(line, current, valued)
        else:
            current = None
    return commands, global_opts, valued


def words(items):
    return " ".join(sorted(items))


def render(name, commands, global_opts, valued):
    fn = "_shelterkit_" + re.sub(r"[^a-z0-9]", "_", name)
    out = [
        "# bash completion for %s, generated from `%s --help` at build time." % (name, name),
        "%s() {" % fn,
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
        "  local verb='' sub='' i w",
        "  local valued=' %s '" % words(valued),
        "  local -A subs=(%s)" % " ".join(
            "[%s]='%s'" % (v, words(s for s in subs if s)) for v, subs in sorted(commands.items())
            if any(subs)),
        "  local -A opts=(%s)" % " ".join(
            "['%s']='%s'" % ((v + " " + s).strip(), words(o)) for v, subs in sorted(commands.items())
            for s, o in sorted(subs.items())),
        "  if [[ $valued == *\" $prev \"* ]]; then",
        "    COMPREPLY=($(compgen -f -- \"$cur\"))",
        "    return",
        "  fi",
        "  for ((i = 1; i < COMP_CWORD; i++)); do",
        "    w=${COMP_WORDS[i]}",
        "    if [[ $valued == *\" $w \"* ]]; then ((i++)); continue; fi",
        "    [[ $w == -* ]] && continue",
        "    if [[ -z $verb ]]; then verb=$w",
        "    elif [[ -z $sub && \" ${subs[$verb]-} \" == *\" $w \"* ]]; then sub=$w; fi",
        "  done",
        "  local global='%s'" % words(global_opts),
        "  if [[ $cur == -* ]]; then",
        "    local key=$verb${sub:+ $sub}",
        "    COMPREPLY=($(compgen -W \"$global ${opts[${key:-_}]-}\" -- \"$cur\"))",
        "  elif [[ -z $verb ]]; then",
        "    COMPREPLY=($(compgen -W '%s' -- \"$cur\"))" % words(commands),
        "  elif [[ -z $sub && -n ${subs[$verb]-} ]]; then",
        "    COMPREPLY=($(compgen -W \"${subs[$verb]}\" -- \"$cur\"))",
        "  else",
        "    COMPREPLY=($(compgen -f -- \"$cur\"))",
        "  fi",
        "}",
        "complete -F %s %s" % (fn, name),
        "",
    ]
    return "\n".join(out)


def main():
    name, help_file, out_file = sys.argv[1:4]
    with open(help_file, encoding="utf-8") as f:
        commands, global_opts, valued = parse(f.read())
    with open(out_file, "w", encoding="utf-8") as f:
        f.write(render(name, commands, global_opts, valued))


if __name__ == "__main__":
    main()
