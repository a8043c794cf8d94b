// clients_openai.mjs - the official OpenAI Node SDK (npm "openai", current
// major) against Confab: chat completions (developer role, streamed with
// usage, response_format, abort), typed errors, the models list and the
// Responses API (plain, item input, streamed, previous_response_id, GET).
import OpenAI from "openai";
import { caught, getSession, sleep, textOf, TIMEOUT } from "./tap.mjs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// err as the diagnostic of an error point.
const brief = (err) => err === undefined ? "no error was thrown" : {
  class: err?.constructor?.name, status: err?.status, message: err?.message, code: err?.code, type: err?.type,
  error: err?.error,
};

// Two points: err is an instance of cls with that status, and its OpenAI
// error fields (err.type, err.code, from the body's "error" object) are the
// ones given (undefined: only that err.error.message is a non-empty string).
function typedError(t, err, cls, status, fields = {}) {
  t.ok(err instanceof cls && err.status === status, `throws OpenAI.${cls.name}, status ${status}`, brief(err));
  const want = Object.entries(fields);
  const fieldsOk = typeof err?.error?.message === "string" && err.error.message.length > 0 &&
    want.every(([k, v]) => err?.[k] === v);
  t.ok(fieldsOk, `the body's error object is read: message${want.map(([k, v]) => `, ${k} "${v}"`).join("")}`, brief(err));
}

export function register(h, ctx) {
  const { base, key, url, version, fake } = ctx;
  const client = (opts = {}) => new OpenAI({ apiKey: key, baseURL: url, maxRetries: 0, timeout: TIMEOUT, ...opts });
  const chat = (messages, opts = {}, clientOpts = {}) =>
    client(clientOpts).chat.completions.create({ model: "gpt-5", messages, ...opts });

  h.test("openai chat: developer role", 4, async (t) => {
    await fake.reset();
    const c = await chat([{ role: "developer", content: "Answer briefly." }, { role: "user", content: "hello developer" }]);
    const reqs = await fake.requests();
    const sent = reqs[0]?.body?.messages ?? [];
    t.ok(c?.choices?.[0]?.message?.content === "echo: hello developer", 'the reply is "echo: hello developer"', c);
    t.ok(c?.choices?.[0]?.finish_reason === "stop", 'finish_reason is "stop"', c?.choices);
    const s = UUID.test(String(c?.id)) ? await getSession(base, key, c.id) : { messages: [] };
    t.ok(s.messages.some((m) => m?.role === "system" && m?.content === "Answer briefly."),
      "the session keeps the developer message as a system message", { session: s.messages, provider: sent });
    t.ok(sent.some((m) => m?.role === "system" && textOf(m?.content) === "Answer briefly."),
      "the provider got it as a system message", sent);
  });

  h.test("openai chat: streamed with include_usage", 4, async (t) => {
    const stream = await chat([{ role: "user", content: "stream me now" }],
      { stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c?.choices?.[0]?.delta?.content ?? "").join("");
    const last = chunks.filter((c) => c?.choices?.length > 0).at(-1);
    const usage = chunks.at(-1)?.usage;
    t.ok(text === "echo: stream me now", 'the deltas make "echo: stream me now"', chunks);
    t.ok(chunks.every((c) => c?.object === "chat.completion.chunk"), 'every chunk is a "chat.completion.chunk"', chunks);
    t.ok(last?.choices?.[0]?.finish_reason === "stop", 'the last chunk with a choice says finish_reason "stop"', last);
    t.ok(Number.isInteger(usage?.prompt_tokens) && Number.isInteger(usage?.completion_tokens),
      "the final chunk carries usage", chunks.at(-1));
  });

  h.test("openai chat: response_format json_object", 2, async (t) => {
    await fake.reset();
    await fake.control({ reply: '{"answer": 42}' });
    const c = await chat([{ role: "user", content: "answer in JSON" }], { response_format: { type: "json_object" } });
    const reqs = await fake.requests();
    await fake.reset();
    let parsed;
    try {
      parsed = JSON.parse(c?.choices?.[0]?.message?.content);
    } catch {
      parsed = undefined;
    }
    t.ok(parsed?.answer === 42, "the content parses as the provider's JSON", c?.choices);
    t.ok(reqs.length === 1 && reqs[0]?.body?.response_format?.type === "json_object",
      "the provider request carries response_format json_object", reqs.map((r) => r.body));
  });

  h.test("openai chat: typed errors", 7, async (t) => {
    const msg = [{ role: "user", content: "x" }];
    typedError(t, await caught(() => chat(msg, {}, { apiKey: "bad.key" })), OpenAI.AuthenticationError, 401,
      { code: "invalid_api_key", type: "invalid_request_error" });
    typedError(t, await caught(() => chat(msg, {}, { baseURL: `${base}/api/openai/${crypto.randomUUID()}` })),
      OpenAI.NotFoundError, 404, { code: "model_not_found" });
    const bad = await caught(() => chat([{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }]));
    typedError(t, bad, OpenAI.BadRequestError, 400, { type: "invalid_request_error" });
    t.ok(typeof bad?.message === "string" && bad.message.includes("Last message must be a user message"),
      'the message says "Last message must be a user message"', brief(bad));
  });

  let firstModel;
  h.test("openai models", 5, async (t) => {
    const models = [];
    for await (const m of client().models.list()) models.push(m);
    firstModel = models[0]?.id;
    t.ok(models.length >= 1 && models.every((m) => m?.object === "model" && typeof m?.id === "string" &&
      typeof m?.owned_by === "string" && Number.isInteger(m?.created)), "models.list() gives models", models);
    const one = firstModel === undefined ? undefined : await client().models.retrieve(firstModel);
    t.ok(one?.id === firstModel && one?.object === "model", "models.retrieve(the first id) gives it back", one);
    typedError(t, await caught(() => client().models.retrieve("no-such-model")), OpenAI.NotFoundError, 404);
    const versioned = [];
    for await (const m of client({ baseURL: `${url}/v${version}` }).models.list()) versioned.push(m);
    t.ok(versioned.length >= 1, `.../v${version}/models lists models too`, versioned);
  });

  h.test("openai chat: model id from the list", 1, async (t) => {
    if (firstModel === undefined) throw new Error("the models list gave no id");
    const c = await client().chat.completions.create({ model: firstModel, messages: [{ role: "user", content: "picked" }] });
    t.ok(c?.choices?.[0]?.message?.content === "echo: picked", "a completion with that model id is answered", c);
  });

  let first; // the plain response, for the continuation and the GET
  h.test("openai responses: plain", 6, async (t) => {
    await fake.reset();
    const r = await client().responses.create({ model: "gpt-5", input: "hello responses", instructions: "Be short." });
    first = r;
    const reqs = await fake.requests();
    const msgs = reqs[0]?.body?.messages ?? [];
    const item = r?.output?.[0];
    t.ok(r?.object === "response" && r?.status === "completed" && typeof r?.id === "string",
      'object "response", status "completed", an id', r);
    t.ok(r?.output_text === "echo: hello responses", 'output_text is "echo: hello responses"', r);
    t.ok(item?.type === "message" && item?.role === "assistant" && item?.content?.[0]?.type === "output_text",
      "output is one assistant message of output_text", r?.output);
    t.ok(Number.isInteger(r?.usage?.input_tokens) && Number.isInteger(r?.usage?.output_tokens) &&
      r.usage.total_tokens === r.usage.input_tokens + r.usage.output_tokens, "usage has the three counts", r?.usage);
    t.ok(reqs.length === 1 && msgs.at(-1)?.role === "user" && textOf(msgs.at(-1)?.content) === "hello responses",
      "the provider got one request ending in the input", reqs.map((q) => q.body));
    t.ok(msgs.some((m) => m?.role === "system" && textOf(m?.content)?.includes("Be short.")),
      "the provider got the instructions as a system message", msgs);
  });

  h.test("openai responses: continued and retrieved", 3, async (t) => {
    if (!first?.id) throw new Error("the plain response gave no id");
    await fake.reset();
    const r = await client().responses.create({ model: "gpt-5", input: "second turn", previous_response_id: first.id });
    const msgs = (await fake.requests())[0]?.body?.messages ?? [];
    const turns = msgs.filter((m) => m?.role !== "system").map((m) => [m?.role, textOf(m?.content)]);
    t.ok(r?.output_text === "echo: second turn" && r?.id !== first.id, "previous_response_id: a new response", r);
    t.ok(JSON.stringify(turns) === JSON.stringify([["user", "hello responses"], ["assistant", "echo: hello responses"],
      ["user", "second turn"]]), "the provider got the earlier turns first", msgs);
    const again = await client().responses.retrieve(first.id);
    t.ok(again?.id === first.id && again?.output_text === "echo: hello responses", "responses.retrieve(id) gives it back", again);
  });

  h.test("openai responses: message items", 1, async (t) => {
    const r = await client().responses.create({
      model: "gpt-5",
      input: [
        { role: "developer", content: "Be kind." },
        { role: "user", content: [{ type: "input_text", text: "part one" }, { type: "input_text", text: "part two" }] },
      ],
    });
    t.ok(r?.output_text === "echo: part one part two", 'the reply to the input_text parts is "echo: part one part two"', r);
  });

  h.test("openai responses: streamed", 5, async (t) => {
    const stream = await client().responses.create({ model: "gpt-5", input: "stream the response", stream: true });
    const events = [];
    for await (const ev of stream) events.push(ev);
    const types = events.map((e) => e?.type);
    const deltas = events.filter((e) => e?.type === "response.output_text.delta").map((e) => e.delta);
    const done = events.find((e) => e?.type === "response.output_text.done");
    const completed = events.at(-1);
    const seq = events.map((e) => e?.sequence_number);
    t.ok(types[0] === "response.created", "the first event is response.created", types);
    t.ok(deltas.length >= 2 && deltas.join("") === "echo: stream the response",
      'the output_text deltas make "echo: stream the response"', events);
    t.ok(done?.text === "echo: stream the response", "response.output_text.done has the whole text", done);
    t.ok(completed?.type === "response.completed" && completed?.response?.status === "completed" &&
      Number.isInteger(completed?.response?.usage?.output_tokens), "the last event is response.completed with usage", completed);
    t.ok(seq.every((s, i) => Number.isInteger(s) && (i === 0 || s > seq[i - 1])), "sequence_number rises", seq);
  });

  h.test("openai responses: typed errors", 6, async (t) => {
    const create = (opts, clientOpts) => client(clientOpts).responses.create({ model: "gpt-5", input: "x", ...opts });
    typedError(t, await caught(() => create({}, { apiKey: "bad.key" })), OpenAI.AuthenticationError, 401,
      { code: "invalid_api_key" });
    typedError(t, await caught(() => create({}, { baseURL: `${base}/api/openai/${crypto.randomUUID()}` })),
      OpenAI.NotFoundError, 404, { code: "model_not_found" });
    typedError(t, await caught(() => create({ input: 42 })), OpenAI.BadRequestError, 400, { type: "invalid_request_error" });
  });

  h.test("openai responses: abort a stream", 2, async (t) => {
    await fake.reset();
    const full = Array.from({ length: 40 }, (_, i) => `r${i}`).join(" ");
    await fake.control({ reply: full, chunk_delay: 0.25, count: 1 }); // about 10 s of words
    const controller = new AbortController();
    let got = "";
    let aborted;
    const err = await caught(async () => {
      const stream = await client().responses.create({ model: "gpt-5", input: "a long one", stream: true },
        { signal: controller.signal });
      for await (const ev of stream) {
        if (ev?.type === "response.output_text.delta") got += ev.delta;
        if (got.length > 0 && aborted === undefined) {
          aborted = Date.now();
          controller.abort();
        }
      }
    });
    const ended = Date.now();
    await fake.reset();
    t.ok(err === undefined && aborted !== undefined && ended - aborted < 1000 && got.length < full.length,
      "abort() ends the event stream at once, with part of the text", { err: brief(err), got, ms: ended - (aborted ?? 0) });
    const next = await client().responses.create({ model: "gpt-5", input: "after" });
    t.ok(next?.output_text === "echo: after", "the next response is answered", next);
  });

  h.test("openai chat: abort a stream", 5, async (t) => {
    await fake.reset();
    const full = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    await fake.control({ reply: full, chunk_delay: 0.25, count: 1 }); // about 10 s of words
    const controller = new AbortController();
    let id;
    let got = "";
    let aborted;
    // The SDK ends the iteration quietly when its signal is aborted.
    const err = await caught(async () => {
      const stream = await client().chat.completions.create({ model: "gpt-5", stream: true,
        messages: [{ role: "user", content: "a long one" }] }, { signal: controller.signal });
      for await (const chunk of stream) {
        id = chunk.id;
        got += chunk?.choices?.[0]?.delta?.content ?? "";
        if (got.length > 0 && aborted === undefined) {
          aborted = Date.now();
          controller.abort();
        }
      }
    });
    const ended = Date.now();
    t.ok(err === undefined && aborted !== undefined && ended - aborted < 1000 && got.length < full.length,
      "abort() ends the iteration at once, with part of the reply", { err: brief(err), got, ms: ended - (aborted ?? 0) });
    await fake.reset();
    const next = await chat([{ role: "user", content: "after" }]);
    t.ok(next?.choices?.[0]?.message?.content === "echo: after", "the next request is answered", next);
    // The stored reply: polled for 5 s, half the time the whole reply takes.
    let last;
    while (UUID.test(String(id)) && Date.now() - aborted < 5000) {
      last = (await getSession(base, key, id)).messages.at(-1);
      if (last?.role === "assistant") break;
      await sleep(200);
    }
    const stored = typeof last?.content === "string" ? last.content : "";
    t.ok(last?.role === "assistant" && stored.length > 0 && stored.length < full.length,
      "within 5 s the session holds a partial reply", { id, got, last });
    t.ok(full.startsWith(stored.trimEnd()) && stored.startsWith(got.trimEnd()),
      "the stored reply is a prefix of the provider's that holds what the client got", { got, stored });
    // Aborted before the first byte: create() itself rejects.
    await fake.control({ delay: 3, count: 1 });
    const early = new AbortController();
    setTimeout(() => early.abort(), 300);
    const before = await caught(() => client().chat.completions.create({ model: "gpt-5",
      messages: [{ role: "user", content: "never mind" }] }, { signal: early.signal }));
    await fake.reset();
    t.ok(before instanceof OpenAI.APIUserAbortError, "abort() before the answer: create() throws APIUserAbortError",
      brief(before));
  });
}
