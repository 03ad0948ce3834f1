// Feedback in Easy Read through a link from the outbox: after the demo's recent meetings each
// member who attended was sent one. The link opens the questionnaire, with faces, without
// signing in, on each database; a question left unanswered is named and what was typed kept; the answer is taken
// once and the link then thanks them. Staff see the group's feedback by quarter, a quarter with
// too few answers not reported. Axe and the other page checks run on every page on the way.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEasyRead, mainText } from './checks.mjs';
import { backends, checkA11y, clickAndWait, newWatchedPage, serverAndBrowser, signIn, waitForMessage } from './helpers.mjs';

for (const backend of backends()) {
describe(`feedback (${backend})`, () => {
  const suite = serverAndBrowser({ backend });

  test('an Easy Read link from the outbox takes one answer, and the group sees its results with few answers suppressed', async () => {
    const [, link] = await waitForMessage(suite.server, '@', /Tell us about the meeting[\s\S]*?(http:\/\/\S+\/my\/feedback\/[0-9a-f]{64})/);
    const person = await suite.browser.newContext();
    try {
      const page = await newWatchedPage(person);
      await page.goto(link);
      assert.equal(new URL(page.url()).pathname, new URL(link).pathname, 'no sign-in first');
      assert.match(await page.locator('h1').textContent(), /Tell us about the meeting/);
      assert.ok(await page.locator('img[src="/assets/pictures/face_5.svg"]').count() > 0, 'faces beside the answers');
      await checkA11y(page, 'the Easy Read questionnaire');
      await checkEasyRead(page, 'the Easy Read questionnaire', '');

      const choose = async (question, answer) => {
        await page.getByRole('group', { name: question }).getByRole('radio', { name: answer, exact: true }).check();
      };
      await choose('Did people listen to you?', 'Yes');
      await choose('Could you join in the way you wanted?', 'Mostly');
      await page.getByLabel('Is there anything we should do differently?').fill('Pictures on the agenda please');
      const refused = await clickAndWait(page, page.getByRole('button', { name: 'Send my answers' }));
      assert.equal(refused.status(), 400);
      assert.match(await page.locator('.nhsuk-error-summary').textContent(), /Choose an answer to .Do you feel part of the group\?./);
      assert.equal(await page.getByLabel('Is there anything we should do differently?').inputValue(), 'Pictures on the agenda please');
      await checkA11y(page, 'the questionnaire with a question unanswered');

      await choose('Do you feel part of the group?', 'A bit');
      await clickAndWait(page, page.getByRole('button', { name: 'Send my answers' }));
      assert.match(await mainText(page), /Thank you, we have your answer/);
      await checkA11y(page, 'thanks for the answer');
      await page.goto(link);
      assert.match(await mainText(page), /Thank you, we have your answer/);
      assert.equal(await page.getByRole('button', { name: 'Send my answers' }).count(), 0, 'a link takes one answer');
    } finally {
      await person.close();
    }

    const staff = await suite.browser.newContext();
    try {
      const page = await newWatchedPage(staff);
      await signIn(page, suite.server, suite.server.account('admin'));
      await page.goto(`${suite.server.baseUrl}/groups`);
      await clickAndWait(page, page.getByRole('link', { name: /^Learning disabilities/ }).first());
      await clickAndWait(page, page.getByRole('link', { name: 'See what people said, by quarter' }));
      await checkA11y(page, "a group's feedback");
      const table = await page.locator('main table').textContent();
      assert.match(table, /Too few answers to report/, 'the first weeks, with few answers, are not reported');
      assert.match(table, /\d+%/, 'the quarters with enough answers are');
    } finally {
      await staff.close();
    }
  });
});
}
