#!/usr/bin/env python3
"""hostile.py - a bounded attack client for the flood tests and the bench
(issue 15): it holds many connections the way a hostile client would, on
loopback only, and stops by itself after --seconds.

HTTP kinds (against --url, the web server in front of confabd), each with
--conns connections that reconnect until the time is up:
  longpoll  GET --path (a chat-task poll with ?wait=) again and again
  slowbody  POST --path announcing Content-Length 1000, then one byte a second
  slowread  GET --path (a large response) with a tiny receive buffer, reading nothing
FastCGI kinds (straight to confabd's socket --socket, one request):
  fcgi-trickle  a POST whose JSON body comes one byte a second; prints the
                status confabd answered (0 = it closed the connection) and
                the seconds it took
  fcgi-post     a POST of --body-file at --rate bytes a second; prints the status
  fcgi-slowread a GET of --path (a POST of --body-file if given) that reads nothing for --seconds, then
                prints how many response bytes arrived before confabd
                closed the connection (and whether it did)
Prints one JSON object with counts at the end.
"""
import argparse
import json
import random
import socket
import struct
import threading
import time
import urllib.parse


def http_target(url):
    u = urllib.parse.urlparse(url)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("hostile.py: loopback only")
    return u.hostname, u.port or 80


def request_bytes(method, path, host, headers, body_len=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host, "Connection: close"]
    lines += headers
    if body_len is not None:
        lines += ["Content-Type: application/json", "Content-Length: %d" % body_len]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.c = {"connections": 0, "answered": 0, "closed_by_server": 0, "errors": 0}

    def add(self, key, n=1):
        with self.lock:
            self.c[key] = self.c.get(key, 0) + n


def connect(addr, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(30)
    s.connect(addr)
    return s


def read_all(s, deadline):
    data = b""
    while time.time() < deadline:
        s.settimeout(max(0.1, deadline - time.time()))
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def attack_longpoll(a, addr, counts, end):
    while time.time() < end:
        try:
            s = connect(addr)
            counts.add("connections")
            s.sendall(request_bytes("GET", a.path, a.host_header, a.header))
            data = read_all(s, end + 30)
            s.close()
            counts.add("answered" if data.startswith(b"HTTP/1.") else "errors")
            time.sleep(a.pause)
        except OSError:
            counts.add("errors")
            time.sleep(0.2)


def attack_slowbody(a, addr, counts, end):
    while time.time() < end:
        try:
            s = connect(addr)
            counts.add("connections")
            s.sendall(request_bytes("POST", a.path, a.host_header, a.header, body_len=1000))
            s.setblocking(False)
            sent = 0
            closed = False
            while time.time() < end and sent < 999:
                try:
                    if s.recv(65536) == b"":
                        closed = True
                        break
                    counts.add("answered")
                except BlockingIOError:
                    pass
                try:
                    s.send(b" ")
                    sent += 1
                except OSError:
                    closed = True
                    break
                time.sleep(1)
            if closed:
                counts.add("closed_by_server")
            s.close()
        except OSError:
            counts.add("errors")
            time.sleep(0.2)


def attack_slowread(a, addr, counts, end):
    time.sleep(random.uniform(0, a.hold))   # the connections do not all come back at once
    while time.time() < end:
        try:
            s = connect(addr, rcvbuf=4096)
            counts.add("connections")
            s.sendall(request_bytes("GET", a.path, a.host_header, a.header))
            time.sleep(max(0.0, min(a.hold, end - time.time())))
            s.close()
        except OSError:
            counts.add("errors")
            time.sleep(0.2)


# ---- FastCGI (RFC-like spec: fastcgi.com/devkit/doc/fcgi-spec.html)
def fcgi_record(rtype, content, req_id=1):
    return struct.pack("!BBHHBB", 1, rtype, req_id, len(content), 0, 0) + content


def fcgi_pair(name, value):
    def ln(n):
        return struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x80000000)
    n, v = name.encode(), value.encode()
    return ln(len(n)) + ln(len(v)) + n + v


def fcgi_open(a, method, path, body_len):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(60)
    s.connect(a.socket)
    p, _, q = path.partition("?")
    params = {"REQUEST_METHOD": method, "REQUEST_URI": path, "SCRIPT_NAME": "", "PATH_INFO": p, "QUERY_STRING": q,
              "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
              "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1"}
    if body_len is not None:
        params["CONTENT_TYPE"] = "application/json"
        params["CONTENT_LENGTH"] = str(body_len)
    for h in a.header:
        k, _, v = h.partition(":")
        params["HTTP_" + k.strip().upper().replace("-", "_")] = v.strip()
    blob = b"".join(fcgi_pair(k, v) for k, v in params.items())
    end_of_input = fcgi_record(5, b"") if body_len is None else b""
    s.sendall(fcgi_record(1, struct.pack("!HB5x", 1, 0)) + fcgi_record(4, blob) + fcgi_record(4, b"") + end_of_input)
    return s


def fcgi_read(s, deadline):
    """STDOUT bytes and whether END_REQUEST came, until close or deadline."""
    buf, out, ended = b"", b"", False
    while time.time() < deadline and not ended:
        s.settimeout(max(0.1, deadline - time.time()))
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        while len(buf) >= 8:
            _, rtype, _, clen, plen, _ = struct.unpack("!BBHHBB", buf[:8])
            if len(buf) < 8 + clen + plen:
                break
            if rtype == 6:
                out += buf[8:8 + clen]
            elif rtype == 3:
                ended = True
            buf = buf[8 + clen + plen:]
    return out, ended


def fcgi_trickle(a):
    t0 = time.time()
    s = fcgi_open(a, "POST", a.path, 1000)
    s.setblocking(False)
    closed_early = False
    end = t0 + a.seconds
    while time.time() < end:
        try:
            s.recv(1, socket.MSG_PEEK)
            break   # confabd answered (or closed): stop sending
        except BlockingIOError:
            pass
        except OSError:
            closed_early = True
            break
        try:
            s.send(fcgi_record(5, b" "))
        except OSError:
            closed_early = True
            break
        time.sleep(1)
    out, _ = fcgi_read(s, end + 5)
    s.close()
    status = 0
    if out.startswith(b"Status: "):
        status = int(out[8:11])
    body = out.split(b"\r\n\r\n", 1)[1].decode(errors="replace") if b"\r\n\r\n" in out else ""
    return {"status": status, "body": body, "seconds": round(time.time() - t0, 1), "closed_early": closed_early}


def fcgi_post(a):
    """POSTs --body-file at --rate bytes a second (an honest slow client)."""
    body = open(a.body_file, "rb").read()
    t0 = time.time()
    s = fcgi_open(a, "POST", a.path, len(body))
    step = max(1, int(a.rate / 10))
    for i in range(0, len(body), step):
        s.sendall(fcgi_record(5, body[i:i + step]))
        if i == 0 and a.ready_file:
            open(a.ready_file, "w").close()   # the request is in flight
        time.sleep(0.1)
    s.sendall(fcgi_record(5, b""))
    out, _ = fcgi_read(s, time.time() + a.seconds)
    s.close()
    status = int(out[8:11]) if out.startswith(b"Status: ") else 0
    return {"status": status, "seconds": round(time.time() - t0, 1)}


def fcgi_slowread(a):
    t0 = time.time()
    if a.body_file:   # a POST (e.g. a streamed completion)
        body = open(a.body_file, "rb").read()
        s = fcgi_open(a, "POST", a.path, len(body))
        s.sendall(fcgi_record(5, body) + fcgi_record(5, b""))
    else:
        s = fcgi_open(a, "GET", a.path, None)
    time.sleep(a.seconds)
    out, ended = fcgi_read(s, time.time() + 10)
    s.close()
    head = out.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
    length = -1
    for line in head.split("\r\n"):
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    body_len = len(out) - len(head) - 4 if b"\r\n\r\n" in out else 0
    return {"content_length": length, "body_bytes": body_len, "end_request": ended,
            "seconds": round(time.time() - t0, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["longpoll", "slowbody", "slowread", "fcgi-trickle", "fcgi-slowread", "fcgi-post"])
    ap.add_argument("--url", default="")
    ap.add_argument("--socket", default="")
    ap.add_argument("--path", required=True)
    ap.add_argument("--conns", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--hold", type=float, default=4, help="slowread: seconds one connection is held")
    ap.add_argument("--pause", type=float, default=0, help="longpoll: seconds between two polls of a connection")
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("--body-file", default="", help="fcgi-post: the body")
    ap.add_argument("--ready-file", default="", help="fcgi-post: created once the body has begun")
    ap.add_argument("--rate", type=int, default=65536, help="fcgi-post: bytes a second")
    a = ap.parse_args()
    a.seconds = min(a.seconds, 120.0)   # bounded whatever the caller asks
    a.conns = min(a.conns, 500)
    if a.kind == "fcgi-trickle":
        print(json.dumps(fcgi_trickle(a)))
        return
    if a.kind == "fcgi-post":
        print(json.dumps(fcgi_post(a)))
        return
    if a.kind == "fcgi-slowread":
        print(json.dumps(fcgi_slowread(a)))
        return
    addr = http_target(a.url)
    a.host_header = "%s:%d" % addr
    counts = Counts()
    end = time.time() + a.seconds
    fn = {"longpoll": attack_longpoll, "slowbody": attack_slowbody, "slowread": attack_slowread}[a.kind]
    threads = [threading.Thread(target=fn, args=(a, addr, counts, end), daemon=True) for _ in range(a.conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, end - time.time()) + 40)
    print(json.dumps(counts.c))


if __name__ == "__main__":
    main()
