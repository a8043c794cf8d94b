"""wrk_result - reads what `wrk --latency` printed, for the bench scripts.

parse(path) -> (ok, req_per_s, p50_ms, p99_ms, max_ms, requests, failed):
failed counts non-2xx/3xx answers and socket errors; ok is False (and the
numbers 0) when the output holds no latency table, which is then copied
to stderr."""
import re
import sys


def _ms(value):
    n, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse(path):
    t = open(path).read()
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    failed = (int(bad.group(1)) if bad else 0) + (sum(map(int, err.groups())) if err else 0)
    try:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
        p50 = _ms(re.search(r"(?m)^\s+50%\s+(\S+)", t).group(1))
        p99 = _ms(re.search(r"(?m)^\s+99%\s+(\S+)", t).group(1))
        mx = _ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", t).group(1))
        total = int(re.search(r"(\d+) requests in", t).group(1))
    except AttributeError:
        sys.stderr.write(t)
        return False, 0.0, 0.0, 0.0, 0.0, 0, failed
    return True, rps, p50, p99, mx, total, failed
