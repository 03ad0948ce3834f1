// A review "never done": the group overdue its review is on the keep-in-touch queue; its 4Pi
// review, refused with a standard unrated and kept as typed, is recorded; what it agreed to
// adjust is added on the review's page and carried forward to the group's next meeting; the
// group's page lists the review. Axe and the other page checks run on every page on the way.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, clickAndWait, newWatchedPage, serverAndBrowser, signIn } from './helpers.mjs';

describe('reviews', () => {
  const suite = serverAndBrowser();

  test('an overdue group is reviewed against the 4Pi standards and its adjustment carries forward', async () => {
    const context = await suite.browser.newContext();
    try {
      const page = await newWatchedPage(context);
      await signIn(page, suite.server, suite.server.account('admin'));
      await page.goto(`${suite.server.baseUrl}/keep-in-touch`);
      const due = page.locator('main .nhsuk-card', { hasText: 'Reviews due' });
      assert.match(await due.textContent(), /Learning disabilities training and recruitment group[^.]*Overdue/);
      await clickAndWait(page, page.getByRole('link', { name: /Record its review of Learning disabilities/ }));
      await checkA11y(page, 'the review form');

      for (const [standard, rating] of [['principles', 'mostly'], ['purpose', 'fully'], ['process', 'mostly'], ['impact', 'partly']]) {
        await page.locator(`#${standard}-${rating}`).check();
      }
      await page.getByLabel('What was said about Impact (optional)').fill('Two new trainers this year.');
      await page.getByLabel('The views gathered from members (optional)').fill('Members want the panels paid on the day.');
      const refused = await clickAndWait(page, page.getByRole('button', { name: 'Record the review' }));
      assert.equal(refused.status(), 400);
      assert.match(await page.locator('.nhsuk-error-summary').textContent(), /Choose how well the standard for Presence is met/);
      assert.equal(await page.getByLabel('The views gathered from members (optional)').inputValue(), 'Members want the panels paid on the day.');
      assert.equal(await page.locator('#impact-partly').isChecked(), true, 'the ratings chosen are kept');
      await checkA11y(page, 'the review form with a standard unrated');

      await page.locator('#presence-partly').check();
      await clickAndWait(page, page.getByRole('button', { name: 'Record the review' }));
      assert.match(await page.locator('main').textContent(), /The review is recorded/);
      await page.getByLabel('What we agreed to adjust').fill('Pay panel members on the day');
      await clickAndWait(page, page.getByRole('button', { name: 'Add the adjustment' }));
      assert.match(await page.locator('#adjustments ~ .app-table-wrap').textContent(), /Pay panel members on the day/);
      await checkA11y(page, 'a review with its adjustment');

      await clickAndWait(page, page.getByRole('link', { name: 'Learning disabilities training and recruitment group' }).first());
      assert.match(await page.locator('main').textContent(), /Review on [^:]+: Principles mostly, Purpose fully, Presence partly/);
      await clickAndWait(page, page.locator('main a[href^="/meetings/"]').first());
      assert.match(await page.locator('main').textContent(), /Pay panel members on the day\s*Carried forward from the review on/);
    } finally {
      await context.close();
    }
  });
});
