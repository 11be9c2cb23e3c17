// Checks `anpham serve`'s web page in Debian's chromium as a reader uses it. Driven by
// tests/web.rs, which starts the server and writes the job: `node serve.js JOB.json`.
// axe-core (WCAG 2.2 A/AA tags) runs in a context with scripts on, since axe is a
// script; every step a reader takes (the scale buttons, the upload, the downloads, the
// single page) runs in a context with scripts OFF. Prints one JSON line per check and a
// last line `N passed, N failed`; exits 1 when any check fails.
//
// Job: { "base": "http://127.0.0.1:PORT", "upload": "/abs/article.zip",
//   "downloads": "/abs/dir", "screenshots": "/abs/dir",
//   "library": { "titles": [...], "broken": [...] } (optional) }
"use strict";

const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const { AXE_VERSION, TAGS, CHROMIUM, FLAGS, axe } = require("./common");

/** Whether the page scrolls sideways (WCAG 1.4.10 reflow). */
async function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** axe at 1280 px and at 320 px (and the reflow there), with screenshots. */
async function axeAtWidths(page, name, result, shots) {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const a = await axe(page);
    result[`axe_${width}`] = { violations: a.violations, passes: a.passes };
    if (a.violations.length) result.failures.push(`${name} at ${width} px: ${JSON.stringify(a.violations)}`);
    if (await scrollsSideways(page)) result.failures.push(`${name} scrolls sideways at ${width} px`);
    if (shots) await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function text(page, selector) {
  return (await page.locator(selector).first().innerText()).trim();
}

/** Follows the job's page until it is done (its link, no script), at most a minute. */
async function untilDone(page) {
  const started = Date.now();
  for (;;) {
    const state = await text(page, "main p[role=status]");
    if (!/Đang/.test(state)) return state;
    if (Date.now() - started > 60000) return state;
    await page.waitForTimeout(500);
    await page.click("text=Xem lại tình trạng");
  }
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const base = job.base;
  const shots = job.screenshots;
  fs.mkdirSync(job.downloads, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  // axe is injected as a script: the page's policy (no script at all) would refuse it.
  const withAxe = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const reader = await browser.newContext({
    javaScriptEnabled: false,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  const results = [];
  const check = async (name, fn) => {
    const result = { check: name, failures: [] };
    try {
      await fn(result);
    } catch (e) {
      result.failures.push(`error: ${e && e.stack ? e.stack : e}`);
    }
    result.ok = result.failures.length === 0;
    results.push(result);
    console.log(JSON.stringify(result));
  };
  let jobUrl = null;
  try {
    await check("start page: axe at 1280 and 320 px, focus, zoom 200 %", async (r) => {
      const page = await withAxe.newPage();
      const outside = [];
      page.on("request", (q) => {
        if (!q.url().startsWith(base) && !q.url().startsWith("data:")) outside.push(q.url());
      });
      await page.goto(base + "/", { waitUntil: "load" });
      r.title = await page.title();
      r.lang = await page.evaluate(() => document.documentElement.lang);
      if (r.lang !== "vi") r.failures.push(`lang ${r.lang}`);
      await axeAtWidths(page, "home", r, shots);
      // The first Tab reaches the skip link, shown with a visible outline.
      await page.keyboard.press("Tab");
      const focus = await page.evaluate(() => {
        const e = document.activeElement;
        const s = getComputedStyle(e);
        const b = e.getBoundingClientRect();
        return { cls: e.className, outline: s.outlineStyle, width: s.outlineWidth, top: b.top, height: b.height };
      });
      r.focus = focus;
      if (focus.cls !== "skip" || focus.outline === "none" || focus.top < 0) r.failures.push(`skip link focus: ${JSON.stringify(focus)}`);
      if (outside.length) r.failures.push(`requests off the server: ${outside.join(", ")}`);
      await page.close();
      // 200 % zoom: the 1280 px window at twice the size is 640 CSS px wide.
      const zoomed = await browser.newContext({ viewport: { width: 640, height: 900 }, deviceScaleFactor: 2, bypassCSP: true });
      const z = await zoomed.newPage();
      await z.goto(base + "/", { waitUntil: "load" });
      if (await scrollsSideways(z)) r.failures.push("the start page scrolls sideways at 200 %");
      const a = await axe(z);
      if (a.violations.length) r.failures.push(`at 200 %: ${JSON.stringify(a.violations)}`);
      await z.screenshot({ path: path.join(shots, "home-zoom200.png"), fullPage: false });
      await zoomed.close();
    });

    await check("scale buttons without scripts", async (r) => {
      const page = await reader.newPage();
      await page.goto(base + "/", { waitUntil: "load" });
      const sizes = [await text(page, ".now")];
      await page.click("button:has-text('Tăng cỡ chữ')");
      await page.waitForLoadState("load");
      sizes.push(await text(page, ".now"));
      await page.click("button:has-text('Giảm cỡ chữ')");
      await page.waitForLoadState("load");
      await page.click("button:has-text('Giảm cỡ chữ')");
      await page.waitForLoadState("load");
      sizes.push(await text(page, ".now"));
      r.sizes = sizes;
      if (sizes.join(" | ") !== "18 pt | 20 pt | 16 pt") r.failures.push(`sizes ${sizes.join(" | ")}`);
      // Up to the top of the ladder: the button is disabled and a sentence says why.
      for (let i = 0; i < 8; i++) {
        const up = page.locator("button:has-text('Tăng cỡ chữ')");
        if (await up.isDisabled()) break;
        await up.click();
        await page.waitForLoadState("load");
      }
      r.top = await text(page, ".now");
      if (r.top !== "28 pt") r.failures.push(`top of the ladder: ${r.top}`);
      if (!(await page.locator("text=Đây là cỡ chữ lớn nhất.").count())) r.failures.push("the top is not said");
      if (job.library) {
        // The preview follows the scale: its image loads, its alternative names the size.
        const img = page.locator("#preview img");
        if (!(await img.count())) r.failures.push("no preview with a library");
        else {
          const alt = await img.getAttribute("alt");
          const loaded = await img.evaluate((i) => i.complete && i.naturalWidth > 0);
          r.preview = { alt, loaded };
          if (!loaded || !alt.includes("28 pt")) r.failures.push(`preview ${JSON.stringify(r.preview)}`);
        }
      }
      await page.close();
    });

    await check("upload and download without scripts", async (r) => {
      const page = await reader.newPage();
      await page.goto(base + "/?scale=%2B4", { waitUntil: "load" });
      await page.setInputFiles("#article", job.upload);
      // The single page and the print edition, besides what is checked already.
      for (const box of await page.locator("input[name=format]").all()) {
        const v = await box.getAttribute("value");
        if (["pdf", "html", "epub"].includes(v)) await box.check();
      }
      await Promise.all([page.waitForURL(/\/jobs\/[0-9a-f]{32}$/, { timeout: 120000 }), page.click("button:has-text('Làm các bản')")]);
      jobUrl = page.url();
      r.state = await untilDone(page);
      if (r.state !== "Đã xong.") r.failures.push(`state ${r.state}`);
      const img = page.locator("#preview img");
      r.preview = {
        alt: await img.getAttribute("alt"),
        loaded: await img.evaluate((i) => i.complete && i.naturalWidth > 0),
        text: (await page.locator("#preview-text").textContent()).slice(0, 40),
      };
      if (!r.preview.loaded || !r.preview.alt.includes("20 pt")) r.failures.push(`preview ${JSON.stringify(r.preview)}`);
      const links = await page.locator("ul.files a").evaluateAll((as) => as.map((a) => ({ href: a.href, text: a.textContent })));
      r.links = links.map((l) => l.text);
      r.files = [];
      for (const l of links) {
        if (l.text.includes("mở trong trình duyệt")) {
          // The single page opens in the browser, scripts off, and reads as a page.
          const p2 = await reader.newPage();
          const response = await p2.goto(l.href, { waitUntil: "load" });
          const facts = await p2.evaluate(() => ({
            lang: document.documentElement.lang,
            h1: (document.querySelector("h1") || { textContent: "" }).textContent,
          }));
          r.files.push({ opened: l.href.split("/").pop(), status: response.status(), ...facts });
          if (response.status() !== 200 || facts.lang !== "vi" || !facts.h1.includes("Hội thảo")) r.failures.push(`the page: ${JSON.stringify(facts)}`);
          await p2.close();
          continue;
        }
        // Any other file: the link's click downloads it (or the browser shows a PDF).
        const p2 = await reader.newPage();
        await p2.goto(jobUrl);
        const link = p2.locator(`ul.files a[href="${new URL(l.href).pathname}"]`);
        const download = p2.waitForEvent("download", { timeout: 60000 }).catch(() => null);
        const response = p2.waitForResponse((q) => q.url() === l.href, { timeout: 60000 }).catch(() => null);
        await link.click();
        const d = await download;
        if (d) {
          const to = path.join(job.downloads, d.suggestedFilename());
          await d.saveAs(to);
          r.files.push({ downloaded: d.suggestedFilename(), bytes: fs.statSync(to).size });
          if (!fs.statSync(to).size) r.failures.push(`empty download ${to}`);
        } else {
          const q = await response;
          r.files.push({ shown: l.href.split("/").pop(), status: q && q.status() });
          if (!q || q.status() !== 200) r.failures.push(`no download and no page for ${l.href}`);
        }
        await p2.close();
      }
      await page.close();
    });

    await check("job page and error page: axe at 1280 and 320 px", async (r) => {
      const page = await withAxe.newPage();
      if (jobUrl) {
        await page.goto(jobUrl, { waitUntil: "load" });
        await axeAtWidths(page, "job", r, shots);
      } else r.failures.push("no job page to check");
      const resp = await page.goto(base + "/jobs/00000000000000000000000000000000", { waitUntil: "load" });
      if (resp.status() !== 404) r.failures.push(`unknown job: ${resp.status()}`);
      await axeAtWidths(page, "error", r, null);
      await page.close();
    });

    if (job.library) {
      await check("library: every publication, a broken entry with its error", async (r) => {
        const page = await reader.newPage();
        await page.goto(base + "/", { waitUntil: "load" });
        const titles = await page.locator("#library h3").allTextContents();
        r.titles = titles;
        for (const t of job.library.titles) if (!titles.some((x) => x.includes(t))) r.failures.push(`not listed: ${t}`);
        const problems = await page.locator("#library .problem").allTextContents();
        r.problems = problems.map((p) => p.slice(0, 80));
        for (const b of job.library.broken) if (!problems.some((p) => p.includes(b))) r.failures.push(`broken entry not shown: ${b}`);
        const links = await page.locator("#library ul.files a").count();
        r.links = links;
        if (!links) r.failures.push("no download links in the library");
        await page.close();
      });
    }
  } finally {
    await browser.close();
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`axe-core ${AXE_VERSION}, ${CHROMIUM}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
