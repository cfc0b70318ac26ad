// @ts-check
// Accessibility audit of the trial report (crates/report): `node a11y/report-audit.mjs report.html`.
//
// Opens the report's HTML file in headless Chromium, at a phone's width and a desktop's, with
// text at 100 % and 200 %, and runs axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on it. Fails on
// any violation at all (the report is an officer's document, not an app screen), and on any
// request the page makes: it must be self-contained.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

const file = process.argv[2];
if (!file) {
  console.error('usage: node a11y/report-audit.mjs report.html');
  process.exit(2);
}
const url = pathToFileURL(resolve(file)).href;
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=en-GB'],
});
const watchdog = setTimeout(() => {
  console.error('The report audit took longer than 60 s and was stopped.');
  void browser.close().finally(() => process.exit(2));
}, 60_000);
let failures = 0;
try {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    for (const scale of ['100%', '200%']) {
      const page = await browser.newPage();
      await page.setViewport(viewport);
      /** @type {string[]} */
      const requests = [];
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: 'load' });
      await page.evaluate((s) => {
        document.documentElement.style.fontSize = s;
      }, scale);
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(
        // @ts-ignore axe is injected above
        (tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } }),
        WCAG_TAGS,
      );
      const where = `${viewport.width} px wide, text at ${scale}`;
      for (const v of result.violations) {
        failures += 1;
        console.error(`${where}: ${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} element(s), e.g. ${v.nodes[0]?.target}`);
      }
      for (const r of requests) {
        failures += 1;
        console.error(`${where}: the page asked for ${r}`);
      }
      console.log(`${where}: ${result.violations.length} violation(s), ${result.passes.length} rule(s) passed, ${requests.length} request(s)`);
      await page.close();
    }
  }
} finally {
  clearTimeout(watchdog);
  await browser.close();
}
process.exit(failures === 0 ? 0 : 1);
