"use strict";
// What the browser checks share: Debian's chromium and its flags, and axe-core's WCAG 2.2
// A/AA rules (check.js: the HTML edition; serve.js: the server's web page).

const fs = require("fs");

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_VERSION = require("axe-core/package.json").version;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const CHROMIUM = process.env.ANPHAM_CHROMIUM || "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** axe-core's WCAG 2.2 A/AA rules on the loaded page. */
async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return {
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n) => n.html),
        count: v.nodes.length,
      })),
      passes: r.passes.length,
      incomplete: r.incomplete.map((v) => v.id),
    };
  }, TAGS);
}

module.exports = { AXE_VERSION, TAGS, CHROMIUM, FLAGS, axe };
