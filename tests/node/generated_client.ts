// generated_client.ts - a client typed from the OpenAPI document the stack
// serves: tests/integration/generated_client.test generates confab-api.d.ts
// with openapi-typescript, type-checks this file with tsc --strict and runs
// it (Node strips the types). Every call goes through openapi-fetch with a
// typed path, body and answer, so a schema that no longer matches what this
// program sends or reads fails tsc before any request. Prints "ok - ..." /
// "not ok - ..." lines that the shell test numbers.
import createClient from "openapi-fetch";
import type { components, paths } from "./confab-api.js";

// The two things of Node this file uses (no @types/node in tests/node).
declare const process: { env: Record<string, string | undefined>; exitCode: number };

type Session = components["schemas"]["ExperimentSession"];
type SessionPage = components["schemas"]["PaginatedExperimentSessionList"];

const BASE = process.env.CONFAB_BASE_URL ?? "";
const KEY = process.env.CONFAB_API_KEY ?? "";
const BOT = process.env.CONFAB_CHATBOT_ID ?? "";
let failed = 0;

function check(pass: boolean, desc: string, got?: unknown): void {
  console.log(`${pass ? "ok" : "not ok"} - ${desc}`);
  if (!pass) {
    failed++;
    console.log(`# got: ${JSON.stringify(got)?.slice(0, 600)}`);
  }
}

const api = createClient<paths>({ baseUrl: BASE, headers: { "X-Api-Key": KEY } });
const chat = createClient<paths>({ baseUrl: BASE });

async function sessions(): Promise<void> {
  const first = await api.POST("/api/sessions/", {
    body: { experiment: BOT, participant: "typed@example.org", state: { step: 1 },
            messages: [{ role: "user", content: "Hello from a typed client" }] },
  });
  const a: Session | undefined = first.data;
  check(first.response.status === 201 && a !== undefined, "POST /api/sessions/: 201 with an ExperimentSession", first.error);
  if (a === undefined)
    return;
  check(a.experiment.id === BOT && a.status === "setup" && a.platform === null,
        "create: experiment, status setup, platform null", a);
  check(a.participant?.identifier === "typed@example.org" && a.team.slug === "demo",
        "create: participant and team", a);
  check(first.response.headers.get("Location") === a.url && a.url.endsWith(`/api/sessions/${a.id}/`),
        "create: Location is the session's url", first.response.headers.get("Location"));

  const second = await api.POST("/api/sessions/", { body: { experiment: BOT } });
  const b = second.data;
  check(b !== undefined && b.id !== a.id && b.participant?.identifier === process.env.CONFAB_USER,
        "a second session, participant the caller's e-mail", second.data ?? second.error);

  const list = await api.GET("/api/sessions/");
  const page: SessionPage | undefined = list.data;
  const ids = page?.results.map((s) => s.id) ?? [];
  check(list.response.status === 200 && page?.count === 2 && page.next === null && page.previous === null,
        "GET /api/sessions/: a PaginatedExperimentSessionList of 2, no other page", page);
  check(ids[0] === b?.id && ids[1] === a.id, "list: newest first", ids);

  // one per page, filtered by the chatbot: the cursor of next leads to the older one
  const p1 = await api.GET("/api/sessions/", { params: { query: { experiment: BOT, page_size: 1 } } });
  const cursor = p1.data?.next ? new URL(p1.data.next).searchParams.get("cursor") : null;
  check(p1.data?.count === 2 && p1.data.results.length === 1 && p1.data.results[0]?.id === b?.id && cursor !== null,
        "list ?experiment&page_size=1: the newest, count 2, a next cursor", p1.data ?? p1.error);
  const p2 = await api.GET("/api/sessions/", { params: { query: { experiment: BOT, page_size: 1, cursor: cursor ?? "" } } });
  check(p2.data?.results.length === 1 && p2.data.results[0]?.id === a.id && p2.data.count === undefined &&
        p2.data.next === null && p2.data.previous !== null, "list ?cursor: the older one, no count, a previous", p2.data ?? p2.error);
  const none = await api.GET("/api/sessions/", { params: { query: { tags: "no-such-tag" } } });
  check(none.data?.count === 0 && none.data.results.length === 0, "list ?tags=no-such-tag: empty page", none.data ?? none.error);

  const one = await api.GET("/api/sessions/{id}/", { params: { path: { id: a.id } } });
  const s = one.data;
  check(one.response.status === 200 && s?.id === a.id && s.messages.length === 1 &&
        s.messages[0]?.role === "user" && s.messages[0]?.content === "Hello from a typed client",
        "GET /api/sessions/{id}/: the seeded message", s);
  check(s?.usage.total_cost === "0.00000000" && s.usage.by_model.length === 0 &&
        JSON.stringify(s.state) === '{"step":1}', "retrieve: usage and state", s);
  check(one.response.headers.get("ETag") !== null, "retrieve: an ETag", null);

  const missing = await api.GET("/api/sessions/{id}/", { params: { path: { id: "00000000-0000-4000-8000-000000000000" } } });
  const err = missing.error;
  check(missing.response.status === 404 && missing.data === undefined && err !== undefined && "detail" in err &&
        err.detail === "No ExperimentSession matches the given query.",
        "unknown session: 404, the DetailError body", err);

  const bad = await api.POST("/api/sessions/", { body: { experiment: "x" } });
  const fields = bad.error;
  const why = fields !== undefined && !("detail" in fields) && !("error" in fields) && !("errors" in fields)
    ? fields.experiment : undefined;
  check(bad.response.status === 400 && Array.isArray(why) && why[0] === "“x” is not a valid UUID.",
        "experiment not a UUID: 400 FieldErrors", fields);
}

async function experiments(): Promise<void> {
  const { data, response } = await api.GET("/api/experiments/", { params: { query: { page_size: 10 } } });
  const bot = data?.results.find((e) => e.id === BOT);
  check(response.status === 200 && data?.count === 1 && bot?.name === "Demo bot" &&
        bot.url.endsWith(`/api/experiments/${BOT}/`), "GET /api/experiments/: the demo bot", data);
  const one = await api.GET("/api/experiments/{id}/", { params: { path: { id: BOT } } });
  check(one.data?.id === BOT && Array.isArray(one.data.versions), "GET /api/experiments/{id}/", one.data ?? one.error);
}

async function widget(): Promise<void> {
  const start = await chat.POST("/api/chat/start/", {
    body: { chatbot_id: BOT, participant_remote_id: "typed-remote", participant_name: "Typed" },
  });
  const st = start.data;
  check(start.response.status === 201 && st !== undefined && st.chatbot.id === BOT &&
        st.participant.remote_id === "typed-remote" && st.participant.identifier.startsWith("anon:") &&
        st.session_token.length > 0, "POST /api/chat/start/: ChatStartSessionResponse", st ?? start.error);
  if (st === undefined)
    return;
  const headers = { "X-Session-Token": st.session_token };
  const path = { session_id: st.session_id };

  const sent = await chat.POST("/api/chat/{session_id}/message/", {
    params: { path }, headers, body: { message: "What are the hours?" },
  });
  const task = sent.data;
  check(sent.response.status === 202 && task?.status === "processing" && task.task_id.length > 0,
        "POST message: 202 processing with a task id", task ?? sent.error);
  if (task === undefined)
    return;

  let reply: components["schemas"]["Message"] | null = null;
  let polls = 0;
  while (reply === null && polls < 100) {   // a bounded count of polls, no clock
    polls++;
    const poll = await chat.GET("/api/chat/{session_id}/{task_id}/poll/", {
      params: { path: { session_id: st.session_id, task_id: task.task_id }, query: { wait: 5 } }, headers,
    });
    if (poll.data === undefined) {
      check(false, "task poll answered 200", poll.error);
      return;
    }
    reply = poll.data.status === "complete" ? poll.data.message : null;
    if (reply === null)
      await new Promise((resolve) => setTimeout(resolve, 200));
  }
  check(reply?.role === "assistant" && reply.content === "You said: What are the hours?",
        "task poll: complete, the reply Message", reply);

  const all = await chat.GET("/api/chat/{session_id}/poll/", { params: { path, query: { limit: 10 } }, headers });
  const msgs = all.data?.messages.map((m) => `${m.role}: ${m.content}`) ?? [];
  check(all.data?.session_status === "active" && all.data.has_more === false && msgs.length === 2 &&
        msgs[0] === "user: What are the hours?" && msgs[1] === "assistant: You said: What are the hours?",
        "session poll: ChatPollResponse with both messages", all.data ?? all.error);

  const other = await chat.GET("/api/chat/{session_id}/{task_id}/poll/", {
    params: { path: { session_id: st.session_id, task_id: "00000000-0000-4000-8000-000000000000" } }, headers,
  });
  check(other.response.status === 200 && other.data?.status === "processing" && other.data.message === null,
        "unknown task id: processing, message null", other.data ?? other.error);
}

await sessions();
await experiments();
await widget();
console.log(`# ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
