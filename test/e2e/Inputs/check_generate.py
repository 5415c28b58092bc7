#!/usr/bin/python3
"""Runs yz-generate on every case tiny_gpt.py printed and compares the
tokens with PyTorch's.

    check_generate.py REF.txt YZ_GENERATE STEP.o [PREFILL.o]

Prints "<case>: match (<n> tokens)" or "<case>: MISMATCH ..." per case,
then, for the prompt that fills the context, "<case> past the context:"
and yz-generate's error for one more token.
"""
# Part of Yizhuang.
import subprocess
import sys


def generate(tool, step, prefill, prompt, tokens):
    cmd = [tool, step, "--prompt", prompt, "--tokens", str(tokens)]
    if prefill:
        cmd += ["--prefill", prefill]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def main():
    ref, tool, step = sys.argv[1:4]
    prefill = sys.argv[4] if len(sys.argv) > 4 else ""
    for line in open(ref):
        name, prompt, *want = line.split()
        p = generate(tool, step, prefill, prompt, len(want))
        got = [l.split()[1:] for l in p.stdout.splitlines() if l.startswith("tokens:")]
        if p.returncode == 0 and got and got[0] == want:
            print(f"{name}: match ({len(want)} tokens)")
        else:
            print(f"{name}: MISMATCH (exit {p.returncode}) want {' '.join(want)} "
                  f"got {got} {p.stderr.strip()}")
        if name == "full":
            p = generate(tool, step, prefill, prompt, len(want) + 1)
            error = p.stderr.strip().splitlines()
            print(f"{name} past the context: exit {p.returncode}: "
                  f"{error[-1] if error else ''}")


if __name__ == "__main__":
    main()
