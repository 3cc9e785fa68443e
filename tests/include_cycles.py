#!/usr/bin/python3
"""Include cycles between the units of a C source directory.

  include_cycles.py [SRCDIR]      (default: src beside tests/)

For every unit X.c in SRCDIR, follows its #include "Y.h" lines, and those
of the headers they name, transitively (quoted includes only, resolved in
SRCDIR). Unit A depends on unit B when A reaches B.h; two units that
depend on each other are a cycle. Prints one line per cycle,

  cycle: A.c <-> B.c (A.c reaches B.h via A.c > ... > B.h; B.c reaches A.h via ...)

and exits 1 if there is any; prints nothing and exits 0 otherwise; exits
2 on bad usage or an unreadable directory.
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def includes(srcdir, name, cache):
    """The quoted includes of file NAME in SRCDIR that exist there."""
    if name not in cache:
        found = []
        try:
            with open(os.path.join(srcdir, name), encoding="utf-8",
                      errors="replace") as f:
                for line in f:
                    m = INCLUDE.match(line)
                    if m and os.path.isfile(os.path.join(srcdir, m.group(1))):
                        found.append(os.path.normpath(m.group(1)))
        except OSError:
            pass
        cache[name] = found
    return cache[name]


def reach(srcdir, unit, cache):
    """Every header UNIT reaches, each with the include path to it."""
    paths = {}
    todo = [(unit, [unit])]
    while todo:
        name, path = todo.pop(0)
        for inc in includes(srcdir, name, cache):
            if inc not in paths:
                paths[inc] = path + [inc]
                todo.append((inc, path + [inc]))
    return paths


def main(argv):
    if len(argv) > 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    srcdir = argv[1] if len(argv) == 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "src")
    try:
        units = sorted(n for n in os.listdir(srcdir) if n.endswith(".c"))
    except OSError as e:
        print("include_cycles.py: %s: %s" % (srcdir, e.strerror),
              file=sys.stderr)
        return 2
    cache = {}
    reached = {u: reach(srcdir, u, cache) for u in units}
    header = {u: u[:-2] + ".h" for u in units}
    cycles = 0
    for i, a in enumerate(units):
        for b in units[i + 1:]:
            ab = reached[a].get(header[b])
            ba = reached[b].get(header[a])
            if ab and ba:
                print("cycle: %s <-> %s (%s reaches %s via %s; "
                      "%s reaches %s via %s)" % (
                          a, b, a, header[b], " > ".join(ab),
                          b, header[a], " > ".join(ba)))
                cycles += 1
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
