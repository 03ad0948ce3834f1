// Opening coproduce to the people themselves, end to end in Chromium on each database:
// a member of the public on a phone finds an opportunity and asks to take part; the team turns
// the enquiry into a person; a person signs in with a code, says yes to a meeting and changes
// how they are contacted; and a person who is not online is helped through it by staff. Every
// page on the way, and every portal page in standard and Easy Read mode, is checked by axe.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  backends, checkA11y, clickAndWait, serverAndBrowser, signIn, waitForMessage, withPage,
} from './helpers.mjs';
import { checkEasyRead, mainText } from './checks.mjs';

const PORTAL_PAGES = ['/my', '/my/meetings', '/my/opportunities', '/my/involvement', '/my/contact', '/my/consents', '/my/calendar', '/my/easy-read'];

for (const backend of backends()) {
  describe(`taking part (${backend})`, () => {
    const suite = serverAndBrowser({ backend });
    const asker = `Jo Rivers ${backend}`;

    const inContext = (options, body) => withPage(suite.browser, options, body);

    test('1. a member of the public finds an opportunity on a phone and asks to take part', async () => {
      await inContext({ viewport: { width: 360, height: 740 } }, async (page) => {
        await page.goto(`${suite.server.baseUrl}/get-involved`);
        await checkA11y(page, '/get-involved on a phone');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`);
        await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'See the opportunities open now' }));
        assert.equal(new URL(page.url()).pathname, '/opportunities');
        await checkA11y(page, '/opportunities on a phone');
        await clickAndWait(page, page.getByRole('link', { name: 'Help us interview our new community nurse' }));
        await checkA11y(page, 'an opportunity on a phone');
        assert.ok(await page.getByRole('heading', { name: 'Easy Read' }).isVisible());
        await clickAndWait(page, page.getByRole('link', { name: 'Ask to take part' }));
        assert.equal(new URL(page.url()).pathname, '/get-involved/ask');
        await checkA11y(page, 'the ask form on a phone');
        await page.getByLabel('Your name').fill(asker);
        await page.getByLabel('Email address (optional)').fill('jo.rivers@example.org');
        await page.getByLabel('Phone number (optional)').fill('07700 900999');
        await page.getByRole('checkbox', { name: 'Phone' }).check();
        await page.getByRole('checkbox', { name: 'Step-free access' }).check();
        await page.getByLabel('I agree to you keeping these details', { exact: false }).check();
        // A person takes more than a few seconds over the form; a machine does not.
        await sleep(3200);
        const response = await clickAndWait(page, page.getByRole('button', { name: 'Send' }));
        assert.equal(response.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/get-involved/thank-you');
        assert.ok(await page.getByRole('heading', { name: 'Thank you for asking to get involved' }).isVisible());
        assert.match(await page.locator('main').textContent(), /will contact you by/);
        await checkA11y(page, 'the thank-you page on a phone');
        // Going back and sending again makes no second enquiry.
        await page.goBack();
        await waitForMessage(suite.server, 'jo.rivers@example.org', /we have your request to get involved/);
      });
    });

    test('2. the team turns the enquiry into a person', async () => {
      await inContext({}, async (page) => {
        await signIn(page, suite.server, suite.server.account('admin'));
        await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Enquiries' }));
        await checkA11y(page, '/enquiries');
        assert.match(await page.locator('main').textContent(), /Overdue/, 'the old demo enquiry shows as overdue');
        await clickAndWait(page, page.getByRole('link', { name: asker }));
        await checkA11y(page, 'an enquiry');
        await page.getByLabel('What you talked about').fill('Keen to sit on interview panels. Needs step-free access.');
        await clickAndWait(page, page.getByRole('button', { name: 'Record the welcome call' }));
        assert.match(await page.locator('main').textContent(), /The welcome call is recorded/);
        await page.getByLabel('The service they start with').selectOption({ index: 1 });
        await clickAndWait(page, page.getByRole('button', { name: 'Add as a person' }));
        assert.match(new URL(page.url()).pathname, /^\/people\/\d+$/);
        const main = await page.locator('main').textContent();
        assert.match(main, new RegExp(asker));
        assert.match(main, /Onboarding/);
        assert.match(main, /Welcome call: Keen to sit on interview panels/);
        await checkA11y(page, 'the new person');
      });
    });

    test('3. a person signs in with a code, says yes to a meeting and changes how they are contacted', async () => {
      // A member of one of the demo groups, found by the participation team.
      const email = await inContext({}, async (page) => {
        await signIn(page, suite.server, suite.server.account('admin'));
        await page.goto(`${suite.server.baseUrl}/groups`);
        await clickAndWait(page, page.locator('main table a').first());
        const member = page.locator('main a[href^="/people/"]').first();
        await clickAndWait(page, member);
        const text = await page.locator('main').textContent();
        const m = /[a-z.]+@example\.org/.exec(text);
        assert.ok(m, 'the member has an email address');
        return m[0];
      });
      await inContext({}, async (page) => {
        await page.goto(`${suite.server.baseUrl}/my`);
        assert.equal(new URL(page.url()).pathname, '/my/sign-in');
        await checkA11y(page, '/my/sign-in');
        await page.getByLabel('Your email address or mobile phone number').fill(email);
        await clickAndWait(page, page.getByRole('button', { name: 'Send me a code' }));
        await checkA11y(page, '/my/sign-in/code');
        const [, code] = await waitForMessage(suite.server, email, /sign in to your page is (\d{6})/);
        await page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
        const wrong = await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));
        assert.equal(wrong.status(), 400);
        assert.match(await page.locator('.nhsuk-error-summary').textContent(), /That code is not right/);
        await checkA11y(page, 'a wrong code');
        await page.getByLabel('Code').fill(code);
        await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));
        assert.equal(new URL(page.url()).pathname, '/my');

        await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'See your meetings and reply' }));
        await clickAndWait(page, page.getByRole('button', { name: /^I am coming/ }).first());
        assert.match(await page.locator('main').textContent(), /You said you are coming\./);
        // A weekly group's meetings are answered all at once.
        await clickAndWait(page, page.getByRole('button', { name: /^I'll come to all of them/ }).first());
        assert.match(await page.locator('main').textContent(), /You said you are coming to all of them\./);

        await page.goto(`${suite.server.baseUrl}/my/contact`);
        await page.getByRole('radio', { name: 'Text message' }).check();
        await clickAndWait(page, page.getByRole('button', { name: 'Save' }));
        assert.match(await page.locator('main').textContent(), /Saved\. We will contact you this way\./);
        assert.ok(await page.getByRole('radio', { name: 'Text message' }).isChecked());

        const standard = new Map();
        for (const path of PORTAL_PAGES) {
          await page.goto(suite.server.baseUrl + path);
          await checkA11y(page, `${path} (standard)`);
          standard.set(path, await mainText(page));
        }
        await page.goto(`${suite.server.baseUrl}/my/easy-read`);
        await clickAndWait(page, page.getByRole('button', { name: 'Turn Easy Read on' }));
        assert.ok(await page.locator('body.coproduce-easy-read').count(), 'Easy Read mode is on');
        // Easy Read is checked as it is read on a phone: its own words, short sentences, a
        // picture beside each idea and big text.
        await page.setViewportSize({ width: 375, height: 667 });
        for (const path of PORTAL_PAGES) {
          await page.goto(suite.server.baseUrl + path);
          assert.ok(await page.locator('body.coproduce-easy-read').count(), `${path} stays in Easy Read`);
          await checkA11y(page, `${path} (Easy Read)`);
          await checkEasyRead(page, `${path} (Easy Read)`, standard.get(path));
        }
        // On a phone in Easy Read, the heading is near the top and the portal's pages come after
        // what the person came for.
        for (const path of ['/my', '/my/meetings']) {
          await page.goto(suite.server.baseUrl + path);
          const heading = await page.locator('h1').boundingBox();
          assert.ok(heading.y < 250, `${path}: the heading starts ${heading.y}px down on a phone`);
        }
        assert.match(await page.locator('main').textContent(), /(o'clock|past|to) [0-9]+ (in the|at night|midday)/, 'times as people say them');
        await checkA11y(page, '/my/meetings on a phone (Easy Read)');
        await page.setViewportSize({ width: 1280, height: 720 });
        await clickAndWait(page, page.getByRole('button', { name: 'Sign out' }));
        assert.equal(new URL(page.url()).pathname, '/my/sign-in');
      });
    });

    test('4. a person who is not online is helped through it by staff', async () => {
      await inContext({}, async (page) => {
        await signIn(page, suite.server, suite.server.account('admin'));
        await page.goto(`${suite.server.baseUrl}/groups`);
        await clickAndWait(page, page.locator('main table a').first());
        await clickAndWait(page, page.locator('main a[href^="/people/"]').nth(1));
        const person = new URL(page.url()).pathname;
        await clickAndWait(page, page.getByRole('button', { name: /^Open their page for them/ }));
        assert.equal(new URL(page.url()).pathname, '/my');
        const banner = page.getByRole('region', { name: 'Signed in on their behalf' });
        assert.ok(await banner.isVisible(), 'the page says staff are acting for them');
        await checkA11y(page, '/my on their behalf');
        await page.goto(`${suite.server.baseUrl}/my/meetings`);
        await clickAndWait(page, page.getByRole('button', { name: /^I cannot come/ }).first());
        assert.match(await page.locator('main').textContent(), /You said you are not coming\./);
        await page.goto(`${suite.server.baseUrl}/my/consents`);
        await clickAndWait(page, page.locator('main form button').first());
        assert.match(await page.locator('main').textContent(), /Saved\./);
        await clickAndWait(page, banner.getByRole('button', { name: 'End it now' }));
        assert.equal(new URL(page.url()).pathname, person, 'back on their record');
      });
    });
  });
}
