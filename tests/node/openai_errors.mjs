// openai_errors.mjs - one failing chat completion through the official
// OpenAI Node SDK (npm "openai", unmodified, with its own retry rule), for
// tests/integration/openai_errors.test: prints one JSON line saying what the
// SDK threw (class, status, type, code, param, message), the x-should-retry
// it saw and how long the call took with the SDK's retries.
//
//   node openai_errors.mjs BASE_URL API_KEY CHATBOT_ID MAX_RETRIES
import OpenAI from "openai";

const [base, key, bot, retries] = process.argv.slice(2);
const client = new OpenAI({
  apiKey: key, baseURL: `${base.replace(/\/+$/, "")}/api/openai/${bot}`,
  maxRetries: Number(retries), timeout: 60000,
});
const t0 = Date.now();
const out = {};
try {
  await client.chat.completions.create({ model: "any", messages: [{ role: "user", content: "sdk error case" }] });
  out.class = "none";
} catch (err) {
  out.class = err?.constructor?.name;
  out.status = err?.status ?? null;
  out.type = err?.type ?? null;
  out.code = err?.code ?? null;
  out.param = err?.param ?? null;
  out.message = err?.message ?? null;
  out.should_retry = err?.headers?.get?.("x-should-retry") ?? null;
}
out.seconds = (Date.now() - t0) / 1000;
console.log(JSON.stringify(out));
