// openai_clients.mjs - real, unmodified OpenAI clients against Confab's
// /api/openai/<chatbot>/ routes: the official `openai` SDK (clients_openai.mjs),
// the Vercel AI SDK (clients_vercel.mjs) and LangChain.js (clients_langchain.mjs),
// each over chat completions and the Responses API, with the fake provider
// behind the chatbot. Prints TAP version 13, the plan first; exit 1 on failure.
//
// Env (all required):
//   CONFAB_BASE_URL    e.g. http://127.0.0.1:8123
//   CONFAB_API_KEY     a team API key that may write
//   CONFAB_CHATBOT_ID  a chatbot whose provider is the fake one (OpenAI type)
//   CONFAB_VERSION     a version number of it that exists
//   FAKE_LLM_URL       the fake provider (tests/lib/fake_llm.py)
// Optional: CLIENTS=openai,vercel,langchain (which groups run; default all).
import { harness, fakeProvider } from "./tap.mjs";
import { register as openai } from "./clients_openai.mjs";
import { register as vercel } from "./clients_vercel.mjs";
import { register as langchain } from "./clients_langchain.mjs";

const env = process.env;
const ctx = {
  base: (env.CONFAB_BASE_URL || "").replace(/\/+$/, ""),
  key: env.CONFAB_API_KEY || "",
  bot: env.CONFAB_CHATBOT_ID || "",
  version: env.CONFAB_VERSION || "1",
  fake: fakeProvider((env.FAKE_LLM_URL || "").replace(/\/+$/, "")),
};
if (!ctx.base || !ctx.key || !ctx.bot || !env.FAKE_LLM_URL) {
  console.log("TAP version 13");
  console.log("Bail out! CONFAB_BASE_URL, CONFAB_API_KEY, CONFAB_CHATBOT_ID and FAKE_LLM_URL must be set");
  process.exit(1);
}
ctx.url = `${ctx.base}/api/openai/${ctx.bot}`;

const groups = { openai, vercel, langchain };
const chosen = (env.CLIENTS || Object.keys(groups).join(",")).split(",").map((s) => s.trim()).filter(Boolean);
const h = harness();
for (const name of chosen) {
  if (!groups[name]) {
    console.log(`Bail out! unknown client group ${name} (known: ${Object.keys(groups).join(", ")})`);
    process.exit(1);
  }
  groups[name](h, ctx);
}
process.exit(await h.run());
