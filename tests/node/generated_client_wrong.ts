// generated_client_wrong.ts - uses of the generated client that the
// document forbids; each line after a @ts-expect-error must be a type error
// (tsc reports an unused directive otherwise), so the types
// generated_client.ts relies on are proven to constrain it.
import createClient from "openapi-fetch";
import type { components, paths } from "./confab-api.js";

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:1" });

export async function wrong(): Promise<void> {
  // @ts-expect-error a field the create body does not have, the required one missing
  await api.POST("/api/sessions/", { body: { experiment_id: "x" } });
  // @ts-expect-error a path the document does not list
  await api.GET("/api/session/");
  // @ts-expect-error the retrieve route needs its path parameter
  await api.GET("/api/sessions/{id}/", {});
  // @ts-expect-error page_size is a number
  await api.GET("/api/sessions/", { params: { query: { page_size: "2" } } });
  // @ts-expect-error the list has no such filter
  await api.GET("/api/sessions/", { params: { query: { chatbot: "x" } } });
  const { data } = await api.GET("/api/sessions/");
  // @ts-expect-error a page has results, not items
  console.log(data?.items);
  const one = await api.GET("/api/sessions/{id}/", { params: { path: { id: "x" } } });
  // @ts-expect-error a session's status is an enum, not any string
  const status: components["schemas"]["ExperimentSession"]["status"] = "running";
  // @ts-expect-error platform may be null
  const platform: string = one.data!.platform;
  // @ts-expect-error the chat start answers session_token, not token
  console.log((await api.POST("/api/chat/start/", { body: { chatbot_id: "x", participant_remote_id: "" } })).data?.token);
  // @ts-expect-error message is a string
  await api.POST("/api/chat/{session_id}/message/", { params: { path: { session_id: "x" } }, body: { message: 1 } });
  // @ts-expect-error a task poll's message may be null
  const text: string = (await api.GET("/api/chat/{session_id}/{task_id}/poll/", { params: { path: { session_id: "x", task_id: "y" } } })).data!.message.content;
  console.log(status, platform, text);
}
