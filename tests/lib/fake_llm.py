#!/usr/bin/env python3
"""fake_llm.py - a fake LLM provider (and Telegram Bot API) for Confab's tests and benchmarks.

A real HTTP server on loopback speaking OpenAI chat completions (any path
ending in /chat/completions) and Anthropic Messages (any path ending in
/messages), plain and streamed. It answers "echo: <last user text>" (or a
scripted reply), records every provider request, and can be told to be
slow, answer with an error status, send garbage, cut a stream or hang.
A stream whose client (Confab) closes the connection early is noted in its
request's record ("closed_early": {"at": unix time, "pieces_sent": n,
"pieces": total}): between pieces the fake watches its connection.

    python3 fake_llm.py --port-file FILE [--port N]

Control (JSON bodies):
    POST /_control {"mode": "ok|status|garbage|cut|hang", "status": 500,
                    "delay": s, "chunk_delay": s, "reply": text|null,
                    "stall_after": n, "stall": s (a stream goes silent
                    for s seconds after n pieces),
                    "count": n (0 = until changed),
                    "only": "openai|anthropic|telegram" (default: all),
                    "finish_reason": text (default: "stop" for OpenAI,
                                     "end_turn" as Anthropic's stop_reason)}
    POST /_reset   clears recordings and behaviour
    GET  /_requests  recorded requests: [{path, method, headers, body, time}]
/_control also takes "retry_after": s, the Retry-After of a "status" answer
(default: "0" on a 429, none on the others).
"""
import argparse
import json
import os
import select
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
RECORDS = []
DEFAULTS = {"mode": "ok", "status": 500, "delay": 0.0, "chunk_delay": 0.0, "stall_after": None, "stall": 0.0,
            "count": 0, "only": None, "finish_reason": None}
STATE = {"behaviour": dict(DEFAULTS), "reply": None, "served": 0}


DEFAULTS["retry_after"] = None   # see the docstring


def take_behaviour(kind):
    """The behaviour for this request of kind openai/anthropic/telegram;
    counts it against 'count'. With "only" set, other kinds behave normally."""
    with LOCK:
        b = dict(STATE["behaviour"])
        reply = STATE["reply"]
        if b.get("only") and b["only"] != kind:
            return dict(DEFAULTS), reply
        if b.get("count"):
            STATE["served"] += 1
            if STATE["served"] >= b["count"]:
                STATE["behaviour"] = dict(DEFAULTS)
                STATE["served"] = 0
        return b, reply


def text_of(content):
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def last_user_text(messages):
    for m in reversed(messages or []):
        if isinstance(m, dict) and m.get("role") == "user":
            return text_of(m.get("content"))
    return ""


def pieces(text):
    """Word-sized pieces whose concatenation is exactly text."""
    words = text.split(" ")
    return [w + " " for w in words[:-1]] + [words[-1]] if text else []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True   # headers and body go out at once, as real servers do

    def log_message(self, fmt, *args):
        pass

    # ---- plumbing
    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        try:
            return json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            return raw.decode("utf-8", "replace")

    def send_json(self, status, obj, extra=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, text):
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def client_left(self, wait):
        """Waits wait seconds watching the connection; True (and the request's
        record notes it) when the client closed it or reset it meanwhile."""
        deadline = time.time() + wait
        while True:
            left = deadline - time.time()
            if left <= 0:
                return False
            readable, _, _ = select.select([self.connection], [], [], left)
            if not readable:
                return False
            try:
                gone = self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                gone = True
            if gone:
                self.note_closed()
                return True
            time.sleep(left)   # bytes of a next request, not a close
            return False

    def note_closed(self):
        with LOCK:
            rec = getattr(self, "record", None)
            if rec is not None and "closed_early" not in rec:
                rec["closed_early"] = {"at": time.time(), "pieces_sent": getattr(self, "pieces_sent", 0),
                                       "pieces": getattr(self, "pieces_total", 0)}
        self.close_connection = True

    def pace(self, b, i):
        """The pause before piece i of a stream; True when the client left."""
        self.pieces_sent = i
        wait = float(b["chunk_delay"] or 0)
        if b.get("stall_after") is not None and i == int(b["stall_after"]):
            wait += float(b["stall"] or 0)
        return wait > 0 and self.client_left(wait)

    def cut(self):
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    # ---- routes
    def do_GET(self):
        if self.path == "/_requests":
            with LOCK:
                self.send_json(200, RECORDS)
        elif self.path == "/healthz":
            data = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_json(404, {"error": "not found"})

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        body = self.read_body()
        if path == "/_reset":
            with LOCK:
                RECORDS.clear()
                STATE["behaviour"] = dict(DEFAULTS)
                STATE["reply"] = None
                STATE["served"] = 0
            return self.send_json(200, {})
        if path == "/_control":
            with LOCK:
                b = dict(DEFAULTS)
                for k in DEFAULTS:
                    if isinstance(body, dict) and k in body:
                        b[k] = body[k]
                STATE["behaviour"] = b
                STATE["served"] = 0
                if isinstance(body, dict) and "reply" in body:
                    STATE["reply"] = body["reply"]
            return self.send_json(200, {})
        openai = path.endswith("/chat/completions")
        anthropic = path.endswith("/messages")
        telegram = path.endswith("/sendMessage")
        if not (openai or anthropic or telegram):
            return self.send_json(404, {"error": "not found"})
        self.record = {"path": self.path, "method": "POST", "time": time.time(), "body": body,
                       "headers": {k.lower(): v for k, v in self.headers.items()}}
        self.pieces_sent = self.pieces_total = 0
        with LOCK:
            RECORDS.append(self.record)
        try:
            if telegram:
                self.telegram(body)
            elif anthropic:
                self.anthropic(body)
            else:
                self.openai(body)
        except (BrokenPipeError, ConnectionResetError):
            self.note_closed()

    def misbehave(self, b, stream, error_body):
        """Applies delay and the error modes; True when the request is answered."""
        if b["delay"]:
            time.sleep(float(b["delay"]))
        mode = b["mode"]
        if mode == "hang":
            time.sleep(3600)
            return True
        if mode == "status":
            extra = {"Retry-After": "0"} if int(b["status"]) == 429 else None
            if b.get("retry_after") is not None:
                extra = {"Retry-After": str(b["retry_after"])}
            self.send_json(int(b["status"]), error_body, extra)
            return True
        if mode == "garbage":
            if stream:
                self.start_stream()
                self.chunk("data: {not json\n\n")
                self.end_stream()
            else:
                data = b"this is not json{{{"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            return True
        if mode == "cut" and not stream:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"id": "ch')
            self.cut()
            return True
        return False

    def openai(self, req):
        b, scripted = take_behaviour("openai")
        req = req if isinstance(req, dict) else {}
        stream = req.get("stream") is True
        err = {"error": {"message": "fake failure", "type": "server_error", "param": None, "code": None}}
        if self.misbehave(b, stream, err):
            return
        text = scripted if scripted is not None else "echo: " + last_user_text(req.get("messages"))
        words = len(text.split())
        usage = {"prompt_tokens": 11, "completion_tokens": words, "total_tokens": 11 + words}
        with LOCK:
            n = len(RECORDS)
        base = {"id": "chatcmpl-fake%d" % n, "created": int(time.time()), "model": req.get("model", "")}
        finish = b.get("finish_reason") or "stop"
        if not stream:
            return self.send_json(200, dict(base, object="chat.completion", usage=usage, choices=[
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}]))

        def event(choices, **extra):
            self.chunk("data: %s\n\n" % json.dumps(dict(base, object="chat.completion.chunk",
                                                         choices=choices, **extra)))
        self.start_stream()
        event([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        self.pieces_total = len(pieces(text))
        for i, piece in enumerate(pieces(text)):
            if b["mode"] == "cut" and i == 2:
                return self.cut()
            if self.pace(b, i):
                return
            event([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
        event([{"index": 0, "delta": {}, "finish_reason": finish}])
        if (req.get("stream_options") or {}).get("include_usage"):
            event([], usage=usage)
        self.chunk("data: [DONE]\n\n")
        self.end_stream()

    def telegram(self, req):
        """Telegram Bot API sendMessage (the tests' fake Telegram)."""
        b, _ = take_behaviour("telegram")
        if self.misbehave(b, False, {"ok": False, "error_code": int(b["status"]), "description": "fake failure"}):
            return
        req = req if isinstance(req, dict) else {}
        with LOCK:
            n = len(RECORDS)
        self.send_json(200, {"ok": True, "result": {"message_id": n, "chat": {"id": req.get("chat_id")},
                                                    "text": req.get("text", "")}})

    def anthropic(self, req):
        if not self.headers.get("x-api-key"):
            return self.send_json(401, {"type": "error", "error": {"type": "authentication_error",
                                                                   "message": "x-api-key header is required"}})
        if not self.headers.get("anthropic-version"):
            return self.send_json(400, {"type": "error", "error": {"type": "invalid_request_error",
                                                                   "message": "anthropic-version header is required"}})
        b, scripted = take_behaviour("anthropic")
        req = req if isinstance(req, dict) else {}
        stream = req.get("stream") is True
        err = {"type": "error", "error": {"type": "api_error", "message": "fake failure"}}
        if self.misbehave(b, stream, err):
            return
        text = scripted if scripted is not None else "echo: " + last_user_text(req.get("messages"))
        words = len(text.split())
        with LOCK:
            n = len(RECORDS)
        stop_reason = b.get("finish_reason") or "end_turn"
        msg = {"id": "msg_fake%d" % n, "type": "message", "role": "assistant", "model": req.get("model", ""),
               "content": [{"type": "text", "text": text}], "stop_reason": stop_reason, "stop_sequence": None,
               "usage": {"input_tokens": 11, "output_tokens": words}}
        if not stream:
            return self.send_json(200, msg)

        def event(name, obj):
            self.chunk("event: %s\ndata: %s\n\n" % (name, json.dumps(obj)))
        self.start_stream()
        start = dict(msg, content=[], stop_reason=None, usage={"input_tokens": 11, "output_tokens": 1})
        event("message_start", {"type": "message_start", "message": start})
        event("content_block_start", {"type": "content_block_start", "index": 0,
                                      "content_block": {"type": "text", "text": ""}})
        event("ping", {"type": "ping"})
        self.pieces_total = len(pieces(text))
        for i, piece in enumerate(pieces(text)):
            if b["mode"] == "cut" and i == 2:
                return self.cut()
            if self.pace(b, i):
                return
            event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                          "delta": {"type": "text_delta", "text": piece}})
        event("content_block_stop", {"type": "content_block_stop", "index": 0})
        event("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                                "usage": {"output_tokens": words}})
        event("message_stop", {"type": "message_stop"})
        self.end_stream()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main()
