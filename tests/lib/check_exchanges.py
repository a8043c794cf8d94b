#!/usr/bin/env python3
"""check_exchanges.py --document FILE --base URL [--base URL] DIR: validates
every HTTP exchange recorded under DIR (curl --trace files, one per curl call,
written by the curl() wrapper of tests/lib/tap.sh) against the OpenAPI 3.0
document FILE (GET /api/schema/), with python3-jsonschema.

Rules, per exchange whose URL is under a --base:
- operation: the path (query dropped, /api/v1/ read as /api/) matched to the
  document's path templates, literal segments first; HEAD is checked as GET
  without a body. A path no template matches is the router's catch-all: it
  must answer 404 with the DetailError body. A path that matches but has no
  operation for the method must answer 405 with that path's documented 405
  (body and Allow header); OPTIONS there is a CORS preflight, an empty
  200 or 204 (the CORS protocol is not an OpenAPI operation).
- status: listed for the operation (exactly, as NXX, or "default").
- body: for JSON media types valid against the schema of that status and
  media type; text/event-stream: every complete event's data is JSON valid
  against the event schema ("[DONE]" only as the last event); other media
  types (HTML pages, files): the content type only. A body under a response
  that lists no content fails, as does a media type the response does not
  list. Truncated bodies (the client hung up) are checked as far as they
  are whole (complete events) or not at all (JSON).
- headers: every header the response marks "required" is present.
- the web server's own errors (docs/API.md §1.2.2), listed in the root's
  x-web-server-errors, are accepted with their DetailError body for any
  answer without X-Request-Id (confabd names each of its answers so: one
  without it is the web server's), and for one with it where the
  operation does not list the status itself.
Prints "exchanges: N checked, F failed" and one line per failing exchange
(method, path, status, rule, message); exit 1 when any failed."""
import argparse
import gzip
import json
import os
import re
import sys
import urllib.parse
import zlib

import jsonschema

SECTION = re.compile(r"^(=>|<=) (Send header|Send data|Recv header|Recv data|Send SSL data|Recv SSL data), (\d+) bytes")
HEXLINE = re.compile(r"^[0-9a-f]{4,}: ")


# statuses the dispatcher may answer before it matches the method
BEFORE_METHOD = (401, 413, 429, 503)


class Exchange:
    def __init__(self, request):
        self.request = request          # raw request header block (bytes)
        self.responses = []             # [status, [(name, value)], bytearray body]

    def final(self):
        for r in reversed(self.responses):
            if r[0] >= 200:
                return r
        return None


def parse_trace(path):
    """The exchanges of one curl --trace file."""
    exchanges, cur, kind, buf = [], None, None, bytearray()

    def flush():
        nonlocal cur
        if kind == "Send header":
            cur = Exchange(bytes(buf))
            exchanges.append(cur)
        elif kind == "Recv header" and cur is not None:
            line = bytes(buf).decode("latin-1").rstrip("\r\n")
            m = re.match(r"HTTP/[0-9.]+ (\d{3})", line)
            if m:
                cur.responses.append([int(m.group(1)), [], bytearray()])
            elif line and cur.responses and ":" in line:
                name, value = line.split(":", 1)
                cur.responses[-1][1].append((name.strip().lower(), value.strip()))
        elif kind == "Recv data" and cur is not None and cur.responses:
            cur.responses[-1][2] += buf

    with open(path, "rb") as fh:
        for raw in fh:
            line = raw.decode("latin-1")
            if kind is not None and HEXLINE.match(line):
                if kind == "Send data":
                    continue      # request bodies are not checked: do not decode big uploads
                hexpart = line.split(": ", 1)[1][:48]
                buf += bytes.fromhex(hexpart.replace(" ", ""))
                continue
            m = SECTION.match(line)
            if kind is not None:
                flush()
            kind, buf = (m.group(2), bytearray()) if m else (None, bytearray())
    if kind is not None:
        flush()
    return exchanges


def dechunk(body):
    """(body, complete) of a chunked transfer coding."""
    out, i = bytearray(), 0
    while True:
        j = body.find(b"\r\n", i)
        if j < 0:
            return bytes(out), False
        try:
            size = int(body[i:j].split(b";")[0], 16)
        except ValueError:
            return bytes(out), False
        if size == 0:
            return bytes(out), True
        chunk = body[j + 2:j + 2 + size]
        out += chunk
        if len(chunk) < size:
            return bytes(out), False
        i = j + 2 + size + 2


def to_json_schema(node):
    """OpenAPI 3.0 schema -> JSON Schema (nullable; example and discriminator dropped)."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items()
           if k not in ("example", "nullable", "discriminator", "xml", "externalDocs")
           and not k.startswith("x-")}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = out["enum"] + [None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


class Contract:
    def __init__(self, doc):
        self.doc = doc
        self.components = {"schemas": {n: to_json_schema(s)
                                       for n, s in doc.get("components", {}).get("schemas", {}).items()}}
        self.paths = []
        for template, item in doc.get("paths", {}).items():
            parts = template.strip("/").split("/")
            # a parameter may be a whole segment ({id}) or part of one (v{version})
            rx = "/".join("".join("[^/]+" if t.startswith("{") else re.escape(t)
                                  for t in re.split(r"(\{[^}]*\})", p) if t) for p in parts)
            trailing = "/" if template.endswith("/") and template != "/" else ""
            params = sum(p.count("{") for p in parts)
            self.paths.append((params, re.compile("^/" + rx + trailing + "$"), template, item))
        self.paths.sort(key=lambda p: p[0])
        self.validators = {}

    def match(self, path):
        if path.startswith("/api/v1/"):
            path = "/api/" + path[len("/api/v1/"):]
        for _, rx, template, item in self.paths:
            if rx.match(path):
                return template, item
        return None, None

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            kind, name = node["$ref"].split("/")[-2:]
            node = self.doc["components"][kind][name]
        return node

    def errors(self, schema, value):
        key = json.dumps(schema, sort_keys=True)
        v = self.validators.get(key)
        if v is None:
            root = dict(to_json_schema(schema))
            root["components"] = self.components
            v = self.validators[key] = jsonschema.Draft202012Validator(root)
        return sorted(v.iter_errors(value), key=lambda e: list(e.path))


def media_of(headers):
    for n, v in headers:
        if n == "content-type":
            return v.split(";")[0].strip().lower()
    return None


def header(headers, name):
    return next((v for n, v in headers if n == name.lower()), None)


def pick_media(content, media):
    if media in content:
        return content[media]
    for k, v in content.items():
        # a key with parameters (text/plain; version=0.0.4) names its type
        if k.split(";")[0].strip().lower() == media:
            return v
    for k, v in content.items():
        if k == "*/*" or (k.endswith("/*") and media and media.startswith(k[:-1])):
            return v
    return None


def check_body(contract, status_spec, media, body, head, complete, status):
    """A list of (rule, message) faults of one response body."""
    content = status_spec.get("content")
    if head or status in (204, 304) or (not body and not content):
        return []
    if not content:
        return [("body", f"a {len(body)}-byte body ({media}) under a response that describes none")]
    spec = pick_media(content, media)
    if spec is None:
        return [("content type", f"{media} not among {sorted(content)}")]
    schema = spec.get("schema")
    if schema is None:
        return []
    if media == "text/event-stream":
        text = body.decode("utf-8", "replace").replace("\r\n", "\n")
        events = text.split("\n\n")
        if not complete or not text.endswith("\n\n"):
            events = events[:-1]      # the last event may be cut off
        events = [e for e in events if e.strip()]
        faults = []
        for i, ev in enumerate(events):
            data = "\n".join(l[5:].lstrip(" ") if l.startswith("data:") else ""
                             for l in ev.split("\n") if l.startswith("data:"))
            if not any(l.startswith("data:") for l in ev.split("\n")):
                continue          # comments and retry: lines only
            if data == "[DONE]":
                if i != len(events) - 1:
                    faults.append(("event", f"event {i}: [DONE] before the last event"))
                continue
            try:
                value = json.loads(data)
            except ValueError as e:
                faults.append(("event", f"event {i}: not JSON ({e}): {data[:120]!r}"))
                continue
            for e in contract.errors(schema, value)[:3]:
                faults.append(("event schema", f"event {i}: {'/'.join(map(str, e.path))}: {e.message[:300]}"))
        return faults
    if media == "application/json" or (media or "").endswith("+json"):
        if not complete:
            return []
        try:
            value = json.loads(body.decode("utf-8"))
        except ValueError as e:
            return [("body", f"not JSON ({e}): {body[:120]!r}")]
        return [("schema", f"{'/'.join(map(str, e.path))}: {e.message[:300]}") for e in contract.errors(schema, value)[:3]]
    return []


def check(contract, method, path, status, headers, body, complete):
    """A list of (rule, message) faults of one exchange."""
    head = method == "HEAD"
    template, item = contract.match(path)
    web = contract.doc.get("x-web-server-errors", {}).get(str(status))
    if web is not None and header(headers, "x-request-id") is None:
        # not confabd's answer (confabd names every answer with X-Request-Id):
        # the web server's own error, which any request may get, whatever the
        # operation documents for that status (Apache's 503 when the worker
        # serving a completion dies, say)
        return check_body(contract, contract.resolve(web), media_of(headers), body, head, complete, status)
    if item is None:
        # the router's catch-all (docs/API.md §1.2): 404 with a DetailError
        # body; or what the web server (or confabd's hostile-input check)
        # answers any request
        if status != 404 and web is None:
            return [("unknown path", f"no path of the document matches, and the answer is {status}, not 404")]
        spec = web or {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/DetailError"}}}}
        return check_body(contract, spec, media_of(headers), body, head, complete, status)
    op = item.get("get" if head else method.lower())
    if op is None and method == "OPTIONS" and status != 405 and status not in BEFORE_METHOD:
        # a CORS preflight (docs/API.md): the CORS protocol, which OpenAPI
        # does not model as an operation; an empty 200 or 204
        if status not in (200, 204) or body:
            return [("preflight", f"OPTIONS {template}: {status} with a {len(body)}-byte body, not an empty 200/204")]
        return []
    if op is None:
        # the path answers other methods: its documented 405, or an answer
        # the dispatcher gives before it looks at the method (authentication,
        # rate limit, body size, overload: docs/API.md §1.2 "Methods"), as the
        # path's operations document it
        spec = next((o["responses"][str(status)] for m, o in item.items()
                     if isinstance(o, dict) and str(status) in o.get("responses", {})
                     and (status == 405 or status in BEFORE_METHOD)), None) or web
        if spec is None and status != 405 and status not in BEFORE_METHOD:
            return [("method", f"{template} has no {method} operation, and the answer is {status}, not 405")]
        if spec is None:
            return [("method", f"{template} has no {method} operation, and none of its operations documents {status}")]
    else:
        responses = op.get("responses", {})
        spec = (responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
                or web)
        if spec is None:
            return [("status", f"{status} is not listed for {method} {template} (listed: {', '.join(sorted(responses))})")]
    spec = contract.resolve(spec)
    faults = check_body(contract, spec, media_of(headers), body, head, complete, status)
    for name, h in (spec.get("headers") or {}).items():
        h = contract.resolve(h)
        if h.get("required") and header(headers, name) is None:
            faults.append(("header", f"required header {name} is missing"))
    return faults


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--document", required=True)
    ap.add_argument("--base", action="append", default=[])
    ap.add_argument("dir")
    a = ap.parse_args()
    bases = [b.rstrip("/") for b in a.base if b]
    try:
        with open(a.document, encoding="utf-8") as fh:
            contract = Contract(json.load(fh))
    except (OSError, ValueError) as e:
        print(f"exchanges: 0 checked, 1 failed")
        print(f"the document {a.document} is not readable JSON: {e}")
        return 1
    n = failed = 0
    lines = []
    for entry in sorted(os.listdir(a.dir)):
        if not entry.endswith(".trace"):
            continue
        # the call's first exchange is Confab's (the recorder saw its URL, even
        # when a test sends its own Host); later ones (-L, several URLs) when
        # their Host is a --base's
        for i, ex in enumerate(parse_trace(os.path.join(a.dir, entry))):
            first = ex.request.split(b"\r\n")
            m = re.match(r"([A-Z]+) (\S+) HTTP", first[0].decode("latin-1"))
            host = next((l.split(b":", 1)[1].strip().decode("latin-1") for l in first[1:]
                         if l.lower().startswith(b"host:")), "")
            if not m or (i > 0 and not any(b.split("://", 1)[-1] == host for b in bases)):
                continue
            method, target = m.group(1), m.group(2)
            r = ex.final()
            if r is None:
                continue          # no answer (refused, timed out before the status line)
            status, headers, body = r
            body, complete = bytes(body), True
            if (header(headers, "transfer-encoding") or "").lower() == "chunked":
                body, complete = dechunk(body)
            elif header(headers, "content-length") is not None:
                complete = len(body) >= int(header(headers, "content-length") or 0)
            enc = (header(headers, "content-encoding") or "").lower()
            if enc in ("gzip", "deflate") and complete and body:
                try:
                    body = gzip.decompress(body) if enc == "gzip" else zlib.decompress(body)
                except (OSError, zlib.error):
                    pass
            path = urllib.parse.urlsplit(target).path
            n += 1
            faults = check(contract, method, path, status, headers, body, complete)
            if faults:
                failed += 1
                for rule, msg in faults[:3]:
                    lines.append(f"{method} {target[:120]} -> {status}: {rule}: {msg}")
    print(f"exchanges: {n} checked, {failed} failed")
    for l in lines[:80]:
        print(l)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
