#!/usr/bin/python3
"""Writes a man page for a Yizhuang tool from its own --help and --version.

    make_man.py TOOL OUT.1

The OVERVIEW line becomes the NAME, USAGE the SYNOPSIS, the text between
them and the options the DESCRIPTION, and every option (an indented line
starting with "-", its description after two or more spaces, continuation
lines below) an entry of OPTIONS. docs/tools.md has the full reference.
"""
# Part of Yizhuang.
import os
import re
import subprocess
import sys


def esc(text):
    return text.replace("\\", "\\\\").replace("-", "\\-")


def main():
    tool, out = sys.argv[1], sys.argv[2]
    name = os.path.basename(tool)
    text = subprocess.run([tool, "--help"], capture_output=True, text=True,
                          check=True).stdout
    version = subprocess.run([tool, "--version"], capture_output=True,
                             text=True, check=True).stdout.splitlines()[0]
    overview = usage = ""
    description, options = [], []
    section = None
    for line in text.splitlines():
        if line.startswith("OVERVIEW:"):
            overview = line[len("OVERVIEW:"):].strip()
            section = "description"
        elif line.startswith("USAGE:"):
            usage = line[len("USAGE:"):].strip()
            section = None
        elif line.startswith("OPTIONS:"):
            section = "options"
        elif section == "description":
            description.append(line)
        elif section == "options" and line.strip():
            m = re.match(r"^\s+(-\S.*?)(?:\s{2,}-\s(.*)|\s{2,}(.*))?$", line)
            if m and line.lstrip().startswith("-"):
                options.append([m.group(1).strip(), (m.group(2) or m.group(3) or "").strip()])
            elif options and line.startswith(" "):
                options[-1][1] += " " + line.strip().lstrip("- ").strip()
            elif not line.startswith(" "):
                options.append([None, line.strip()])  # a category heading
    lines = [f'.TH {name.upper()} 1 "" "{esc(version)}" "Yizhuang"',
             ".SH NAME", f"{esc(name)} \\- {esc(overview)}",
             ".SH SYNOPSIS", f".B {esc(usage)}", ".SH DESCRIPTION"]
    para = []
    for line in description + [""]:
        if line.strip():
            para.append(esc(line.strip()))
        elif para:
            lines += [".PP"] + para
            para = []
    lines.append(".SH OPTIONS")
    for flag, desc in options:
        if flag is None:
            lines += [".SS " + esc(desc.rstrip(":"))]
        else:
            lines += [".TP", f".B {esc(flag)}", esc(desc)]
    lines += [".SH SEE ALSO",
              "The full reference is docs/tools.md (installed under "
              "share/doc/yizhuang)."]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
