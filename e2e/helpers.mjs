// Shared helpers for the browser and accessibility tests: running the app in demo mode,
// driving Chromium through playwright-core, one-time codes, signing in, and the page checks
// (axe here, the rest in checks.mjs).

import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { checkMarkup, checkReflow, watchDocuments } from './checks.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `cargo build --bin coproduce` puts the binary. */
export function binaryPath() {
  const target = process.env.CARGO_TARGET_DIR || path.join(repoRoot, 'target');
  return path.join(target, 'debug', 'coproduce');
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const ROLES = ['admin', 'staff', 'finance', 'auditor'];

/**
 * Parses the demo sign-in details that `coproduce demo` prints.
 * Returns { password, accounts: [{ role, email, key|null }] }.
 */
export function parseDemoOutput(text) {
  const pw = /Everyone's password is:\s*(.+?)\s*$/m.exec(text);
  const accounts = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s+([a-z]+)\s+(\S+@\S+)\s+(\S+)\s*$/.exec(line);
    if (m && ROLES.includes(m[1])) {
      accounts.push({ role: m[1], email: m[2], key: m[3] === '-' ? null : m[3] });
    }
  }
  return { password: pw ? pw[1] : null, accounts };
}

/**
 * Starts `coproduce demo` on a free port with a fresh database in a temporary directory.
 * Resolves once /healthz answers 200 and every demo account has been printed.
 * Returns { baseUrl, password, accounts, account(role, n = 0), stop() }.
 */
export async function startServer({ timeoutMs = 30_000, backend = 'sqlite' } = {}) {
  const bin = binaryPath();
  if (!existsSync(bin)) {
    throw new Error(`coproduce binary not found at ${bin}; run \`cargo build --bin coproduce\` first (set CARGO_TARGET_DIR if the target directory is elsewhere)`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const outboxDir = path.join(dir, 'outbox');
  let database = path.join(dir, 'demo.db');
  let dropDatabase = async () => {};
  if (backend === 'postgres') {
    ({ database, drop: dropDatabase } = freshPostgresDatabase());
  }
  const child = spawn(bin, ['demo', '--bind', `127.0.0.1:${port}`, '--database', database], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', COPRODUCE_OUTBOX: `file:${outboxDir}`, COPRODUCE_AUDIT_KEY_FILE: path.join(dir, 'audit.key') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr = (stderr + d).slice(-8000); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  exited.then((info) => { exitInfo = info; });

  async function stop() {
    if (exitInfo === null) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited, sleep(10_000).then(() => null)]);
      if (done === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
    await dropDatabase();
  }

  const deadline = Date.now() + timeoutMs;
  let healthy = false;
  let parsed = parseDemoOutput(stdout);
  try {
    for (;;) {
      if (exitInfo !== null) {
        throw new Error(`coproduce exited early (${JSON.stringify(exitInfo)}).\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      }
      if (!healthy) {
        try {
          const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
          healthy = res.status === 200;
        } catch {
          healthy = false;
        }
      }
      parsed = parseDemoOutput(stdout);
      const haveAll = parsed.password && ROLES.every((r) => parsed.accounts.some((a) => a.role === r));
      if (healthy && haveAll) {
        // The table is printed in one go, but give any remaining rows a moment to arrive.
        await sleep(100);
        parsed = parseDemoOutput(stdout);
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`coproduce did not become ready within ${timeoutMs} ms (healthy: ${healthy}).\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      }
      await sleep(100);
    }
  } catch (e) {
    await stop();
    throw e;
  }

  for (const a of parsed.accounts) {
    if (a.role !== 'staff' && !a.key) {
      throw new Error(`demo account ${a.email} (${a.role}) has no authenticator key`);
    }
  }

  return {
    baseUrl,
    password: parsed.password,
    accounts: parsed.accounts,
    /** The n-th demo account with this role. */
    account(role, n = 0) {
      const list = parsed.accounts.filter((a) => a.role === role);
      if (!list[n]) throw new Error(`no demo account number ${n} with role ${role}`);
      return list[n];
    },
    stderr: () => stderr,
    outboxDir,
    stop,
  };
}

/** The PostgreSQL server the tests use (TEST_DATABASE_URL), or null when there is none. */
export function postgresUrl() {
  return process.env.TEST_DATABASE_URL || null;
}

/** The backends to run the end-to-end journeys on: SQLite, and PostgreSQL when one is set. */
export function backends() {
  return postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Makes an empty database on the test PostgreSQL server; returns its URL and a way to drop it. */
function freshPostgresDatabase() {
  const base = new URL(postgresUrl());
  const name = `coproduce_e2e_${process.pid}_${Date.now()}`;
  const psql = (sql) => execFileSync('psql', [base.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    database: url.toString(),
    drop: async () => {
      psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * Waits for the outbox (the file transport) to write a message to `to` whose text matches
 * `pattern`; resolves with the match.
 */
export async function waitForMessage(server, to, pattern, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = existsSync(server.outboxDir) ? await readdir(server.outboxDir) : [];
    const newestFirst = names.filter((n) => n.endsWith('.txt')).sort((a, b) => parseInt(b, 10) - parseInt(a, 10));
    for (const name of newestFirst) {
      const text = await readFile(path.join(server.outboxDir, name), 'utf8');
      const m = pattern.exec(text);
      if (m && text.includes(to)) return m;
    }
    if (Date.now() > deadline) throw new Error(`no message to ${to} matching ${pattern} in ${server.outboxDir}`);
    await sleep(200);
  }
}

/** Launches Debian's Chromium, headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// One-time codes (RFC 4648 base32, RFC 4226 HOTP, RFC 6238 TOTP with SHA-1, 6 digits, 30 s).

export function base32Decode(input) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = input.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not a base32 character: ${JSON.stringify(ch)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export const TOTP_STEP_SECONDS = 30;

export function totpStep(timeMs = Date.now()) {
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

export function totp(secretBase32, timeMs = Date.now()) {
  return hotp(base32Decode(secretBase32), totpStep(timeMs));
}

/**
 * A fresh code for a key, waiting for the next 30 s step when one was already used for this key
 * in the current step (the server refuses a code from the same or an earlier step twice), or when
 * the step is about to end (so the code is not stale by the time it reaches the server).
 */
const lastStepUsed = new Map();
export async function freshTotp(secretBase32) {
  const key = secretBase32.replace(/\s/g, '').toUpperCase();
  for (;;) {
    const now = Date.now();
    const step = totpStep(now);
    const msLeft = (step + 1) * TOTP_STEP_SECONDS * 1000 - now;
    const used = lastStepUsed.get(key);
    if ((used === undefined || step > used) && msLeft > 2000) {
      lastStepUsed.set(key, step);
      return totp(key, now);
    }
    await sleep(msLeft + 50);
  }
}

// ---------------------------------------------------------------------------------------------
// Signing in through the real form.

/**
 * Clicks something that submits a form or follows a link and waits for the new page to load.
 * Resolves with the main document's response (the last one after redirects).
 */
export async function clickAndWait(page, locator) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]);
  return response;
}

/** Text of the NHS error summary on the page, or null when there is none. */
export async function errorSummaryText(page) {
  const summary = page.locator('.nhsuk-error-summary');
  if ((await summary.count()) === 0) return null;
  return (await summary.first().textContent()).replace(/\s+/g, ' ').trim();
}

/**
 * Signs in through /sign-in (and /sign-in/two-factor for roles with a second factor) and checks
 * that the person lands where their role starts: the keep-in-touch queue for those who keep in
 * touch with people (admin and service staff), the home page for everyone else.
 */
export function startPage(role) {
  return role === 'admin' || role === 'staff' ? '/keep-in-touch' : '/';
}

export async function signIn(page, server, account) {
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel('Email address', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(server.password);
  await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }));
  let url = new URL(page.url());
  if (url.pathname === '/sign-in/two-factor') {
    if (!account.key) throw new Error(`${account.email} was asked for a code but has no authenticator key`);
    await page.getByLabel('Code', { exact: true }).fill(await freshTotp(account.key));
    await clickAndWait(page, page.getByRole('button', { name: 'Continue', exact: true }));
    url = new URL(page.url());
  }
  if (url.pathname !== startPage(account.role)) {
    const h1 = await page.locator('h1').first().textContent().catch(() => null);
    const summary = await errorSummaryText(page);
    throw new Error(
      `signing in as ${account.role} (${account.email}) ended on ${url.pathname}${url.search} ` +
        `instead of ${startPage(account.role)}; heading: ${JSON.stringify(h1?.trim())}` +
        (summary ? `; error summary: ${JSON.stringify(summary)}` : ''),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Accessibility.

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Formats axe violations as readable text, one block per rule. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
          const summary = (n.failureSummary || '').replace(/\s+/g, ' ').trim();
          return `      - ${target}\n        ${n.html.replace(/\s+/g, ' ').slice(0, 200)}${summary ? `\n        ${summary}` : ''}`;
        })
        .join('\n');
      return `  [${v.id}] (${v.impact}) ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** Runs axe (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) on the page; returns the violations. */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations;
}

const consoleErrors = new WeakMap();

/**
 * Opens a page in `context` that records the browser's console errors (a refused resource, a
 * content security policy violation, a script error), so checkA11y can fail on them too.
 */
export async function newWatchedPage(context) {
  const page = await context.newPage();
  watchDocuments(page);
  const errors = [];
  consoleErrors.set(page, errors);
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return page;
}

/**
 * Runs `body` with a watched page in a fresh context of `browser` (made with `options`), and
 * closes the context afterwards, however `body` ends; returns what `body` returns.
 */
export async function withPage(browser, options, body) {
  const context = await browser.newContext(options);
  try {
    return await body(await newWatchedPage(context));
  } finally {
    await context.close();
  }
}

/**
 * Fails with a readable list of every violation on the page, and any console error since the
 * last check; then with the Nu HTML Checker's errors in the page's document, and anything that
 * breaks reflow (checks.mjs).
 */
export async function checkA11y(page, label = page.url()) {
  const errors = consoleErrors.get(page) ?? [];
  const seen = errors.splice(0, errors.length);
  // Error statuses (404, 403, 401) are reported by Chromium as console errors; they are expected.
  const unexpected = seen.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
  if (unexpected.length > 0) {
    throw new Error(`the browser reported errors on ${label}:\n${unexpected.join('\n')}`);
  }
  const violations = await axeViolations(page);
  if (violations.length > 0) {
    throw new Error(`axe found ${violations.length} accessibility violation(s) on ${label}:\n${formatViolations(violations)}`);
  }
  await checkMarkup(page, label);
  await checkReflow(page, label);
}

/**
 * Starts a server (with `options`, as startServer takes them) and a browser before a suite's
 * tests and stops both after them; call it inside `describe`. The suite reads `.server` and
 * `.browser` once they are running.
 */
export function serverAndBrowser(options = {}) {
  const suite = {};
  before(async () => {
    suite.server = await startServer(options);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
