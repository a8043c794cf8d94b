"""stmt_count - MariaDB statement counters around HTTP requests, for
tests/integration/statements.test and bench/run.

Counters come from SHOW GLOBAL STATUS (a fresh root connection of the
mariadb client per snapshot). What one snapshot itself adds to the
counters is learnt by taking snapshots around an empty interval (the
"baseline") and subtracted from every later delta.

  python3 stmt_count.py SOCKET snapshot          -> prints the counters as JSON
  python3 stmt_count.py SOCKET baseline          -> one snapshot's own share, as JSON
  python3 stmt_count.py SOCKET diff A.json B.json BASELINE.json N
                                                 -> per-request figures as JSON
As a module: Counter(socket), counter.snapshot(), counter.delta(a, b)."""
import json
import subprocess
import sys

NAMES = ("Questions", "Com_stmt_execute", "Com_stmt_prepare", "Com_select", "Com_insert", "Com_insert_select",
         "Com_update", "Com_delete", "Com_replace", "Com_begin", "Com_commit", "Com_rollback",
         "Com_show_status", "Com_set_option", "Sort_rows",
         "Handler_read_first", "Handler_read_key", "Handler_read_last", "Handler_read_next",
         "Handler_read_prev", "Handler_read_rnd", "Handler_read_rnd_next")
WRITES = ("Com_insert", "Com_insert_select", "Com_update", "Com_delete", "Com_replace")
TX = ("Com_begin", "Com_commit", "Com_rollback")


class Counter:
    def __init__(self, socket):
        self.socket = socket
        self.baseline = None

    def raw(self):
        q = "SHOW GLOBAL STATUS WHERE Variable_name IN (%s)" % ", ".join("'%s'" % n for n in NAMES)
        out = subprocess.run(["mariadb", "--no-defaults", "-S", self.socket, "-uroot", "-N", "-B", "-e", q],
                             check=True, capture_output=True, text=True).stdout
        vals = dict((k, int(v)) for k, v in (line.split("\t") for line in out.splitlines() if line))
        return dict((n, vals.get(n, 0)) for n in NAMES)

    def learn_baseline(self, rounds=5):
        """What a snapshot adds by itself: the smallest delta of an empty
        interval (the server is idle but for our snapshots)."""
        deltas = []
        prev = self.raw()
        for _ in range(rounds):
            cur = self.raw()
            deltas.append(dict((n, cur[n] - prev[n]) for n in NAMES))
            prev = cur
        self.baseline = dict((n, min(d[n] for d in deltas)) for n in NAMES)
        self.baseline_spread = max(sum(d.values()) for d in deltas) - min(sum(d.values()) for d in deltas)
        return self.baseline

    def snapshot(self):
        return self.raw()

    def delta(self, a, b):
        """b - a less one snapshot's own share."""
        base = self.baseline or dict((n, 0) for n in NAMES)
        return dict((n, b[n] - a[n] - base[n]) for n in NAMES)


def per_request(d, n):
    """The figures the test asserts, per request:
    statements  client round trips that ran a statement (Questions: text
                queries and COM_STMT_EXECUTE; prepares are not counted);
    reads       SELECT statements, prepared or not (Com_select; MariaDB
                counts a prepared SELECT's execution there too);
    writes      INSERT / UPDATE / DELETE / REPLACE, tx  BEGIN/COMMIT/ROLLBACK;
    executes    Com_stmt_execute; prepares  Com_stmt_prepare;
    sorted      rows MariaDB sorted (Sort_rows);
    rows_read   index and table rows the handlers read (Handler_read_*):
                a cost that grows with the data a statement walks, where
                a count of statements cannot see it."""
    f = lambda x: x / float(n)
    return {
        "statements": f(d["Questions"]),
        "reads": f(d["Com_select"]),
        "writes": f(sum(d[k] for k in WRITES)),
        "tx": f(sum(d[k] for k in TX)),
        "executes": f(d["Com_stmt_execute"]),
        "prepares": f(d["Com_stmt_prepare"]),
        "sorted": f(d["Sort_rows"]),
        "rows_read": f(sum(d[k] for k in NAMES if k.startswith("Handler_read_"))),
        "other": f(d["Questions"] - d["Com_select"] - sum(d[k] for k in WRITES) - sum(d[k] for k in TX)),
    }


if __name__ == "__main__":
    c = Counter(sys.argv[1])
    if sys.argv[2] == "snapshot":
        print(json.dumps(c.raw()))
    elif sys.argv[2] == "baseline":
        print(json.dumps(c.learn_baseline()))
    elif sys.argv[2] == "diff":
        a, b, base = (json.load(open(p)) for p in sys.argv[3:6])
        c.baseline = base
        print(json.dumps(per_request(c.delta(a, b), max(int(sys.argv[6]), 1))))
