// Checks every page the browser tests visit gets besides axe: valid HTML by the W3C Nu HTML
// Checker, and reflow (WCAG 1.4.10: nothing scrolls sideways at 320 CSS pixels, and nothing
// sticks out of the page's column at full width). helpers.mjs's checkA11y runs them all.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VNU_JAR = path.join(root, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

// ---------------------------------------------------------------------------------------------
// The documents pages were loaded from, as the server sent them (not the browser's DOM, which
// would hide a parse error by repairing it).

const documents = new WeakMap();

/** Remembers each page's latest main-frame document response, for checkMarkup. */
export function watchDocuments(page) {
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      documents.set(page, response);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The Nu HTML Checker, run once per test file as a local web service (its jar comes from the
// vnu-jar npm package, installed without its script, and runs on the system's Java).

let validator = null;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startValidator() {
  if (!existsSync(VNU_JAR)) {
    throw new Error(`the Nu HTML Checker is not at ${VNU_JAR}; run \`npm ci\` first`);
  }
  const port = await freePort();
  const child = spawn(
    'java',
    ['-Xss1m', '-Dnu.validator.servlet.bind-address=127.0.0.1', '-cp', VNU_JAR, 'nu.validator.servlet.Main', String(port)],
    { stdio: 'ignore' },
  );
  child.unref();
  process.once('exit', () => child.kill());
  const url = `http://127.0.0.1:${port}/?out=json`;
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`the Nu HTML Checker stopped (exit ${child.exitCode})`);
    try {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!DOCTYPE html><title>x</title>' });
      return url;
    } catch {
      await sleep(100);
    }
  }
  throw new Error('the Nu HTML Checker did not start within 30 seconds');
}

/** The Nu HTML Checker's errors in an HTML document, as text, one a line. */
export async function markupErrors(html) {
  validator ??= startValidator();
  const response = await fetch(await validator, {
    method: 'POST',
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: html,
  });
  const { messages } = await response.json();
  return messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `  line ${m.lastLine}: ${m.message}\n    ${(m.extract || '').replace(/\s+/g, ' ')}`);
}

/** Fails if the document the page was loaded from is not valid HTML. */
export async function checkMarkup(page, label) {
  const response = documents.get(page);
  const type = response?.headers()['content-type'] || '';
  if (!response || !type.startsWith('text/html')) return;
  const errors = await markupErrors(await response.text());
  if (errors.length > 0) {
    throw new Error(`the Nu HTML Checker found ${errors.length} error(s) on ${label}:\n${errors.join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reflow.

/**
 * Runs in the page: elements of `within` (a selector) that reach past the right edge of `edge`
 * (the viewport, or the box round the main content), and are not inside a box that scrolls on
 * its own (a data table's wrapper), described for a failure message. With `viewport`, nothing
 * if the page does not scroll sideways at all.
 */
function overflowing({ within, edge }) {
  const root = document.documentElement;
  if (edge === 'viewport' && root.scrollWidth <= root.clientWidth) return [];
  const box = edge === 'viewport' ? null : document.querySelector(edge);
  // The NHS.UK grid's rows and card groups reach a gutter (16 px) past the column by design.
  const right = box ? box.getBoundingClientRect().right + 16 : root.clientWidth;
  const scrollsItself = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const out = edge === 'viewport' ? [`the page is ${root.scrollWidth} px wide`] : [];
  for (const el of document.querySelectorAll(`${within} *`)) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.right <= right + 1 || scrollsItself(el)) continue;
    const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes} reaches ${Math.round(rect.right)} px: "${text}"`);
    if (out.length >= 6) break;
  }
  return out;
}

/**
 * Fails if anything in the main content sticks out of the page's column at the page's own
 * width, or if the page scrolls sideways at 320 CSS pixels wide.
 */
export async function checkReflow(page, label) {
  const size = page.viewportSize();
  if (!size) return;
  const column = await page.evaluate(overflowing, { within: 'main', edge: 'main' });
  if (column.length > 0) {
    throw new Error(`on ${label} at ${size.width} px, these stick out of the page's column:\n  ${column.join('\n  ')}`);
  }
  if (size.width <= 320) return;
  await page.setViewportSize({ width: 320, height: size.height });
  try {
    const sideways = await page.evaluate(overflowing, { within: 'body', edge: 'viewport' });
    if (sideways.length > 0) {
      throw new Error(`${label} scrolls sideways at 320 px:\n  ${sideways.join('\n  ')}`);
    }
  } finally {
    await page.setViewportSize(size);
  }
}

// ---------------------------------------------------------------------------------------------
// Easy Read, as UK Easy Read guidance asks (Mencap's "Am I making myself clear?", Change's
// guide): short sentences, a picture on the left of each idea, and big text everywhere.

/**
 * Runs in the page: the main content's text as a person sees it (visually hidden words left
 * out), its sentences' lengths, which of its text blocks have a picture on their left, and any
 * text set smaller than `minPx`.
 */
function easyReadFacts({ minPx }) {
  const main = document.querySelector('main');
  const hidden = (node) => node.parentElement?.closest('.nhsuk-u-visually-hidden');
  const seen = (el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!hidden(n)) text += n.textContent;
    return text.replace(/\s+/g, ' ').trim();
  };
  const BLOCK = 'p, li, label, legend, button, td, th, dd, dt, .nhsuk-hint, .nhsuk-error-message, h1, h2, h3, h4';
  const blocks = [...main.querySelectorAll(BLOCK)].filter((el) => seen(el) && !el.querySelector(BLOCK) && el.getClientRects().length > 0);
  // A picture stands beside a block when the row or list item holding it starts with one.
  const pictured = (el) => el.closest('.coproduce-easy-read-row, .coproduce-easy-read-question, .coproduce-easy-read-list > li')?.firstElementChild?.tagName === 'IMG';
  const textBlocks = blocks.filter((el) => !/^H\d$/.test(el.tagName));
  const sentences = blocks
    .flatMap((el) => seen(el).split(/(?<=[.!?:])\s+/))
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s))
    .map((s) => ({ s, words: s.split(/\s+/).length }));
  const small = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || hidden(n) || n.parentElement.getClientRects().length === 0) continue;
    const px = parseFloat(getComputedStyle(n.parentElement).fontSize);
    if (px < minPx && small.length < 5) small.push(`${px} px: "${n.textContent.trim().slice(0, 50)}"`);
  }
  return {
    text: seen(main),
    blocks: textBlocks.length,
    unpictured: textBlocks.filter((el) => !pictured(el)).map((el) => seen(el).slice(0, 70)),
    sentences,
    small,
  };
}

/** The main content's text as a person sees it, to compare a page's two modes. */
export async function mainText(page) {
  return (await page.evaluate(easyReadFacts, { minPx: 0 })).text;
}

/**
 * Fails unless the page (shown at a phone's width, in Easy Read) has its own words, different
 * from `standardText`; sentences of 12 words or fewer on average and none over 20; a picture
 * beside at least 90% of its text blocks; and no text in its main content under 19 px (14pt).
 */
export async function checkEasyRead(page, label, standardText) {
  const facts = await page.evaluate(easyReadFacts, { minPx: 19 });
  const problems = [];
  if (facts.text === standardText) problems.push('its words are the same as the standard page');
  const words = facts.sentences.map((s) => s.words);
  const mean = words.reduce((a, b) => a + b, 0) / Math.max(words.length, 1);
  if (mean > 12) problems.push(`its sentences average ${mean.toFixed(1)} words (12 at most)`);
  for (const { s, words: n } of facts.sentences.filter((x) => x.words > 20)) problems.push(`a sentence of ${n} words: "${s}"`);
  const share = (facts.blocks - facts.unpictured.length) / Math.max(facts.blocks, 1);
  if (share < 0.9) problems.push(`a picture is beside ${Math.round(share * 100)}% of its ${facts.blocks} text blocks (90% at least); without one: ${facts.unpictured.map((t) => `"${t}"`).join(', ')}`);
  for (const line of facts.small) problems.push(`text under 19 px, ${line}`);
  if (problems.length > 0) throw new Error(`${label} is not Easy Read:\n  ${problems.join('\n  ')}`);
}
