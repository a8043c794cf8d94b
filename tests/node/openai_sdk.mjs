// openai_sdk.mjs - the official OpenAI Node SDK (npm "openai", unmodified)
// against Confab's OpenAI-compatible endpoint POST /api/openai/<chatbot>/
// [v<N>/]chat/completions: plain, streamed, versioned URL, the error cases,
// and what the provider behind the chatbot received. Prints TAP version 13
// on stdout, the plan first; exit status 1 when any point failed.
//
// Env:
//   CONFAB_BASE_URL       e.g. http://127.0.0.1:8123 (required)
//   CONFAB_API_KEY        a team API key (required)
//   CONFAB_CHATBOT_ID     the chatbot's UUID (required)
//   CONFAB_VERSION        a chatbot version number that exists (default 1)
//   EXPECT_REPLY_PREFIX   optional: the plain reply starts with it
//                         (with the fake provider: "echo: hello sdk")
//   EXPECT_STREAM_PREFIX  optional: the streamed reply starts with it
//                         (with the fake provider: "echo: stream me please")
//   EXPECT_PREFIX         optional shorthand: both of the above are this
//                         followed by the user's text (e.g. "echo: ")
//   FAKE_LLM_URL          optional: the fake provider (tests/lib/fake_llm.py);
//                         without it the points that read its recorded
//                         requests are reported as "# SKIP".
import OpenAI from "openai";
import { fakeProvider, getSession as getApiSession, harness, show, textOf, TIMEOUT } from "./tap.mjs";

const env = process.env;
const base = (env.CONFAB_BASE_URL || "").replace(/\/+$/, "");
const key = env.CONFAB_API_KEY || "";
const bot = env.CONFAB_CHATBOT_ID || "";
const version = env.CONFAB_VERSION || "1";
const fake = (env.FAKE_LLM_URL || "").replace(/\/+$/, "");
const replyPrefix = env.EXPECT_REPLY_PREFIX ?? (env.EXPECT_PREFIX !== undefined ? `${env.EXPECT_PREFIX}hello sdk` : undefined);
const streamPrefix = env.EXPECT_STREAM_PREFIX ??
  (env.EXPECT_PREFIX !== undefined ? `${env.EXPECT_PREFIX}stream me please` : undefined);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

if (!base || !key || !bot) {
  console.log("TAP version 13");
  console.log("Bail out! CONFAB_BASE_URL, CONFAB_API_KEY and CONFAB_CHATBOT_ID must be set");
  process.exit(1);
}

const client = (opts = {}) =>
  new OpenAI({ apiKey: key, baseURL: `${base}/api/openai/${bot}`, maxRetries: 0, timeout: TIMEOUT, ...opts });

// ---- TAP (tap.mjs), with t.fake(desc, check) for the points that need the
// fake provider: skipped unless FAKE_LLM_URL is set.
const h = harness((emit) => ({
  fake: (desc, check) => {
    if (!fake) return emit(true, desc, undefined, " # SKIP FAKE_LLM_URL is not set");
    const [pass, got] = check();
    emit(pass, desc, got);
  },
}));
const test = h.test;
const tapFor = h.tapFor;

// ---- helpers (tap.mjs)
const fakeProv = fake ? fakeProvider(fake) : undefined;
const getSession = (id) => getApiSession(base, key, id);
const fakeReset = async () => fakeProv?.reset();
const fakeRequests = async () => fakeProv ? fakeProv.requests() : [];
// Runs fn, which must throw; reports the class and status, and the message.
async function expectError(t, cls, status, fn, messagePart) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  const got = err === undefined ? "no error was thrown" : {
    class: err?.constructor?.name, status: err?.status, message: err?.message, error: err?.error,
  };
  t.ok(err instanceof cls && err.status === status, `throws OpenAI.${cls.name}, status ${status}`, got);
  if (messagePart !== undefined) {
    t.ok(typeof err?.message === "string" && err.message.includes(messagePart),
      `the message contains "${messagePart}"`, got);
  }
}

// ---- cases
let plain; // the reply of case a, for b and j: {id, content, requests}

test("a. plain", 9, async (t) => {
  await fakeReset();
  const c = await client().chat.completions.create({
    model: "anything",
    messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "hello sdk" }],
  });
  const choice = c?.choices?.[0];
  const content = choice?.message?.content;
  plain = { id: c?.id, content, requests: fake ? await fakeRequests() : [] };
  t.ok(c?.object === "chat.completion", 'object is "chat.completion"', c?.object ?? c);
  t.ok(typeof c?.id === "string" && UUID.test(c.id), "id is a UUID (the new session's)", c?.id);
  t.ok(Array.isArray(c?.choices) && c.choices.length === 1 && choice.index === 0,
    "exactly one choice, index 0", c?.choices);
  t.ok(choice?.finish_reason === "stop", 'finish_reason is "stop"', choice?.finish_reason);
  t.ok(choice?.message?.role === "assistant", 'message.role is "assistant"', choice?.message);
  t.ok(typeof content === "string" && content.length > 0, "message.content is a non-empty string", content);
  t.ok(typeof c?.model === "string", "model is a string", c?.model);
  t.ok(typeof c?.created === "number", "created is a number", c?.created);
  if (replyPrefix === undefined) t.skip("content starts with EXPECT_REPLY_PREFIX", "EXPECT_REPLY_PREFIX is not set");
  else t.ok(typeof content === "string" && content.startsWith(replyPrefix), `content starts with ${show(replyPrefix)}`, content);
});

test("j. provider request of a", 3, async (t) => {
  if (fake && !plain) throw new Error("case a got no reply");
  const reqs = plain?.requests ?? [];
  const body = reqs[0]?.body;
  const last = Array.isArray(body?.messages) ? body.messages.at(-1) : undefined;
  t.fake("the provider got exactly one request", () => [reqs.length === 1, reqs]);
  t.fake('its last message is the user\'s "hello sdk"', () =>
    [last?.role === "user" && textOf(last?.content) === "hello sdk", body?.messages ?? body]);
  t.fake("it is not streamed (stream false or absent)", () =>
    [body !== undefined && (body.stream === false || body.stream === undefined), body?.stream ?? body]);
});

test("b. session of a", 4, async (t) => {
  if (!plain?.id) throw new Error("case a got no reply id");
  const s = await getSession(plain.id);
  const msgs = s.messages;
  const before = msgs.slice(0, -1);
  const brief = msgs.map((m) => ({ role: m?.role, content: m?.content }));
  t.ok(s.status === 200, `GET /api/sessions/${plain.id}/ is 200`, { status: s.status, body: s.body });
  t.ok(msgs.at(-1)?.role === "assistant" && msgs.at(-1)?.content === plain.content,
    "the last message is the assistant's reply", { reply: plain.content, messages: brief });
  t.ok(before.some((m) => m?.role === "user" && m?.content === "hello sdk"),
    'an earlier message is the user\'s "hello sdk"', brief);
  t.ok(before.some((m) => m?.role === "system" && m?.content === "You are terse."),
    'an earlier message is the system\'s "You are terse."', brief);
});

test("c. streamed", 7, async (t) => {
  const stream = await client().chat.completions.create({
    model: "x",
    messages: [{ role: "user", content: "stream me please" }],
    stream: true,
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const deltas = chunks.map((c) => c?.choices?.[0]?.delta?.content).filter((d) => typeof d === "string" && d !== "");
  const text = deltas.join("");
  const ids = [...new Set(chunks.map((c) => c?.id))];
  const summary = chunks.map((c) => ({ id: c?.id, object: c?.object, choices: c?.choices }));
  t.ok(deltas.length >= 2, "at least 2 chunks carry content", summary);
  t.ok(chunks.length > 0 && chunks.every((c) => c?.object === "chat.completion.chunk"),
    'every chunk\'s object is "chat.completion.chunk"', chunks.map((c) => c?.object));
  t.ok(ids.length === 1 && typeof ids[0] === "string" && UUID.test(ids[0]), "all chunks share one UUID id", ids);
  t.ok(text.length > 0, "the concatenated content is non-empty", text);
  if (streamPrefix === undefined) t.skip("the content starts with EXPECT_STREAM_PREFIX", "EXPECT_STREAM_PREFIX is not set");
  else t.ok(text.startsWith(streamPrefix), `the content starts with ${show(streamPrefix)}`, text);
  const last = chunks.filter((c) => Array.isArray(c?.choices) && c.choices.length > 0).at(-1);
  t.ok(last?.choices[0]?.finish_reason === "stop", 'the last chunk with a choice has finish_reason "stop"', last);
  if (ids.length !== 1 || !UUID.test(String(ids[0]))) {
    t.ok(false, "the session stores the streamed reply", "no single session id to look up");
  } else {
    const s = await getSession(ids[0]);
    const m = s.messages.at(-1);
    t.ok(s.status === 200 && m?.role === "assistant" && m?.content === text,
      "the session stores the streamed reply", { status: s.status, streamed: text, last: m ?? s.body });
  }
});

test("d. versioned URL", 2, async (t) => {
  const c = await client({ baseURL: `${base}/api/openai/${bot}/v${version}` }).chat.completions.create({
    model: "x", messages: [{ role: "user", content: "versioned" }],
  });
  const ch = c?.choices?.[0];
  t.ok(c?.object === "chat.completion" && UUID.test(String(c?.id)) && ch?.finish_reason === "stop" &&
    ch?.message?.role === "assistant" && typeof ch?.message?.content === "string" && ch.message.content.length > 0,
  `.../v${version}/chat/completions gives a normal answer`, c);
  await expectError(tapFor("d. versioned URL v999"), OpenAI.NotFoundError, 404, () =>
    client({ baseURL: `${base}/api/openai/${bot}/v999` }).chat.completions.create({
      model: "x", messages: [{ role: "user", content: "x" }],
    }));
});

test("e. wrong key", 1, (t) =>
  expectError(t, OpenAI.AuthenticationError, 401, () =>
    client({ apiKey: "bad.key" }).chat.completions.create({ model: "x", messages: [{ role: "user", content: "x" }] })));

test("f. last message not from the user", 2, (t) =>
  expectError(t, OpenAI.BadRequestError, 400, () =>
    client().chat.completions.create({
      model: "x", messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }],
    }), "Last message must be a user message"));

test("g. unknown chatbot", 1, (t) =>
  expectError(t, OpenAI.NotFoundError, 404, () =>
    client({ baseURL: `${base}/api/openai/${crypto.randomUUID()}` }).chat.completions.create({
      model: "x", messages: [{ role: "user", content: "x" }],
    })));

test("h. empty messages", 2, (t) =>
  expectError(t, OpenAI.BadRequestError, 400, () =>
    client().chat.completions.create({ model: "x", messages: [] }), "No messages provided"));

test("i. content as text parts", 2, async (t) => {
  await fakeReset();
  const { data, response } = await client().chat.completions.create({
    model: "x",
    messages: [{ role: "user", content: [{ type: "text", text: "part one" }, { type: "text", text: "part two" }] }],
  }).withResponse();
  const content = data?.choices?.[0]?.message?.content;
  t.ok(response.status === 200 && typeof content === "string" && content.length > 0,
    "200 with a reply", { status: response.status, body: data });
  const reqs = fake ? await fakeRequests() : [];
  const last = reqs[0]?.body?.messages?.at?.(-1);
  t.fake('the provider got one request, its last message "part one part two"', () =>
    [reqs.length === 1 && last?.role === "user" && textOf(last?.content) === "part one part two", reqs]);
});

// ---- run
process.exit(await h.run());
