// Crash test for the "ask to get involved" form: 32 people send enquiries at once; part way
// through, the server is killed with SIGKILL (no chance to flush anything); it is started again
// on the same SQLite file, and every enquiry whose sender got the thank-you redirect must be
// there. Usage: node bench/enquiry_crash.mjs path/to/coproduce [rounds]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { formKeySigner } from './form_keys.mjs';

const bin = process.argv[2];
const rounds = Number(process.argv[3] || 3);
const work = mkdtempSync(path.join(os.tmpdir(), 'coproduce-crash-'));
const db = path.join(work, 'crash.db');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function start() {
  const port = await freePort();
  const child = spawn(bin, ['serve', '--bind', `127.0.0.1:${port}`, '--database', db, '--enquiry-limit', '0'], {
    stdio: 'ignore',
    env: { ...process.env, COPRODUCE_LOG: 'warn', COPRODUCE_OUTBOX: `file:${path.join(work, 'outbox')}` },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base };
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  throw new Error('the server did not start');
}

let totalAcknowledged = 0;
let totalLost = 0;
for (let round = 1; round <= rounds; round++) {
  const { child, base } = await start();
  const form = await fetch(`${base}/get-involved/ask`);
  const cookie = /coproduce_form=([0-9a-f]+)/.exec(form.headers.get('set-cookie') || '')[1];
  const sign = formKeySigner(db);
  const acknowledged = [];
  let stop = false;
  let sent = 0;
  const worker = async (w) => {
    for (let n = 0; !stop; n++) {
      const key = sign(Date.now() - 10_000, `crash${round}w${String(w).padStart(2, '0')}n${String(n).padStart(10, '0')}`);
      const body = new URLSearchParams({
        csrf_token: cookie, form_key: key, name: `Crash Test ${w}-${n}`, email: `crash${w}x${n}@example.org`, consent: 'yes',
      });
      try {
        sent++;
        const r = await fetch(`${base}/get-involved/ask`, {
          method: 'POST', redirect: 'manual', body,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `coproduce_form=${cookie}` },
        });
        if (r.status === 303 && (r.headers.get('location') || '').includes('/get-involved/thank-you')) acknowledged.push(key);
      } catch {
        return; // the server is gone
      }
    }
  };
  const workers = Array.from({ length: 32 }, (_, w) => worker(w));
  await sleep(1500 + Math.random() * 1500);
  child.kill('SIGKILL');
  stop = true;
  await Promise.all(workers);
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode ? resolve() : child.once('exit', resolve)));

  // Start again on the same file (recovering its write-ahead log), then stop cleanly and count.
  const again = await start();
  again.child.kill('SIGTERM');
  await new Promise((resolve) => again.child.once('exit', resolve));
  const stored = new Set(
    execFileSync('sqlite3', [db, "SELECT submission_key FROM enquiries WHERE submission_key LIKE '%.crash" + round + "w%'"], { maxBuffer: 1 << 28 })
      .toString().split('\n').filter(Boolean),
  );
  const lost = acknowledged.filter((k) => !stored.has(k));
  totalAcknowledged += acknowledged.length;
  totalLost += lost.length;
  console.log(`crash round ${round}: ${sent} sent, ${acknowledged.length} thanked, ${stored.size} stored, ${lost.length} lost`);
}
console.log(`crash test: ${totalAcknowledged} enquiries thanked over ${rounds} kills, ${totalLost} lost`);
rmSync(work, { recursive: true, force: true });
process.exit(totalLost === 0 ? 0 : 1);
