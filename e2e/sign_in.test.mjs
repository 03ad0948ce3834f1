// Signing in and out, and setting up an authenticator app, as a person would in a real browser.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkA11y,
  clickAndWait,
  errorSummaryText,
  freshTotp,
  serverAndBrowser,
  signIn,
  withPage,
} from './helpers.mjs';

describe('signing in', () => {
  const suite = serverAndBrowser();

  /** Runs body with a page in a fresh browser context, closing the context afterwards. */
  const inContext = (options, body) => withPage(suite.browser, options, body);

  async function heading(page) {
    return (await page.locator('h1').first().textContent()).replace(/\s+/g, ' ').trim();
  }

  test('a wrong password shows the error summary and keeps the email address that was typed', async () => {
    await inContext({}, async (page) => {
      const email = suite.server.account('admin').email;
      await page.goto(`${suite.server.baseUrl}/sign-in`);
      await page.getByLabel('Email address', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill('not the right password at all');
      const response = await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }));

      assert.equal(response.status(), 401, 'status after a wrong password');
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      const summary = await errorSummaryText(page);
      assert.ok(summary, 'expected an error summary (.nhsuk-error-summary) after a wrong password');
      assert.match(summary, /The email address or password is not right/, `error summary text: ${summary}`);
      assert.equal(await page.locator('.nhsuk-error-summary a[href="#email"]').count(), 1, 'the error summary should link to the email field');
      assert.match(await page.title(), /^Error: /, 'the <title> should start with "Error: "');
      assert.equal(await page.getByLabel('Email address', { exact: true }).inputValue(), email, 'the email address typed should still be in the field');
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password should not be sent back to the page');
      assert.equal(await page.locator('#email-error').count(), 1, 'expected the inline error message next to the email field');

      await checkA11y(page, '/sign-in after a wrong password');
    });
  });

  test('signing in as staff and then signing out returns to the sign-in page', async () => {
    await inContext({}, async (page) => {
      const account = suite.server.account('staff', 0);
      await signIn(page, suite.server, account);
      assert.equal(await heading(page), 'Keep in touch', 'service staff start at the keep-in-touch queue');

      await clickAndWait(page, page.getByRole('button', { name: 'Sign out', exact: true }));
      const url = new URL(page.url());
      assert.equal(url.pathname, '/sign-in', `after signing out the browser is on ${page.url()}`);
      assert.equal(await heading(page), 'Sign in to coproduce');
      const notice = (await page.locator('main').textContent()).replace(/\s+/g, ' ');
      assert.match(notice, /You have signed out/, 'expected the "You have signed out" notice');
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'no "Sign out" button should be left after signing out');
      await checkA11y(page, '/sign-in after signing out');

      // The session really has ended: a signed-in page sends the person back to sign in.
      await page.goto(`${suite.server.baseUrl}/account`);
      assert.equal(new URL(page.url()).pathname, '/sign-in', 'after signing out, /account should send the person to sign in');
    });
  });

  test('signing in and out works with JavaScript turned off', async () => {
    await inContext({ javaScriptEnabled: false }, async (page) => {
      // Make sure scripts really do not run in this context.
      await page.setContent('<p id="x">static</p><script>document.getElementById("x").textContent = "ran";</script>');
      assert.equal(await page.locator('#x').textContent(), 'static', 'JavaScript should be off in this browser context');

      await signIn(page, suite.server, suite.server.account('staff', 0));
      assert.equal(await heading(page), 'Keep in touch', 'service staff start at the keep-in-touch queue');
      await clickAndWait(page, page.getByRole('button', { name: 'Sign out', exact: true }));
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.match((await page.locator('main').textContent()).replace(/\s+/g, ' '), /You have signed out/);
    });
  });

  test('a staff member can set up an authenticator app and then needs a code to sign in', async (t) => {
    const account = suite.server.account('staff', 1);
    let secret;

    await inContext({}, async (page) => {
      await signIn(page, suite.server, account);
      await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Your account' }));
      assert.equal(new URL(page.url()).pathname, '/account');
      assert.match((await page.locator('main').textContent()).replace(/\s+/g, ' '), /Second factor Not set up/);

      await clickAndWait(page, page.getByRole('link', { name: 'Set up an authenticator app' }));
      assert.equal(new URL(page.url()).pathname, '/account/two-factor');
      assert.equal(await heading(page), 'Set up an authenticator app');
      const qr = page.getByRole('img', { name: /QR code/ });
      assert.equal(await qr.count(), 1, 'expected a QR code image with a text alternative');
      await checkA11y(page, '/account/two-factor');

      // Sending no code shows the error summary, linked to the field.
      let response = await clickAndWait(page, page.getByRole('button', { name: 'Turn on', exact: true }));
      assert.equal(response.status(), 400, 'status after sending no code');
      const summary = await errorSummaryText(page);
      assert.ok(summary, 'expected an error summary after sending no code');
      assert.equal(await page.locator('.nhsuk-error-summary a[href="#code"]').count(), 1, 'the error summary should link to the code field');
      await checkA11y(page, '/account/two-factor with an error');

      // Type in the set-up key as a person would, from the text on the page.
      const shown = (await page.locator('.app-secret').textContent()).trim();
      assert.match(shown, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, `the set-up key should be shown in groups of 4: ${JSON.stringify(shown)}`);
      secret = shown.replace(/\s+/g, '');
      await page.getByLabel('Code from the app', { exact: true }).fill(await freshTotp(secret));
      response = await clickAndWait(page, page.getByRole('button', { name: 'Turn on', exact: true }));
      assert.equal(response.status(), 200, `status after sending a good code (page: ${await heading(page)}; errors: ${await errorSummaryText(page)})`);
      assert.equal(await heading(page), 'Your authenticator app is set up');
      const codes = await page.locator('.app-recovery-codes li').allTextContents();
      assert.ok(codes.length > 0, 'expected recovery codes on the page');
      assert.equal(new Set(codes).size, codes.length, 'recovery codes should all be different');
      await checkA11y(page, 'recovery codes page (after POST /account/two-factor)');

      await clickAndWait(page, page.getByRole('link', { name: /I have saved my codes/ }));
      assert.equal(new URL(page.url()).pathname, '/keep-in-touch', 'service staff continue to their queue');
      await page.goto(`${suite.server.baseUrl}/account`);
      assert.match((await page.locator('main').textContent()).replace(/\s+/g, ' '), /Authenticator app set up\./);
      await clickAndWait(page, page.getByRole('button', { name: 'Sign out', exact: true }));
    });

    // Signing in again now asks for a code (from the next 30-second step: a code is never
    // accepted twice).
    t.diagnostic('waiting for the next 30-second code step if needed');
    await inContext({}, async (page) => {
      await page.goto(`${suite.server.baseUrl}/sign-in`);
      await page.getByLabel('Email address', { exact: true }).fill(account.email);
      await page.getByLabel('Password', { exact: true }).fill(suite.server.password);
      await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }));
      assert.equal(new URL(page.url()).pathname, '/sign-in/two-factor', 'after setting up an app, signing in should ask for a code');
      await checkA11y(page, '/sign-in/two-factor');
      await page.getByLabel('Code', { exact: true }).fill(await freshTotp(secret));
      await clickAndWait(page, page.getByRole('button', { name: 'Continue', exact: true }));
      assert.equal(new URL(page.url()).pathname, '/keep-in-touch', `after the code the browser is on ${page.url()} (errors: ${await errorSummaryText(page)})`);
      assert.equal(await heading(page), 'Keep in touch', 'service staff start at the keep-in-touch queue');
    });
  });
});
