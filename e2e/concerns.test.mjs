// A concern raised while a meeting's minutes are taken goes through every step to closed with
// the improvement it led to: the meeting page records it without leaving, its page offers the
// step it waits for, a step out of turn is never offered, and the improvement, once published,
// is on "You said, we did" in standard words and in Easy Read. Axe and the other page checks
// run on every page on the way.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, clickAndWait, newWatchedPage, serverAndBrowser, signIn } from './helpers.mjs';
import { checkEasyRead, mainText } from './checks.mjs';

describe('concerns', () => {
  const suite = serverAndBrowser();

  test('a concern raised at a meeting is escalated, answered, fed back and closed', async () => {
    const context = await suite.browser.newContext();
    try {
      const page = await newWatchedPage(context);
      await signIn(page, suite.server, suite.server.account('admin'));
      await page.goto(`${suite.server.baseUrl}/groups`);
      await clickAndWait(page, page.locator('main table a').first());
      await clickAndWait(page, page.locator('main a[href^="/meetings/"]').first());
      const meeting = new URL(page.url()).pathname;

      await page.getByText('Record a concern raised here').click();
      await page.getByLabel('What was said').fill('Letters about appointments arrive after the appointment.');
      await page.getByLabel('Medium').check();
      await clickAndWait(page, page.getByRole('button', { name: 'Record the concern' }));
      assert.equal(new URL(page.url()).pathname, meeting, 'still on the meeting page');
      assert.match(await page.locator('main').textContent(), /The concern is recorded/);
      await checkA11y(page, 'the meeting page with a concern recorded');

      await clickAndWait(page, page.locator('#concerns ~ ul a[href^="/concerns/"]').first());
      assert.match(await page.locator('main').textContent(), /What happens next: Escalate it to an owner/);
      assert.equal(await page.getByRole('button', { name: 'Close the concern' }).count(), 0, 'closing is not offered yet');
      await checkA11y(page, 'a raised concern');

      await page.getByLabel('Who in the service will own it').selectOption({ index: 1 });
      await clickAndWait(page, page.getByRole('button', { name: 'Escalate', exact: true }));
      assert.match(await page.locator('main').textContent(), /It is escalated to its owner/);
      await page.getByLabel('The response').fill('Letters now go out two weeks ahead.');
      await clickAndWait(page, page.getByRole('button', { name: 'Record the response' }));
      await checkA11y(page, 'a concern with its response');

      // Feeding back with a field missing names it, keeps what was typed, and changes nothing.
      await page.getByLabel('At a meeting').check();
      await page.getByLabel('Who fed it back').fill('Priya');
      const refused = await clickAndWait(page, page.getByRole('button', { name: 'Record the feedback' }));
      assert.equal(refused.status(), 400);
      assert.match(await page.locator('.nhsuk-error-summary').textContent(), /Enter when it was fed back/);
      assert.equal(await page.getByLabel('Who fed it back').inputValue(), 'Priya');
      await checkA11y(page, 'a concern whose feedback was refused');
      await page.getByLabel('When', { exact: true }).fill('3/12/2026');
      await clickAndWait(page, page.getByRole('button', { name: 'Record the feedback' }));

      // The improvement it led to is recorded from the concern, and published.
      const concern = new URL(page.url()).pathname;
      await clickAndWait(page, page.getByRole('link', { name: 'Record an improvement from this concern' }));
      assert.equal(await page.getByLabel(new RegExp(`^Concern ${concern.split('/').pop()} about`)).isChecked(), true, 'the concern is ticked as what led to it');
      await page.getByLabel('You said: what people told us').fill('Appointment letters arrived after the appointment.');
      await page.getByLabel('We did: what changed').fill('Letters now go out two weeks ahead, with a text reminder.');
      await page.getByLabel('When it changed').fill('1/12/2026');
      await page.getByLabel('Publish it on You said, we did').check();
      const unpublishable = await clickAndWait(page, page.getByRole('button', { name: 'Record the improvement' }));
      assert.equal(unpublishable.status(), 400, 'publishing needs its Easy Read words');
      assert.match(await page.locator('.nhsuk-error-summary').textContent(), /What changed in Easy Read must be written to publish it/);
      assert.equal(await page.getByLabel('We did: what changed').inputValue(), 'Letters now go out two weeks ahead, with a text reminder.');
      await checkA11y(page, 'an improvement refused for want of Easy Read');
      await page.getByLabel('You said, in Easy Read').fill('Letters came too late.');
      await page.getByLabel('We did, in Easy Read').fill('Now letters come two weeks before.');
      await clickAndWait(page, page.getByRole('button', { name: 'Record the improvement' }));
      assert.match(await page.locator('main').textContent(), /The improvement is recorded/);
      await checkA11y(page, 'an improvement');

      await page.goto(suite.server.baseUrl + concern);
      await page.getByLabel('Letters now go out two weeks ahead, with a text reminder.').check();
      await clickAndWait(page, page.getByRole('button', { name: 'Close the concern' }));
      const text = await page.locator('main').textContent();
      assert.match(text, /The concern is closed/);
      assert.match(text, /Closed, since/);
      assert.match(text, /At a meeting, on 2026-12-03, by Priya/);
      assert.match(text, /What changed\s*Improvement \d+/);
      assert.equal(await page.getByRole('button', { name: 'Reopen the concern' }).count(), 1);
      await checkA11y(page, 'a closed concern');

      // Anyone can read it, in standard words and in Easy Read.
      const anyone = await newWatchedPage(await suite.browser.newContext());
      try {
        await anyone.goto(`${suite.server.baseUrl}/get-involved`);
        await clickAndWait(anyone, anyone.locator('main').getByRole('link', { name: 'You said, we did' }));
        const published = await anyone.locator('main').textContent();
        assert.match(published, /Letters now go out two weeks ahead, with a text reminder\./);
        assert.match(published, /Appointment letters arrived after the appointment\./);
        await checkA11y(anyone, 'You said, we did');
        const words = await mainText(anyone);
        await anyone.setViewportSize({ width: 375, height: 667 });
        await clickAndWait(anyone, anyone.getByRole('link', { name: 'Read this page in Easy Read' }));
        assert.match(await anyone.locator('main').textContent(), /Now letters come two weeks before\./);
        await checkEasyRead(anyone, 'You said, we did in Easy Read', words);
        await checkA11y(anyone, 'You said, we did in Easy Read');
      } finally {
        await anyone.context().close();
      }

      await page.goto(`${suite.server.baseUrl}/concerns?all=1`);
      assert.match(await page.locator('main table').textContent(), /Closed/);
      await checkA11y(page, 'the concerns log');
    } finally {
      await context.close();
    }
  });
});
