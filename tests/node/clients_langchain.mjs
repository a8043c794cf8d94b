// clients_langchain.mjs - LangChain.js ChatOpenAI (@langchain/openai) against
// Confab: invoke and stream over chat completions, a reasoning-model name
// (LangChain then sends the system prompt as `developer`),
// withStructuredOutput (json_schema and json_object), the Responses API
// (useResponsesApi) and the error for a bad key.
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { caught, textOf, TIMEOUT } from "./tap.mjs";

const SCHEMA = {
  title: "city", description: "A city and its population",
  type: "object", properties: { city: { type: "string" }, people: { type: "integer" } },
  required: ["city", "people"], additionalProperties: false,
};

export function register(h, ctx) {
  const { key, url, fake } = ctx;
  const model = (opts = {}) => new ChatOpenAI({
    model: "gpt-4o-mini", apiKey: key, configuration: { baseURL: url }, maxRetries: 0, timeout: TIMEOUT, ...opts,
  });
  const prompt = (text) => [new SystemMessage("Be brief."), new HumanMessage(text)];

  h.test("langchain: invoke", 2, async (t) => {
    const m = await model().invoke(prompt("hello langchain"));
    t.ok(m?.content === "echo: hello langchain", 'content is "echo: hello langchain"', m?.content);
    t.ok(m?.response_metadata?.finish_reason === "stop" && Number.isInteger(m?.usage_metadata?.output_tokens),
      "finish_reason and usage are read", { meta: m?.response_metadata, usage: m?.usage_metadata });
  });

  h.test("langchain: stream", 1, async (t) => {
    let text = "";
    for await (const chunk of await model().stream(prompt("stream langchain"))) text += chunk?.content ?? "";
    t.ok(text === "echo: stream langchain", 'the chunks make "echo: stream langchain"', text);
  });

  h.test("langchain: reasoning model, system as developer", 2, async (t) => {
    await fake.reset();
    const m = await model({ model: "o3" }).invoke(prompt("hello o3"));
    const msgs = (await fake.requests())[0]?.body?.messages ?? [];
    t.ok(m?.content === "echo: hello o3", 'content is "echo: hello o3"', m?.content);
    t.ok(msgs.some((q) => q?.role === "system" && textOf(q?.content)?.includes("Be brief.")),
      "the provider got the developer prompt as a system message", msgs);
  });

  for (const method of ["jsonSchema", "jsonMode"]) {
    h.test(`langchain: withStructuredOutput ${method}`, 2, async (t) => {
      await fake.reset();
      await fake.control({ reply: '{"city": "Lyon", "people": 520000}' });
      const structured = model().withStructuredOutput(SCHEMA, { method });
      const out = await structured.invoke(prompt("a French city, as JSON"));
      const reqs = await fake.requests();
      await fake.reset();
      t.ok(out?.city === "Lyon" && out?.people === 520000, "the reply is parsed into the object", out);
      const want = method === "jsonSchema" ? "json_schema" : "json_object";
      t.ok(reqs[0]?.body?.response_format?.type === want, `the provider request carries response_format ${want}`,
        reqs.map((q) => q.body));
    });
  }

  h.test("langchain: Responses API", 1, async (t) => {
    const m = await model({ useResponsesApi: true }).invoke(prompt("hello responses langchain"));
    t.ok(textOf(m?.content) === "echo: hello responses langchain", 'the text is "echo: hello responses langchain"', m?.content);
  });

  h.test("langchain: bad key", 2, async (t) => {
    const err = await caught(() => model({ apiKey: "bad.key" }).invoke(prompt("x")));
    t.ok(err?.status === 401 && err?.lc_error_code === "MODEL_AUTHENTICATION",
      "a 401 that LangChain marks MODEL_AUTHENTICATION", { name: err?.name, status: err?.status, lc: err?.lc_error_code });
    t.ok(err?.code === "invalid_api_key" && !String(err?.message).includes("no body"),
      "its code and message come from the body's error object", { message: err?.message, code: err?.code });
  });
}
