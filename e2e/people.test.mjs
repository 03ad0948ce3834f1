// People work as a new staff member meets it: the keep-in-touch queue, logging a call from it,
// the queue moving on, and importing people from a spreadsheet; axe checks every page on the way.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, clickAndWait, newWatchedPage, serverAndBrowser, signIn } from './helpers.mjs';

describe('people and relationships', () => {
  const suite = serverAndBrowser();

  async function withStaff(body) {
    const context = await suite.browser.newContext();
    try {
      const page = await newWatchedPage(context);
      await signIn(page, suite.server, suite.server.account('staff', 1));
      return await body(page);
    } finally {
      await context.close();
    }
  }

  test('a staff member sees who is due a call, logs it, and the queue moves on', async () => {
    await withStaff(async (page) => {
      assert.equal(new URL(page.url()).pathname, '/keep-in-touch');
      const first = page.locator('main table tbody tr').first().locator('a[href^="/people/"]');
      const href = (await first.getAttribute('href')).split('#')[0];
      const name = (await first.textContent()).trim();
      await clickAndWait(page, first);
      assert.equal(new URL(page.url()).pathname, href);
      assert.match(await page.locator('.nhsuk-warning-callout').first().textContent(), new RegExp(`Before you contact ${name}`));
      await page.getByLabel('What you talked about').fill('Phoned for the weekly catch-up. All well.');
      await clickAndWait(page, page.getByRole('button', { name: 'Log contact', exact: true }));
      assert.match(await page.locator('main').textContent(), /Contact logged/);
      assert.match(await page.locator('main').textContent(), /Phoned for the weekly catch-up/);
      await checkA11y(page, `${href} after logging a contact`);
      await page.goto(`${suite.server.baseUrl}/keep-in-touch`);
      const hrefs = await page.locator('main table tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href').split('#')[0]));
      assert.ok(!hrefs.includes(href), `${name} should have left the queue after the call`);
    });
  });

  test('a spreadsheet of people is uploaded, mapped, checked and imported', async () => {
    await withStaff(async (page) => {
      await page.goto(`${suite.server.baseUrl}/people/import`);
      const sheet = 'Name,Email,Phone\nSol Reyes,sol.reyes@example.org,07700 900 777\nNo Email,not-an-email,\n';
      await page.setInputFiles('#file', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
      await clickAndWait(page, page.getByRole('button', { name: 'Upload', exact: true }));
      assert.match(new URL(page.url()).pathname, /^\/people\/import\/\d+$/);
      await checkA11y(page, 'import: map the columns');
      await clickAndWait(page, page.getByRole('button', { name: 'Check the rows', exact: true }));
      await checkA11y(page, 'import: check before you import');
      assert.match(await page.locator('main').textContent(), /Row 3:/);
      await clickAndWait(page, page.getByRole('button', { name: 'Import 1 person', exact: true }));
      assert.match(await page.locator('main').textContent(), /Imported 1 person\./);
      await checkA11y(page, 'people list after an import');
    });
  });

  test('a person added twice is offered for merging, and merging keeps everything on one record', async () => {
    await withStaff(async (page) => {
      const add = async (name, phone) => {
        await page.goto(`${suite.server.baseUrl}/people/new`);
        await page.getByLabel('Full name').fill(name);
        await page.getByLabel('Phone number (optional)').fill(phone);
        await clickAndWait(page, page.getByRole('button', { name: 'Save', exact: true }));
        return new URL(page.url()).pathname;
      };
      await add('Tamsin Quarrie', '07700 900 654');
      // The same phone number is flagged before saving, with focus on the warning; staff
      // confirm past it.
      await page.goto(`${suite.server.baseUrl}/people/new`);
      await page.getByLabel('Full name').fill('Tam Quarrie');
      await page.getByLabel('Phone number (optional)').fill('07700900654');
      await clickAndWait(page, page.getByRole('button', { name: 'Save', exact: true }));
      assert.match(await page.locator('main').textContent(), /Already on record\?[\s\S]*Tamsin Quarrie/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'same-address');
      assert.equal(await page.getByLabel('Full name').inputValue(), 'Tam Quarrie');
      await checkA11y(page, 'the add form warning of the same phone number');
      await clickAndWait(page, page.getByRole('button', { name: 'Add them: they are a different person' }));
      const keep = new URL(page.url()).pathname;
      assert.match(keep, /^\/people\/\d+$/);
      await checkA11y(page, 'a person page offering a merge');
      await clickAndWait(page, page.getByRole('link', { name: /merge into this record/ }));
      assert.match(new URL(page.url()).pathname, /^\/people\/\d+\/merge\/\d+$/);
      await checkA11y(page, 'merge confirmation');
      await clickAndWait(page, page.getByRole('button', { name: /Merge into/ }));
      assert.equal(new URL(page.url()).pathname, keep);
      assert.match(await page.locator('main').textContent(), /Merged\./);
    });
  });

  test('two people changing the same record: the second sees what changed, keeps what they typed', async () => {
    await withStaff(async (page) => {
      await page.goto(`${suite.server.baseUrl}/people`);
      const first = page.locator('main table tbody a').first();
      const href = await first.getAttribute('href');
      const other = await page.context().newPage();
      await other.goto(`${suite.server.baseUrl}${href}/edit`);
      await page.goto(`${suite.server.baseUrl}${href}/edit`);
      await page.getByLabel('Pronouns (optional)').fill('they/them');
      await clickAndWait(page, page.getByRole('button', { name: 'Save', exact: true }));
      await other.getByLabel('Pronouns (optional)').fill('she/her');
      const response = await clickAndWait(other, other.getByRole('button', { name: 'Save', exact: true }));
      assert.equal(response.status(), 409);
      assert.match(await other.locator('main').textContent(), /Someone else saved this record while you were editing/);
      assert.equal(await other.getByLabel('Pronouns (optional)').inputValue(), 'she/her');
      await checkA11y(other, 'person form after a stale save (409)');
    });
  });

  test('an upload that is not a spreadsheet shows the error summary', async () => {
    await withStaff(async (page) => {
      await page.goto(`${suite.server.baseUrl}/people/import`);
      await page.setInputFiles('#file', { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
      await clickAndWait(page, page.getByRole('button', { name: 'Upload', exact: true }));
      assert.match(await page.locator('.nhsuk-error-summary').textContent(), /must be a CSV or an Excel/);
      await checkA11y(page, 'import with a wrong file');
    });
  });
});
