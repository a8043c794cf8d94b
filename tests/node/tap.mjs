// tap.mjs - the TAP harness and the stack helpers of the client tests in
// tests/node: cases of a fixed number of points run in order (a case that
// throws fails the points it did not reach), the fake provider's controls,
// a session read through the API, and an error catcher.

export const TIMEOUT = 30000;

// A value as one short line for a "# got:" diagnostic.
export function show(v) {
  if (v instanceof Error) {
    const inner = v.cause?.cause ? `: ${v.cause.cause.message ?? v.cause.cause}` : "";
    const cause = v.cause instanceof Error ? ` (cause: ${v.cause.message}${inner})` : "";
    return `${v.constructor?.name}: ${v.message}${cause}`;
  }
  try {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 700 ? `${s.slice(0, 700)}...` : s;
  } catch {
    return String(v);
  }
}

// Cases registered with test(name, points, fn) and run by run(): fn(t) gets
// t.ok(pass, desc, got) and t.skip(desc, why) and must report exactly
// `points` points. run() prints the plan first and returns the exit status.
// extend(emit, label), if given, adds methods to each t: emit(pass, label,
// got, directive) reports one point. tapFor(name) is the t of a name.
export function harness(extend = () => ({})) {
  const cases = [];
  let n = 0;
  let failed = 0;
  const emit = (pass, desc, got, directive = "") => {
    n++;
    console.log(`${pass ? "ok" : "not ok"} ${n} - ${desc.replace(/[#\n]/g, " ")}${directive}`);
    if (!pass) {
      failed++;
      console.log(`# got: ${show(got).replace(/\n/g, " ")}`);
    }
  };
  const tapFor = (name) => ({
    ok: (pass, desc, got) => emit(Boolean(pass), `${name}: ${desc}`, got),
    skip: (desc, why) => emit(true, `${name}: ${desc}`, undefined, ` # SKIP ${why}`),
    ...extend((pass, desc, got, directive) => emit(Boolean(pass), `${name}: ${desc}`, got, directive)),
  });
  return {
    tapFor,
    test: (name, points, fn) => cases.push({ name, points, fn }),
    run: async () => {
      console.log("TAP version 13");
      console.log(`1..${cases.reduce((sum, c) => sum + c.points, 0)}`);
      for (const c of cases) {
        const start = n;
        const t = tapFor(c.name);
        try {
          await c.fn(t);
        } catch (e) {
          while (n < start + c.points) t.ok(false, `unexpected ${e?.constructor?.name ?? "exception"}: ${e?.message ?? e}`, e);
        }
        while (n < start + c.points) t.ok(false, "point not reached (test bug)", null);
        if (n > start + c.points) console.log(`# ${c.name}: ${n - start} points reported, ${c.points} planned (test bug)`);
      }
      return failed ? 1 : 0;
    },
  };
}

// Runs fn, which should throw; returns what it threw (undefined if nothing).
export async function caught(fn) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The fake provider (tests/lib/fake_llm.py) at `url`.
export function fakeProvider(url) {
  const post = async (path, body) => {
    const r = await fetch(`${url}${path}`, {
      method: "POST", body: JSON.stringify(body ?? {}), headers: { "Content-Type": "application/json" },
      signal: AbortSignal.timeout(TIMEOUT),
    });
    if (!r.ok) throw new Error(`POST ${url}${path}: HTTP ${r.status}`);
  };
  return {
    reset: () => post("/_reset"),
    // behaviour: {reply, chunk_delay, mode, count, ...} (see fake_llm.py)
    control: (behaviour) => post("/_control", behaviour),
    // The recorded provider requests, bodies parsed.
    requests: async () => {
      const r = await fetch(`${url}/_requests`, { signal: AbortSignal.timeout(TIMEOUT) });
      const list = await r.json();
      if (!Array.isArray(list)) throw new Error(`GET ${url}/_requests: not an array: ${show(list)}`);
      return list.map((q) => ({ ...q, body: typeof q.body === "string" ? JSON.parse(q.body) : q.body }));
    },
  };
}

// GET /api/sessions/{id}/ with the key: {status, body, messages}.
export async function getSession(base, key, id) {
  const r = await fetch(`${base}/api/sessions/${id}/`, {
    headers: { "X-Api-Key": key, Accept: "application/json" },
    signal: AbortSignal.timeout(TIMEOUT),
  });
  const text = await r.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: r.status, body, messages: Array.isArray(body?.messages) ? body.messages : [] };
}

// A message content as text: a string, or the text parts joined by a space.
export function textOf(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.filter((p) => p?.type === "text").map((p) => p.text).join(" ");
  return undefined;
}
