// api_docs_browser.mjs - GET /api/docs/ in Chromium (playwright-core): at a
// phone's width nothing scrolls sideways, and typing in the search box
// hides the operations that do not match. Prints one line per check,
// "0 name" (passed) or "1 name" (failed), and "# ..." diagnostics, for
// tests/integration/api_docs_page.test to count.
//
// Env: DOCS_URL (the page), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOT_DIR (optional: saves desktop, phone and search screenshots).
import { chromium } from "playwright-core";

let failed = 0;
function check(pass, name, got) {
  console.log(`${pass ? 0 : 1} ${name}`);
  if (!pass) {
    failed++;
    if (got !== undefined) console.log(`# got: ${JSON.stringify(got)}`.slice(0, 800));
  }
}

const url = process.env.DOCS_URL;
const shots = process.env.SCREENSHOT_DIR;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const visible = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("article.op")].filter((e) => e.offsetParent !== null).map((e) => e.querySelector("h3").textContent),
  );
try {
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await desktop.goto(url);
  if (shots) await desktop.screenshot({ path: `${shots}/api-docs-desktop.png` });
  const wide = await desktop.evaluate(() => ({
    toc: document.getElementById("toc").open,
    search: document.getElementById("q").offsetParent !== null,
  }));
  check(wide.toc && wide.search, "1280 px: the contents are open and the search box is shown", wide);

  const small = await browser.newPage({ viewport: { width: 320, height: 640 }, isMobile: true });
  await small.goto(url);
  const narrow = await small.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(narrow[0] <= narrow[1], "320 px: the page does not scroll sideways", narrow);

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 2 });
  await phone.goto(url);
  const widths = await phone.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    view: document.documentElement.clientWidth,
    toc: document.getElementById("toc").open,
  }));
  check(widths.scroll <= widths.view, "390 px: the page does not scroll sideways", widths);
  check(!widths.toc, "390 px: the contents start folded", widths);
  if (shots) await phone.screenshot({ path: `${shots}/api-docs-phone.png` });

  const all = await visible(phone);
  await phone.fill("#q", "poll");
  const shown = await visible(phone);
  check(shown.length > 0 && shown.length < all.length, `search "poll": ${shown.length} of ${all.length} operations stay`, shown);
  const polls = all.filter((p) => p.includes("/poll/"));
  check(polls.length > 0 && polls.every((p) => shown.includes(p)), "search \"poll\": every operation with /poll/ in its path stays", { polls, shown });
  const after = await phone.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  check(after, "390 px: no sideways scroll with a search typed");
  if (shots) {
    await desktop.fill("#q", "poll");
    await desktop.screenshot({ path: `${shots}/api-docs-search.png` });
  }
  await phone.fill("#q", "");
  check((await visible(phone)).length === all.length, "clearing the search shows every operation again");
} catch (e) {
  check(false, `browser run: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
