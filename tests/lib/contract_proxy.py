#!/usr/bin/env python3
"""contract_proxy.py --upstream URL --dir DIR --port-file FILE: a recording
reverse proxy on 127.0.0.1 for the tests whose requests come from Node or
python programs (the OpenAI clients, the widget in Chromium, the OAuth
flows). Each request is sent on to the web server at URL unchanged but for
Connection (one exchange per connection: "close" both ways), the answer is
relayed to the client as it arrives (SSE streams stay streams), and the
exchange is written under DIR as a curl --trace file
(tests/lib/contract_trace.py) for done_testing's contract check. Runs until
killed (scripts/lib/stack.sh: stack_contract_proxy_start, stack_down)."""
import argparse
import os
import socket
import socketserver
import sys
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_trace  # noqa: E402

HEAD_MAX = 64 * 1024            # a request or response header block
BODY_MAX = 64 * 1024 * 1024     # a request body (uploads are a few MiB)
RECORD_MAX = 8 * 1024 * 1024    # of an answer's bytes kept for the check
IDLE = 120                      # seconds without a byte, either side


def read_head(sock, buf):
    """(head with its blank line, rest) or (None, buf) at EOF or too long."""
    while b"\r\n\r\n" not in buf:
        if len(buf) > HEAD_MAX:
            return None, buf
        piece = sock.recv(65536)
        if not piece:
            return None, buf
        buf += piece
    head, _, rest = buf.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n", rest


def read_exact(sock, buf, n):
    while len(buf) < n:
        piece = sock.recv(65536)
        if not piece:
            raise ConnectionError("client closed inside the body")
        buf += piece
    return buf[:n], buf[n:]


def read_line(sock, buf, what):
    """(one CRLF-ended line without its CRLF, the rest)."""
    while b"\r\n" not in buf:
        if len(buf) > HEAD_MAX:
            raise ConnectionError(f"{what} too long")
        piece = sock.recv(65536)
        if not piece:
            raise ConnectionError(f"client closed inside {what}")
        buf += piece
    line, _, rest = buf.partition(b"\r\n")
    return line, rest


def read_chunked(sock, buf):
    """The raw chunked body (sizes, data, trailers) and what follows it."""
    out = bytearray()
    while True:
        line, buf = read_line(sock, buf, "a chunk size")
        out += line + b"\r\n"
        size = int(line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            while line:             # trailers up to the empty line
                line, buf = read_line(sock, buf, "the trailers")
                out += line + b"\r\n"
            return bytes(out), buf
        data, buf = read_exact(sock, buf, size + 2)
        out += data
        if len(out) > BODY_MAX:
            raise ConnectionError("request body over the proxy's limit")


def with_connection_close(head):
    """The header block with its Connection (and Keep-Alive) replaced by
    Connection: close; also drops Expect (answered by the proxy)."""
    lines = head.rstrip(b"\r\n").split(b"\r\n")
    kept = [lines[0]] + [l for l in lines[1:]
                         if l.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive", b"expect")]
    return b"\r\n".join(kept + [b"Connection: close"]) + b"\r\n\r\n"


def header(head, name):
    for l in head.split(b"\r\n")[1:]:
        k, sep, v = l.partition(b":")
        if sep and k.strip().lower() == name:
            return v.strip()
    return None


class Proxy(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        client = self.request
        client.settimeout(IDLE)
        try:
            head, rest = read_head(client, b"")
            if head is None:
                return
            if (header(head, b"expect") or b"").lower() == b"100-continue":
                client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            te = (header(head, b"transfer-encoding") or b"").lower()
            if b"chunked" in te:
                body, _ = read_chunked(client, rest)
            else:
                n = int(header(head, b"content-length") or b"0")
                if n > BODY_MAX:
                    return
                body, _ = read_exact(client, rest, n)
        except (OSError, ValueError, ConnectionError):
            return
        self.relay(client, with_connection_close(head), body)

    def relay(self, client, head, body):
        up_host, up_port = self.server.upstream
        recorded = bytearray()
        try:
            upstream = socket.create_connection((up_host, up_port), timeout=IDLE)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        try:
            upstream.sendall(head + body)
            pending = b""           # bytes of a response head not yet whole
            in_body = False
            while True:
                piece = upstream.recv(65536)
                if not piece:
                    break
                if len(recorded) < RECORD_MAX:
                    recorded += piece
                if in_body:
                    client.sendall(piece)
                    continue
                pending += piece
                # pass 1xx heads through; the final head gets Connection: close
                while not in_body and b"\r\n\r\n" in pending:
                    h, _, pending = pending.partition(b"\r\n\r\n")
                    h += b"\r\n\r\n"
                    status = h.split(b" ", 2)[1:2]
                    if status and status[0][:1] == b"1":
                        client.sendall(h)
                        continue
                    in_body = True
                    client.sendall(with_connection_close(h) + pending)
                    pending = b""
                if not in_body and len(pending) > HEAD_MAX:
                    break
        except OSError:
            pass                    # either side hung up: record what came
        finally:
            upstream.close()
            if recorded:
                contract_trace.write(self.server.directory, head, bytes(recorded))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.upstream)
    server = Proxy(("127.0.0.1", 0), Handler)
    server.upstream = (u.hostname, u.port or 80)
    server.directory = a.dir
    tmp = a.port_file + ".part"
    with open(tmp, "w") as fh:
        fh.write(str(server.server_address[1]))
    os.rename(tmp, a.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
