// Reads anpham's OPDS 2.0 and OPDS 1.2 feeds with Readium's OPDS library (r2-opds-js, the
// parser of Thorium Reader): the 2.0 feed deserialised into its OPDSFeed model, the 1.2
// feed parsed as Atom into its OPDS model and converted to 2.0 as Thorium does.
// Usage: node read-feeds.js CATALOG.json CATALOG.xml
// Prints one JSON line: for each feed the publications, acquisition links and the
// accessibility objects the library saw.
"use strict";
const fs = require("fs");
const xmldom = require("@xmldom/xmldom");
const D = "dist/es8-es2017/src";
const { TaJsonDeserialize } = require(`r2-lcp-js/${D}/serializable`);
const { XML } = require(`r2-utils-js/${D}/_utils/xml-js-mapper`);
const { convertOpds1ToOpds2 } = require(`r2-opds-js/${D}/opds/converter`);
const globals = require(`r2-opds-js/${D}/opds/init-globals`);
const { OPDS } = require(`r2-opds-js/${D}/opds/opds1/opds`);
const { OPDSFeed } = require(`r2-opds-js/${D}/opds/opds2/opds2`);

globals.initGlobalConverters_OPDS();
globals.initGlobalConverters_GENERIC();

const ACQUISITION = "http://opds-spec.org/acquisition/open-access";

function summary(feed) {
  const pubs = feed.Publications || [];
  let acquisitions = 0;
  let accessibility = 0;
  const titles = [];
  for (const p of pubs) {
    titles.push(p.Metadata && p.Metadata.Title);
    for (const l of p.Links || []) {
      if ((l.Rel || []).includes(ACQUISITION) && l.TypeLink) acquisitions++;
    }
    if (p.Metadata && p.Metadata.Accessibility) accessibility++;
  }
  const self = (feed.Links || []).find((l) => (l.Rel || []).includes("self"));
  return {
    title: feed.Metadata && feed.Metadata.Title,
    self: self ? self.Href : null,
    publications: pubs.length,
    acquisitions,
    accessibility,
    titles,
  };
}

const [jsonPath, xmlPath] = process.argv.slice(2);
const json = JSON.parse(fs.readFileSync(jsonPath, "utf8"));
const opds2 = TaJsonDeserialize(json, OPDSFeed);
const xml = fs.readFileSync(xmlPath, "utf8");
const dom = new xmldom.DOMParser().parseFromString(xml, "application/xml");
const opds1 = XML.deserialize(dom, OPDS);
const converted = convertOpds1ToOpds2(opds1);
console.log(JSON.stringify({ opds2: summary(opds2), opds1: summary(converted) }));
