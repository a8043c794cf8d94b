// clients_vercel.mjs - the Vercel AI SDK (`ai`) against Confab: through
// @ai-sdk/openai-compatible (chat completions: plain, streamed, structured
// output, errors, abort) and through @ai-sdk/openai, whose default model
// speaks the Responses API and sends a system prompt as `developer`.
import { APICallError, generateText, jsonSchema, Output, streamText } from "ai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { createOpenAI } from "@ai-sdk/openai";
import { caught, textOf } from "./tap.mjs";

const brief = (err) => err === undefined ? "no error was thrown" : {
  class: err?.constructor?.name, name: err?.name, status: err?.statusCode, message: err?.message, data: err?.data,
  body: err?.responseBody,
};

export function register(h, ctx) {
  const { base, key, url, fake } = ctx;
  const compatible = (opts = {}) =>
    createOpenAICompatible({ name: "confab", baseURL: url, apiKey: key, includeUsage: true, ...opts });
  const openai = (opts = {}) => createOpenAI({ baseURL: url, apiKey: key, ...opts });

  h.test("vercel compatible: generateText", 3, async (t) => {
    const r = await generateText({
      model: compatible()("any-model"), system: "Be brief.", prompt: "hello vercel", maxRetries: 0,
    });
    t.ok(r?.text === "echo: hello vercel", 'text is "echo: hello vercel"', r?.text);
    t.ok(r?.finishReason === "stop", 'finishReason is "stop"', r?.finishReason);
    t.ok(Number.isInteger(r?.usage?.inputTokens) && Number.isInteger(r?.usage?.outputTokens), "usage is read", r?.usage);
  });

  h.test("vercel compatible: streamText", 2, async (t) => {
    const r = streamText({ model: compatible()("any-model"), prompt: "stream vercel", maxRetries: 0 });
    let text = "";
    for await (const piece of r.textStream) text += piece;
    t.ok(text === "echo: stream vercel", 'the stream makes "echo: stream vercel"', text);
    const usage = await r.usage;
    t.ok(Number.isInteger(usage?.outputTokens), "usage arrives after the stream", usage);
  });

  h.test("vercel compatible: structured output", 2, async (t) => {
    await fake.reset();
    await fake.control({ reply: '{"city": "Paris", "people": 2100000}' });
    const schema = jsonSchema({
      type: "object", properties: { city: { type: "string" }, people: { type: "integer" } },
      required: ["city", "people"], additionalProperties: false,
    });
    const r = await generateText({
      model: compatible({ supportsStructuredOutputs: true })("any-model"),
      output: Output.object({ schema }), prompt: "the largest French city", maxRetries: 0,
    });
    const reqs = await fake.requests();
    await fake.reset();
    t.ok(r?.output?.city === "Paris" && r?.output?.people === 2100000, "the output object is parsed", r?.output);
    const rf = reqs[0]?.body?.response_format;
    t.ok(rf?.type === "json_schema" && rf?.json_schema?.schema?.properties?.city?.type === "string",
      "the provider request carries the json_schema response_format", reqs.map((q) => q.body));
  });

  h.test("vercel compatible: errors", 4, async (t) => {
    const call = (opts) => generateText({ model: compatible(opts)("any-model"), prompt: "x", maxRetries: 0 });
    // The SDK shows data.error.message when the body has OpenAI's error shape,
    // else only the status text ("Unauthorized", "Not Found").
    const bad = await caught(() => call({ apiKey: "bad.key" }));
    t.ok(APICallError.isInstance(bad) && bad.statusCode === 401, "a bad key: APICallError, status 401", brief(bad));
    t.ok(typeof bad?.data?.error?.message === "string" && bad.message === bad.data.error.message &&
      bad?.data?.error?.code === "invalid_api_key", "its message and code come from the body's error object", brief(bad));
    const unknown = await caught(() => call({ baseURL: `${base}/api/openai/${crypto.randomUUID()}` }));
    t.ok(APICallError.isInstance(unknown) && unknown.statusCode === 404, "an unknown chatbot: APICallError, status 404",
      brief(unknown));
    t.ok(typeof unknown?.data?.error?.message === "string" && unknown.message === unknown.data.error.message,
      "its message comes from the body's error object", brief(unknown));
  });

  h.test("vercel compatible: abort", 2, async (t) => {
    await fake.reset();
    await fake.control({ reply: Array.from({ length: 40 }, (_, i) => `v${i}`).join(" "), chunk_delay: 0.25, count: 1 });
    const controller = new AbortController();
    const r = streamText({ model: compatible()("any-model"), prompt: "long", abortSignal: controller.signal, maxRetries: 0 });
    let text = "";
    const start = Date.now();
    const err = await caught(async () => {
      for await (const piece of r.textStream) {
        text += piece;
        controller.abort();
      }
    });
    await fake.reset();
    t.ok(text.length > 0 && !text.includes("v39") && Date.now() - start < 5000,
      "the stream ends early after abort()", { text, ms: Date.now() - start, err: err?.name });
    const next = await generateText({ model: compatible()("any-model"), prompt: "after abort", maxRetries: 0 });
    t.ok(next?.text === "echo: after abort", "the next request is answered", next?.text);
  });

  h.test("vercel openai: Responses API, system as developer", 3, async (t) => {
    await fake.reset();
    const r = await generateText({
      model: openai()("gpt-5"), system: "Use few words.", prompt: "hello responses sdk", maxRetries: 0,
    });
    const msgs = (await fake.requests())[0]?.body?.messages ?? [];
    t.ok(r?.text === "echo: hello responses sdk", 'openai("gpt-5") answers "echo: hello responses sdk"', r?.text);
    t.ok(r?.response?.id !== undefined && Number.isInteger(r?.usage?.outputTokens), "a response id and usage", r?.response);
    t.ok(msgs.some((m) => m?.role === "system" && textOf(m?.content)?.includes("Use few words.")),
      "the provider got the developer prompt as a system message", msgs);
  });

  h.test("vercel openai: Responses API streamed", 1, async (t) => {
    const r = streamText({ model: openai()("gpt-5"), prompt: "stream responses sdk", maxRetries: 0 });
    let text = "";
    for await (const piece of r.textStream) text += piece;
    t.ok(text === "echo: stream responses sdk", 'the stream makes "echo: stream responses sdk"', text);
  });

  h.test("vercel openai: chat model with developer role", 1, async (t) => {
    const r = await generateText({
      model: openai().chat("gpt-5"), system: "Use few words.", prompt: "hello chat sdk", maxRetries: 0,
    });
    t.ok(r?.text === "echo: hello chat sdk", 'openai.chat("gpt-5") answers "echo: hello chat sdk"', r?.text);
  });
}
