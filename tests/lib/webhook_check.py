#!/usr/bin/env python3
"""webhook_check.py - reads a webhook_receiver.py log and checks it.

    webhook_check.py LOG PATH SECRET summary   -> JSON: accepted events
    webhook_check.py - - SECRET verify HEADER  (body on stdin) -> ok / bad

summary verifies every accepted (2xx) delivery's signature and headers and
prints {"types": sorted types of distinct event ids, "ids": n distinct,
"accepted": n accepted deliveries, "refused": n non-2xx answers,
"bad": [problems], "teams": [...], "roles": [...]}.
"""
import hashlib
import hmac
import json
import sys


def verify(secret, header, body):
    """Stripe-style check of 'Confab-Signature: t=<ts>,v1=<hex>'."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if "t" not in parts or "v1" not in parts:
        return False
    want = hmac.new(secret.encode(), (parts["t"] + "." + body).encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, parts["v1"])


def summary(log, path, secret):
    recs = []
    try:
        with open(log, encoding="utf-8") as f:
            recs = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        pass
    recs = [r for r in recs if r["path"] == path]
    out = {"bad": [], "teams": [], "roles": []}
    accepted = [r for r in recs if 200 <= r["status"] < 300]
    out["refused"] = len(recs) - len(accepted)
    out["accepted"] = len(accepted)
    seen = {}
    for r in accepted:
        h = r["headers"]
        body = json.loads(r["body"])
        if not verify(secret, h.get("confab-signature", ""), r["body"]):
            out["bad"].append("signature of " + body.get("id", "?"))
        if h.get("confab-event-id") != body["id"] or h.get("confab-event-type") != body["type"]:
            out["bad"].append("headers of " + body["id"])
        if sorted(body) != ["created", "data", "id", "team", "type"]:
            out["bad"].append("keys of " + body["id"])
        seen[body["id"]] = body
    out["ids"] = len(seen)
    out["types"] = sorted(b["type"] for b in seen.values())
    out["teams"] = sorted({b["team"] for b in seen.values()})
    out["roles"] = sorted(b["data"]["message"]["role"] for b in seen.values() if b["type"] == "message.created")
    return out


if __name__ == "__main__":
    if sys.argv[4] == "verify":
        print("ok" if verify(sys.argv[3], sys.argv[5], sys.stdin.read()) else "bad")
    else:
        print(json.dumps(summary(sys.argv[1], sys.argv[2], sys.argv[3]), sort_keys=True))
