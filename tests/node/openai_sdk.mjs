// openai_sdk.mjs - the official OpenAI Node SDK against Confab's
// chat-completions endpoint, unchanged: plain, streamed, versioned URL,
// wrong key, non-user last message, unknown chatbot. Prints TAP.
//
// Env: CONFAB_BASE_URL, CONFAB_API_KEY, CONFAB_CHATBOT_ID, CONFAB_VERSION
// (a version number that exists, default 1), EXPECT_PREFIX (optional: the
// reply must start with it followed by the user's text, as the fake
// provider's "echo: " does), FAKE_LLM_URL (optional: assert what the
// provider received).
import OpenAI from "openai";

const base = process.env.CONFAB_BASE_URL;
const key = process.env.CONFAB_API_KEY;
const bot = process.env.CONFAB_CHATBOT_ID;
const version = process.env.CONFAB_VERSION || "1";
const prefix = process.env.EXPECT_PREFIX;
const fake = process.env.FAKE_LLM_URL;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const client = (opts = {}) =>
  new OpenAI({ apiKey: key, baseURL: `${base}/api/openai/${bot}`, maxRetries: 0, timeout: 30000, ...opts });

let n = 0;
let failed = 0;
const results = [];
function ok(pass, name, got) {
  n++;
  if (pass) {
    results.push(`ok ${n} - ${name}`);
  } else {
    failed++;
    results.push(`not ok ${n} - ${name}`);
    if (got !== undefined) results.push(`# got: ${JSON.stringify(got)}`.slice(0, 600));
  }
}
function skip(name, why) {
  n++;
  results.push(`ok ${n} - ${name} # SKIP ${why}`);
}
async function session(id) {
  const r = await fetch(`${base}/api/sessions/${id}/`, { headers: { "X-Api-Key": key } });
  return { status: r.status, body: await r.json() };
}
async function fakeReset() {
  if (fake) await fetch(`${fake}/_reset`, { method: "POST" });
}
async function fakeRequests() {
  return fake ? (await fetch(`${fake}/_requests`)).json() : [];
}
// Runs fn; an unexpected exception fails `count` points named after label.
async function step(label, count, fn) {
  const before = n;
  try {
    await fn();
  } catch (e) {
    while (n < before + count) ok(false, `${label}: unexpected ${e?.constructor?.name}: ${e?.message}`);
  }
}
// Expects fn to throw an instance of cls with the status (and message part).
async function expectError(label, cls, status, fn, messagePart) {
  try {
    await fn();
    ok(false, `${label}: throws ${cls.name}`, "no error");
  } catch (e) {
    ok(e instanceof cls && e.status === status, `${label}: ${cls.name} with status ${status}`,
      { name: e?.constructor?.name, status: e?.status, message: e?.message });
  }
  if (messagePart !== undefined) {
    try {
      await fn();
    } catch (e) {
      ok(String(e?.message).includes(messagePart), `${label}: message mentions "${messagePart}"`, e?.message);
    }
  }
}

// a. plain
await step("plain", 8, async () => {
  await fakeReset();
  const c = await client().chat.completions.create({
    model: "anything",
    messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "hello sdk" }],
  });
  ok(c.object === "chat.completion", "plain: object chat.completion", c.object);
  ok(UUID.test(c.id), "plain: id is the session's UUID", c.id);
  ok(c.choices.length === 1 && c.choices[0].index === 0 && c.choices[0].finish_reason === "stop",
    "plain: one choice, finish_reason stop", c.choices);
  const content = c.choices[0].message.content;
  ok(c.choices[0].message.role === "assistant" && typeof content === "string" && content.length > 0,
    "plain: assistant content", c.choices[0].message);
  ok(prefix === undefined || content === `${prefix}hello sdk`, "plain: the provider's reply", content);
  ok(typeof c.model === "string" && typeof c.created === "number", "plain: model string, created number", c);
  const s = await session(c.id);
  const msgs = s.body.messages || [];
  const roles = msgs.map((m) => [m.role, m.content]);
  ok(s.status === 200 && JSON.stringify(roles) ===
    JSON.stringify([["system", "You are terse."], ["user", "hello sdk"], ["assistant", content]]),
    "plain: the session holds the conversation", roles);
  if (fake) {
    const reqs = await fakeRequests();
    const sent = reqs.length === 1 ? reqs[0].body.messages : null;
    ok(sent && sent[sent.length - 1].content === "hello sdk" && reqs[0].body.stream === false,
      "plain: the provider got the user's turn, not streamed", reqs);
  } else {
    skip("plain: the provider got the user's turn", "no FAKE_LLM_URL");
  }
});

// c. streamed
await step("stream", 5, async () => {
  const stream = await client().chat.completions.create({
    model: "x",
    messages: [{ role: "user", content: "stream me please" }],
    stream: true,
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const withContent = chunks.filter((c) => c.choices[0]?.delta?.content);
  const text = chunks.map((c) => c.choices[0]?.delta?.content || "").join("");
  ok(withContent.length >= 2, "stream: several content chunks", chunks.length);
  ok(chunks.every((c) => c.object === "chat.completion.chunk") && new Set(chunks.map((c) => c.id)).size === 1 &&
    UUID.test(chunks[0].id), "stream: chunks of one session id", chunks.map((c) => [c.object, c.id]));
  ok(text.length > 0 && (prefix === undefined || text === `${prefix}stream me please`), "stream: text", text);
  const last = chunks.filter((c) => c.choices.length > 0).pop();
  ok(last?.choices[0].finish_reason === "stop", "stream: finish_reason stop", last);
  const s = await session(chunks[0].id);
  ok(s.body.messages?.at(-1)?.content === text, "stream: the full reply is stored", s.body.messages?.at(-1));
});

// d. versioned URL
await step("versioned", 1, async () => {
  const c = await client({ baseURL: `${base}/api/openai/${bot}/v${version}` }).chat.completions.create({
    model: "x", messages: [{ role: "user", content: "versioned" }],
  });
  ok(c.choices[0].message.content.length > 0, `v${version}: answers`, c);
});
await expectError("v999", OpenAI.NotFoundError, 404, () =>
  client({ baseURL: `${base}/api/openai/${bot}/v999` }).chat.completions.create({
    model: "x", messages: [{ role: "user", content: "x" }],
  }));

// e. wrong key
await expectError("wrong key", OpenAI.AuthenticationError, 401, () =>
  client({ apiKey: "bad.key" }).chat.completions.create({ model: "x", messages: [{ role: "user", content: "x" }] }));

// f. last message not from the user
await expectError("assistant last", OpenAI.BadRequestError, 400, () =>
  client().chat.completions.create({
    model: "x", messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }],
  }), "Last message must be a user message");

// g. unknown chatbot
await expectError("unknown chatbot", OpenAI.NotFoundError, 404, () =>
  client({ baseURL: `${base}/api/openai/${crypto.randomUUID()}` }).chat.completions.create({
    model: "x", messages: [{ role: "user", content: "x" }],
  }));

// h. no messages
await expectError("no messages", OpenAI.BadRequestError, 400, () =>
  client().chat.completions.create({ model: "x", messages: [] }), "No messages provided");

// i. content as text parts
await step("parts", 2, async () => {
  await fakeReset();
  const c = await client().chat.completions.create({
    model: "x",
    messages: [{ role: "user", content: [{ type: "text", text: "part one" }, { type: "text", text: "part two" }] }],
  });
  ok(prefix === undefined || c.choices[0].message.content === `${prefix}part one part two`,
    "parts: joined with a space", c.choices[0].message.content);
  if (fake) {
    const reqs = await fakeRequests();
    ok(reqs.length === 1 && reqs[0].body.messages.at(-1).content === "part one part two",
      "parts: the provider got the joined text", reqs);
  } else {
    skip("parts: the provider got the joined text", "no FAKE_LLM_URL");
  }
});

console.log("TAP version 13");
console.log(`1..${n}`);
for (const line of results) console.log(line);
process.exit(failed ? 1 : 0);
