"""repo_tap.py - what the repository checks (tests/repo/*.test) share: the
source and build trees they read, and TAP output.

CONFAB_SRCDIR and CONFAB_BUILDDIR are set by make check; run by hand, a
check reads the tree it sits in and that tree's build/ directory."""
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
srcdir = os.environ.get("CONFAB_SRCDIR") or os.path.normpath(os.path.join(_here, "..", ".."))
builddir = os.environ.get("CONFAB_BUILDDIR") or os.path.join(srcdir, "build")

_n = 0
_failed = 0


def result(good, name, diag=()):
    """One TAP line; each diag line follows as a comment (printed on failure
    only, where it says what to fix)."""
    global _n, _failed
    _n += 1
    print("%s %d - %s" % ("ok" if good else "not ok", _n, name))
    if not good:
        _failed += 1
        for line in diag:
            print("# " + line)


def done():
    """The plan; exits non-zero when anything failed."""
    print("1..%d" % _n)
    sys.exit(1 if _failed else 0)
