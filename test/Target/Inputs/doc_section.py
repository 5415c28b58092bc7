# Part of Yizhuang. Prints the lines of a document between
# "<!-- begin NAME -->" and "<!-- end NAME -->".
import sys

path, name = sys.argv[1], sys.argv[2]
lines = open(path).read().splitlines()
begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
try:
    start, stop = lines.index(begin), lines.index(end)
except ValueError:
    sys.exit(f"{path}: no section '{name}'")
print("\n".join(lines[start + 1:stop]))
