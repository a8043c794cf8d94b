#!/usr/bin/env python3
"""check_schemas.py BODIES_DIR SCHEMA_C_FILE...: validates every saved body
BODIES_DIR/<SchemaName>.<n>.json against that named schema of the OpenAPI
document's tables (the api_schema tables of src/schemas_*.c, read from the C
source), with python3-jsonschema. OpenAPI 3.0's "nullable" is rewritten to
JSON Schema; names no given file defines but a $ref uses (the core half's
shared error bodies, until its table is there) get a loose local stub.
Exit 0 when every body is valid and every table entry is JSON with a
"type", "$ref", "oneOf", "anyOf" or "allOf"."""
import json
import os
import re
import sys

import jsonschema

# one OpenAPI 3.0 -> JSON Schema translation for both checkers
from check_exchanges import to_json_schema

ENTRY = re.compile(r'\{\s*"([A-Za-z0-9_.]+)"\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\}')
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')

# Stand-ins for names of the core table (src/schemas_core.c) while it is
# absent: the shapes of docs/API.md §1.2, §4, §5.
STUBS = {
    "ErrorDetail": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
    "FieldErrors": {"type": "object", "additionalProperties": True, "minProperties": 1},
    "OpenAIError": {"type": "object", "required": ["error"], "properties": {
        "detail": {"type": "string"},
        "error": {"type": "object", "required": ["message", "type"], "properties": {
            "message": {"type": "string"}, "type": {"type": "string"}}}}},
    "Message": {"type": "object", "required": ["created_at", "role", "content", "metadata", "tags", "attachments"]},
    "Experiment": {"type": "object", "required": ["id", "name", "url", "versions"]},
    "Team": {"type": "object", "required": ["name", "slug"]},
    "Participant": {"type": "object", "required": ["identifier", "remote_id"]},
    "File": {"type": "object", "required": ["name", "size", "content_url"]},
}


def read_table(path):
    """{name: schema} of one C file's api_schema entries."""
    text = open(path, encoding="utf-8").read()
    table = {}
    for m in ENTRY.finditer(text):
        raw = "".join(json.loads('"' + lit + '"') for lit in LITERAL.findall(m.group(2)))
        table[m.group(1)] = json.loads(raw)   # a schema that is not JSON fails here
    return table


def refs(node, found):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str):
            found.add(r.rsplit("/", 1)[-1])
        for v in node.values():
            refs(v, found)
    elif isinstance(node, list):
        for v in node:
            refs(v, found)


def main():
    bodies, files = sys.argv[1], sys.argv[2:]
    schemas, bad = {}, 0
    for f in files:
        for name, s in read_table(f).items():
            if name in schemas:
                print(f"duplicate schema name {name} ({f})")
                bad += 1
            if not any(k in s for k in ("type", "$ref", "oneOf", "anyOf", "allOf")):
                print(f"{name}: no type, $ref, oneOf, anyOf or allOf")
                bad += 1
            schemas[name] = s
    used = {entry.split(".", 1)[0] for entry in os.listdir(bodies)}
    refs(schemas, used)
    for name in sorted(used - schemas.keys()):
        if name not in STUBS:
            print(f"$ref to an undefined schema: {name}")
            bad += 1
            continue
        schemas[name] = STUBS[name]
        print(f"stub: {name}")
    # every example must be valid against its own schema too
    checks = [(name, "example", s["example"]) for name, s in schemas.items() if "example" in s]
    for entry in sorted(os.listdir(bodies)):
        name = entry.split(".", 1)[0]
        with open(os.path.join(bodies, entry), encoding="utf-8") as fh:
            checks.append((name, entry, json.loads(fh.read())))
    components = {"schemas": {n: to_json_schema(s) for n, s in schemas.items()}}
    for name, what, body in checks:
        if name not in schemas:
            print(f"{what}: no schema {name}")
            bad += 1
            continue
        root = {"$ref": f"#/components/schemas/{name}", "components": components}
        errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(body), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f"{what} ({name}): {'/'.join(map(str, e.path))}: {e.message[:300]}")
        bad += 1 if errors else 0
    print(f"{len(checks)} bodies and examples checked against {len(schemas)} schemas, {bad} faults")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
