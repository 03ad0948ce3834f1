// Signs "ask to get involved" form keys as the server does (HMAC-SHA256 with the newest form
// secret, read from the SQLite file with sqlite3), so a load test can send many forms without
// loading the form for each. Usage as a program:
//   node bench/form_keys.mjs DB COUNT TAG > keys.txt    (one key a line, shown 10 s ago)
import { createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** A function (shownMs, random) => key, with the database's newest form secret. */
export function formKeySigner(db) {
  const row = execFileSync('sqlite3', [db, "SELECT id || '|' || secret FROM server_secrets WHERE purpose = 'form_keys' ORDER BY id DESC LIMIT 1"])
    .toString().trim();
  const [id, secret] = row.split('|');
  if (!secret) throw new Error('no form secret yet: load the form once first');
  const key = Buffer.from(secret, 'hex');
  return (shownMs, random) => {
    const body = `${id}.${shownMs}.${random}`;
    const mac = createHmac('sha256', key).update('coproduce form key\0').update(body).digest('hex');
    return `${body}.${mac}`;
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [db, count, tag] = [process.argv[2], Number(process.argv[3] || 1000), process.argv[4] || 'k'];
  const sign = formKeySigner(db);
  const shown = Date.now() - 10_000;
  const salt = randomBytes(4).toString('hex');
  const lines = [];
  for (let n = 0; n < count; n++) lines.push(sign(shown, `${tag}${salt}${String(n).padStart(12, '0')}`));
  process.stdout.write(lines.join('\n') + '\n');
}
