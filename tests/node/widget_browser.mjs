// widget_browser.mjs - the published Open Chat Studio widget (npm) in
// Chromium, on a page of one loopback origin, talking to Confab on another:
// send a message and see the reply, then upload a text file that the bot
// receives. Prints TAP.
//
// Env: PAGE_URL (the page embedding the widget), FAKE_LLM_URL (the fake
// provider behind the chatbot, to see what the model received),
// CHROMIUM (default /usr/bin/chromium), UPLOAD_FILE (a .txt to attach).
import { chromium } from "playwright-core";

const results = [];
let failed = 0;
function ok(pass, name, got) {
  results.push(`${pass ? "ok" : "not ok"} ${results.filter((l) => /^(not )?ok /.test(l)).length + 1} - ${name}`);
  if (!pass) {
    failed++;
    if (got !== undefined) results.push(`# got: ${JSON.stringify(got)}`.slice(0, 800));
  }
}
const widgetText = (page) =>
  page.evaluate(() => document.querySelector("open-chat-studio-widget")?.shadowRoot?.textContent || "");
async function waitForText(page, text, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if ((await widgetText(page)).includes(text)) return true;
    await page.waitForTimeout(200);
  }
  return false;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const apiCalls = [];
try {
  const page = await browser.newPage();
  page.on("response", (r) => {
    if (r.url().includes("/api/chat/")) apiCalls.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(process.env.PAGE_URL);
  const pageOrigin = new URL(process.env.PAGE_URL).origin;
  await page.locator("textarea.message-textarea").fill("Hello from the browser");
  await page.keyboard.press("Enter");
  ok(await waitForText(page, "echo: Hello from the browser", 20000), "the bot's reply appears in the widget",
    (await widgetText(page)).slice(-300));
  ok(apiCalls.some((c) => /^201 POST \/api\/chat\/start\/$/.test(c)), "the widget started a session (201)", apiCalls);
  ok(apiCalls.some((c) => /^202 POST \/api\/chat\/[0-9a-f-]+\/message\/$/.test(c)), "its message was accepted (202)",
    apiCalls);
  ok(!process.env.API_ORIGIN || process.env.API_ORIGIN !== pageOrigin, "the page and the API are different origins",
    [pageOrigin, process.env.API_ORIGIN]);

  await page.locator("#ocs-file-input").setInputFiles(process.env.UPLOAD_FILE);
  // The widget ignores Enter while it is still busy with the previous turn
  // (seen on a loaded machine): send again until the message shows.
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.locator("textarea.message-textarea").fill("What does my file say?");
    await page.keyboard.press("Enter");
    if (await waitForText(page, "What does my file say?", 8000)) break;
  }
  ok(await waitForText(page, "echo: What does my file say?", 20000), "the reply to the message with a file appears",
    (await widgetText(page)).slice(-300));
  ok(apiCalls.some((c) => /^201 POST \/api\/chat\/[0-9a-f-]+\/upload\/$/.test(c)), "the widget uploaded the file (201)",
    apiCalls);
  if (process.env.FAKE_LLM_URL) {
    const reqs = await (await fetch(`${process.env.FAKE_LLM_URL}/_requests`)).json();
    const last = reqs.at(-1)?.body?.messages?.at(-1)?.content || "";
    ok(last.includes("<document filename=") && last.includes("pineapple"), "the bot received the uploaded text file",
      last);
  }
} catch (e) {
  ok(false, `unexpected ${e?.constructor?.name}: ${e?.message}`);
} finally {
  await browser.close();
}
console.log(`1..${results.filter((l) => /^(not )?ok /.test(l)).length}`);
for (const line of results) console.log(line);
process.exit(failed ? 1 : 0);
