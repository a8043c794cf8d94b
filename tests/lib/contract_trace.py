"""contract_trace.py - writes one HTTP exchange as a curl --trace file, the
format tests/lib/check_exchanges.py reads, for the programs of the tests
that do not go through curl (tests/lib/contract_proxy.py, the raw sockets
of webserver_errors.test). A trace holds the request's header block and,
per response (a 1xx, then the final one), one section per header line and
the body as received (chunked stays chunked)."""
import os
import time


def _section(fh, arrow, kind, data):
    fh.write(f"{arrow} {kind}, {len(data)} bytes (0x{len(data):x})\n")
    for off in range(0, len(data), 16):
        piece = data[off:off + 16]
        hexpart = " ".join(f"{b:02x}" for b in piece)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in piece)
        fh.write(f"{off:04x}: {hexpart:<48}{text}\n")


def _responses(raw):
    """[(header lines, body)] of a raw response stream: 1xx heads first."""
    out = []
    while raw:
        head, sep, rest = raw.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = lines[0].split(b" ")
        informational = len(status) > 1 and status[1][:1] == b"1" and sep
        if informational:
            out.append((lines, b""))
            raw = rest
            continue
        out.append((lines, rest))
        break
    return out


def write(directory, request_head, response):
    """Writes the exchange (the request's header block up to and with its
    blank line, the raw response bytes) into a new file under directory."""
    os.makedirs(directory, exist_ok=True)
    name = f"py.{os.getpid()}.{time.monotonic_ns()}.{os.urandom(4).hex()}.trace"
    tmp = os.path.join(directory, name + ".part")
    with open(tmp, "w", encoding="latin-1") as fh:
        fh.write("== Info: recorded by tests/lib/contract_trace.py\n")
        _section(fh, "=>", "Send header", request_head)
        for lines, body in _responses(response):
            for line in lines:
                _section(fh, "<=", "Recv header", line + b"\r\n")
            _section(fh, "<=", "Recv header", b"\r\n")
            if body:
                _section(fh, "<=", "Recv data", body)
    os.rename(tmp, os.path.join(directory, name))   # the checker sees whole files only
