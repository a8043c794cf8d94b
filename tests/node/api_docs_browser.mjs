// api_docs_browser.mjs - GET /api/docs/ in Chromium (playwright-core): at a
// phone's width nothing scrolls sideways, and typing in the search box
// hides the operations that do not match. Prints TAP.
//
// Env: DOCS_URL (the page), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOT_DIR (optional: saves desktop, phone and search screenshots).
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

const url = process.env.DOCS_URL;
const shots = process.env.SCREENSHOT_DIR;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await desktop.goto(url);
  if (shots) await desktop.screenshot({ path: `${shots}/api-docs-desktop.png` });
  const wide = await desktop.evaluate(() => ({
    toc: document.getElementById("toc").open,
    search: !document.getElementById("q").hidden,
  }));
  ok(wide.toc && wide.search, "1280 px: the contents are open and the search box is shown", wide);

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 2 });
  await phone.goto(url);
  const widths = await phone.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    view: document.documentElement.clientWidth,
  }));
  ok(widths.scroll <= widths.view, "390 px: the page does not scroll sideways", widths);
  if (shots) await phone.screenshot({ path: `${shots}/api-docs-phone.png` });

  const count = (p) => p.evaluate(() => [...document.querySelectorAll("article.op")].filter((e) => !e.hidden).length);
  const all = await count(phone);
  await phone.fill("#q", "poll");
  const shown = await count(phone);
  const paths = await phone.evaluate(() =>
    [...document.querySelectorAll("article.op")].filter((e) => !e.hidden).map((e) => e.querySelector("h3").textContent),
  );
  ok(shown > 0 && shown < all, `search "poll": ${shown} of ${all} operations stay`, { shown, all });
  ok(paths.some((p) => p.includes("/poll")), "search \"poll\": the poll operation is among them", paths);
  if (shots) {
    await desktop.fill("#q", "poll");
    await desktop.screenshot({ path: `${shots}/api-docs-search.png` });
  }
  await phone.fill("#q", "");
  ok((await count(phone)) === all, "clearing the search shows every operation again");
} catch (e) {
  ok(false, `browser run: ${e.message}`);
} finally {
  await browser.close();
}
console.log(`1..${results.filter((l) => /^(not )?ok /.test(l)).length}`);
console.log(results.join("\n"));
process.exit(failed ? 1 : 0);
