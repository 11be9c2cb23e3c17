// Reads a tagged PDF page by page the way Firefox's PDF viewer hands it to a screen
// reader: pdf.js builds the structure tree of each page (`page.getStructTree()`) and the
// text of each marked-content sequence (`getTextContent({ includeMarkedContent: true })`),
// and the reader walks that page's tree in order, then goes on to the next page.
//
// usage: node read-pages.mjs FILE.pdf
//
// Prints one JSON object: { "pages": [[element, ...], ...] }, where each page lists, in
// the order its tree is walked, every structure element that holds content on that page:
// { "role": "P", "text": "...", "content": N, "group": G, "path": ["Document", ...] }.
// `text` is the element's own text on this page (NFC, lines joined by a space), `content`
// the number of its marked-content pieces on this page (an image is one without text),
// `group` a number naming its parent element on this page (a Figure and its Caption in
// one Div share it).
import { readFileSync } from "node:fs";

// pdf.js wants DOMMatrix when its module loads (for rendering, which this reader never
// does); without the optional @napi-rs/canvas package node has none, so a stand-in that
// is never used for drawing is enough.
if (typeof globalThis.DOMMatrix === "undefined") {
  globalThis.DOMMatrix = class DOMMatrix {
    constructor() {
      Object.assign(this, { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 });
    }
  };
}
const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");

const file = process.argv[2];
if (!file) {
  console.error("usage: node read-pages.mjs FILE.pdf");
  process.exit(2);
}
const data = new Uint8Array(readFileSync(file));
const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent({ includeMarkedContent: true });
  // The text of each marked-content id, its items in order; an item ending a line is
  // followed by a space, as a reader pauses there.
  const texts = new Map();
  const open = [];
  for (const item of content.items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
      open.push(item.id ?? null);
    } else if (item.type === "endMarkedContent") {
      open.pop();
    } else if (typeof item.str === "string") {
      const id = open.findLast((x) => x !== null);
      if (id === undefined) continue;
      const prev = texts.get(id) ?? "";
      texts.set(id, prev + item.str + (item.hasEOL ? " " : ""));
    }
  }
  const tree = await page.getStructTree();
  const out = [];
  let groups = 0;
  const walk = (node, path, group) => {
    const own = groups++;
    let text = "";
    let pieces = 0;
    for (const kid of node.children ?? []) {
      if (kid.type === "content" || kid.type === "object") {
        pieces++;
        text += texts.get(kid.id) ?? "";
      }
    }
    if (pieces > 0) {
      out.push({
        role: node.role,
        text: text.replace(/\s+/g, " ").trim().normalize("NFC"),
        content: pieces,
        group,
        path,
      });
    }
    for (const kid of node.children ?? []) {
      if (kid.role !== undefined) walk(kid, [...path, node.role], own);
    }
  };
  if (tree) walk(tree, [], -1);
  pages.push(out);
  page.cleanup();
}
process.stdout.write(JSON.stringify({ pages }) + "\n");
