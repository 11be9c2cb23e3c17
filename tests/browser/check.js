// Loads anpham's HTML edition and EPUB content documents in Debian's chromium and checks
// them as a reader's browser sees them. Driven by tests/html.rs, which builds the files
// and writes the job: `node check.js JOB.json`. Prints one JSON line per page and a last
// line `N passed, N failed`; exits 1 when any check fails.
//
// Job: { "pages": [ { "file": "/abs/a.html", "kind": "html", "words": [...],
//   "figures": N, "markers": ["1", "2", ...], "lang": "vi", "bulletin": false },
//   { "file": "/abs/EPUB/article-001.xhtml", "kind": "xhtml" } ] }
"use strict";

const fs = require("fs");
const { chromium } = require("playwright-core");

const { AXE_VERSION, TAGS, CHROMIUM, FLAGS, axe } = require("./common");

/** The first expected word not found, in order, among the page's words; null if all are. */
function firstMissingWord(text, words) {
  const have = text.normalize("NFC").split(/\s+/).filter(Boolean);
  let at = 0;
  for (let k = 0; k < words.length; k++) {
    const w = words[k].normalize("NFC");
    while (at < have.length && have[at] !== w) at++;
    if (at === have.length) {
      return { index: k, word: w, before: words.slice(Math.max(0, k - 5), k).join(" ") };
    }
    at++;
  }
  return null;
}

/** What Chromium exposes to assistive technology for the element with `id`. */
async function axNode(context, page, id) {
  const cdp = await context.newCDPSession(page);
  const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
  const { nodeId } = await cdp.send("DOM.querySelector", {
    nodeId: root.nodeId,
    selector: `[id="${id}"]`,
  });
  if (!nodeId) return null;
  const { nodes } = await cdp.send("Accessibility.getPartialAXTree", {
    nodeId,
    fetchRelatives: false,
  });
  await cdp.detach();
  const n = nodes[0] || {};
  return { role: n.role && n.role.value, name: n.name && n.name.value, ignored: n.ignored };
}

async function checkHtml(context, job, result) {
  const page = await context.newPage();
  const outside = [];
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith("data:") && u !== job.url) outside.push(u);
  });
  await page.goto(job.url, { waitUntil: "load" });
  // Every face loaded, used by the text or not: the browser accepts each subset font.
  await page.evaluate(() => Promise.all(Array.from(document.fonts).map((f) => f.load().catch(() => null))));
  const a = await axe(page);
  result.axe = a;
  if (a.violations.length) result.failures.push(`${a.violations.length} axe violation(s)`);
  if (outside.length) result.failures.push(`requests outside the page: ${outside.join(", ")}`);

  const facts = await page.evaluate(() => {
    const q = (s) => Array.from(document.querySelectorAll(s));
    const main = document.querySelector("main");
    return {
      lang: document.documentElement.getAttribute("lang"),
      title: document.title,
      landmarks: {
        header: q("body > header").length,
        main: q("main").length,
        footer: q("body > footer").length,
        nav: q("nav").map((n) => n.id),
      },
      h1: q("h1").length,
      text: (document.querySelector("header").innerText || "") + "\n" + (main ? main.innerText : ""),
      figures: q("main figure").filter((f) => f.querySelector("img")).map((f) => {
        const img = f.querySelector("img");
        const cap = f.querySelector("figcaption");
        return {
          alt: img.getAttribute("alt"),
          role: img.getAttribute("role"),
          caption: cap ? cap.innerText.trim() : "",
          loaded: img.complete && img.naturalWidth > 0,
          src: img.getAttribute("src").slice(0, 22),
        };
      }),
      markers: q('[role="doc-pagebreak"]').map((m) => ({
        id: m.id,
        title: m.getAttribute("title"),
        ariaLabel: m.getAttribute("aria-label"),
        tag: m.tagName.toLowerCase(),
        empty: m.childNodes.length === 0,
      })),
      pageLinks: q('nav[role="doc-pagelist"] a').map((a) => a.getAttribute("href")),
      fonts: Array.from(document.fonts).map((f) => `${f.family} ${f.weight} ${f.style} ${f.status}`),
      bodySize: parseFloat(getComputedStyle(document.body).fontSize),
      controlHidden: document.getElementById("text-size").hidden,
    };
  });
  result.facts = {
    lang: facts.lang,
    landmarks: facts.landmarks,
    figures: facts.figures.length,
    markers: facts.markers.length,
    fonts: facts.fonts,
  };
  const fail = (m) => result.failures.push(m);
  if (facts.lang !== job.lang) fail(`lang ${facts.lang}, not ${job.lang}`);
  if (facts.landmarks.main !== 1 || facts.landmarks.header !== 1) fail("landmarks: " + JSON.stringify(facts.landmarks));
  if (job.bulletin && !facts.landmarks.nav.includes("toc")) fail("no contents nav in a bulletin");
  if (facts.h1 !== 1) fail(`${facts.h1} h1 elements`);
  const missing = firstMissingWord(facts.text, job.words);
  if (missing) fail(`word ${missing.index} "${missing.word}" not found in order after "${missing.before}"`);
  result.words = job.words.length;
  const informative = facts.figures.filter((f) => f.alt && f.alt.trim());
  if (informative.length !== job.figures) fail(`${informative.length} figures with alt text, not ${job.figures}`);
  for (const f of facts.figures) {
    if (f.alt === null || (!f.alt.trim() && f.role !== "presentation")) fail(`a figure without alt: ${f.src}`);
    if (!f.caption) fail(`a figure without caption: ${f.alt}`);
    if (!f.loaded) fail(`an image that did not load: ${f.alt}`);
    if (!f.src.startsWith("data:image/")) fail(`an image not embedded: ${f.src}`);
  }
  // Page markers: one per page of the print edition, in page order, named by title.
  const got = facts.markers.map((m) => m.title).join(" ");
  if (got !== job.markers.join(" ")) fail(`page markers: ${got}, not ${job.markers.join(" ")}`);
  for (const m of facts.markers) {
    if (m.tag !== "span" || !m.empty || m.ariaLabel !== null) fail(`marker ${m.id}: ${JSON.stringify(m)}`);
  }
  const links = facts.markers.map((m) => `#${m.id}`).join(" ");
  if (facts.pageLinks.join(" ") !== links) fail(`page list: ${facts.pageLinks.join(" ")}`);
  if (facts.markers.length) {
    // What Chromium gives assistive technology for the last marker: its page label.
    const last = facts.markers[facts.markers.length - 1];
    result.marker_ax = await axNode(context, page, last.id);
    if (!result.marker_ax || result.marker_ax.name !== last.title) fail(`the last marker's accessible name: ${JSON.stringify(result.marker_ax)}`);
  }
  if (!facts.fonts.length || facts.fonts.some((f) => !f.endsWith(" loaded"))) fail(`fonts: ${facts.fonts.join(", ")}`);

  // The optional control: shown by its script, it moves the text one step each way.
  if (facts.controlHidden) fail("the text-size control stayed hidden with scripts on");
  const before = facts.bodySize;
  await page.click("#text-larger");
  const larger = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await page.click("#text-smaller");
  await page.click("#text-smaller");
  const smaller = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  result.sizes = [before, larger, smaller];
  if (!(larger > before && smaller < before)) fail(`text size steps: ${result.sizes}`);
  const after = await axe(page);
  if (after.violations.length) fail(`${after.violations.length} axe violation(s) after resizing: ${JSON.stringify(after.violations)}`);
  if (job.screenshot) {
    await page.click("#text-larger");
    await page.screenshot({ path: job.screenshot, fullPage: false });
  }
  await page.close();
}

/** The same page with scripts off: all its text, the control hidden. */
async function checkWithoutScripts(browserContext, job, result) {
  const page = await browserContext.newPage();
  await page.goto(job.url, { waitUntil: "load" });
  const facts = await page.evaluate(() => ({
    text: document.querySelector("header").innerText + "\n" + document.querySelector("main").innerText,
    control: getComputedStyle(document.getElementById("text-size")).display,
  }));
  const missing = firstMissingWord(facts.text, job.words);
  if (missing) result.failures.push(`without scripts: word "${missing.word}" missing`);
  if (facts.control !== "none") result.failures.push(`without scripts the control shows (${facts.control})`);
  await page.close();
}

async function checkXhtml(context, job, result) {
  const page = await context.newPage();
  await page.goto(job.url, { waitUntil: "load" });
  const a = await axe(page);
  result.axe = a;
  if (a.violations.length) result.failures.push(`${a.violations.length} axe violation(s)`);
  const markers = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[role="doc-pagebreak"]')).map((m) => m.id));
  result.markers = markers.length;
  if (markers.length) {
    result.marker_ax = await axNode(context, page, markers[0]);
  }
  await page.close();
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  // `launch` starts chromium with a fresh temporary --user-data-dir, removed at close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const context = await browser.newContext();
  const noScripts = await browser.newContext({ javaScriptEnabled: false });
  let passed = 0;
  let failed = 0;
  try {
    for (const p of job.pages) {
      p.url = "file://" + p.file;
      const result = { file: p.file, kind: p.kind, failures: [] };
      try {
        if (p.kind === "html") {
          await checkHtml(context, p, result);
          await checkWithoutScripts(noScripts, p, result);
        } else {
          await checkXhtml(context, p, result);
        }
      } catch (e) {
        result.failures.push(`error: ${e && e.stack ? e.stack : e}`);
      }
      result.ok = result.failures.length === 0;
      if (result.ok) passed++;
      else failed++;
      console.log(JSON.stringify(result));
    }
  } finally {
    await browser.close();
  }
  console.log(`axe-core ${AXE_VERSION}, ${CHROMIUM}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
