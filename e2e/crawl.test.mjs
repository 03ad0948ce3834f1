// Signs in as each role through the real form, follows every link a person can reach, and checks
// that each page loads, has one <h1> and a <title>, and has no axe (WCAG 2.2 AA) violations.
// Also checks the pages anyone can see without signing in.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, clickAndWait, newWatchedPage, serverAndBrowser, signIn } from './helpers.mjs';
import { checkEasyRead, mainText } from './checks.mjs';

const MAX_PAGES_PER_ROLE = 60;
// Pages that differ only by record (/people/12, /people/31) share a template: visit a few of each.
const MAX_PAGES_PER_PATTERN = 3;

/** A link's shape: numbers in the path become :id, and only the names of query parameters count. */
function patternOf(link) {
  const url = new URL(link, 'http://x');
  const keys = [...url.searchParams.keys()].sort().join('&');
  return url.pathname.replace(/\/\d+(?=\/|$)/g, '/:id') + (keys ? `?${keys}` : '');
}

// What each role should find in the header's "Menu" navigation.
const EXPECTED_MENU = {
  admin: [['Keep in touch', '/keep-in-touch'], ['People', '/people'], ['Groups', '/groups'], ['Opportunities', '/manage/opportunities'], ['Concerns', '/concerns'], ['Enquiries', '/enquiries'], ['Services and partners', '/services'], ['Organisation', '/organisation'], ['Staff', '/staff'], ['Audit trail', '/audit'], ['Your account', '/account']],
  staff: [['Keep in touch', '/keep-in-touch'], ['People', '/people'], ['Groups', '/groups'], ['Opportunities', '/manage/opportunities'], ['Concerns', '/concerns'], ['Your account', '/account']],
  finance: [['Home', '/'], ['Your account', '/account']],
  auditor: [['Home', '/'], ['Audit trail', '/audit'], ['Your account', '/account']],
};

/** Checks the things every page needs: one <h1> and a non-empty <title>. */
async function checkPageStructure(page, label) {
  const h1s = await page.locator('h1').allTextContents();
  assert.equal(h1s.length, 1, `${label}: expected exactly one <h1>, found ${h1s.length}: ${JSON.stringify(h1s.map((t) => t.trim()))}`);
  const title = (await page.title()).trim();
  assert.ok(title.length > 0, `${label}: the page has no <title>`);
}

/**
 * Same-origin GET links in the header, main content and footer, as path+query with the fragment
 * removed, leaving out signing out, form actions and static assets.
 */
async function pageLinks(page, origin) {
  const { links, formActions } = await page.evaluate(() => {
    const anchors = document.querySelectorAll('header a[href], main a[href], footer a[href]');
    return {
      links: Array.from(anchors, (a) => (a.hasAttribute('download') ? null : a.href)).filter(Boolean),
      formActions: Array.from(document.querySelectorAll('form'), (f) => f.action),
    };
  });
  const skip = new Set(['/sign-out']);
  for (const action of formActions) {
    const u = new URL(action, page.url());
    if (u.origin === origin) skip.add(u.pathname);
  }
  const out = new Set();
  for (const href of links) {
    let u;
    try {
      u = new URL(href, page.url());
    } catch {
      continue;
    }
    if (u.origin !== origin || !/^https?:$/.test(u.protocol)) continue;
    if (skip.has(u.pathname) || u.pathname.startsWith('/assets/')) continue;
    u.hash = '';
    out.add(u.pathname + u.search);
  }
  return [...out];
}

describe('pages and accessibility', () => {
  const suite = serverAndBrowser();

  describe('without signing in', () => {
    let context;
    let page;

    before(async () => {
      context = await suite.browser.newContext();
      page = await newWatchedPage(context);
    });

    after(async () => {
      await context?.close();
    });

    for (const path of ['/sign-in', '/accessibility', '/privacy', '/get-involved', '/get-involved/easy-read', '/you-said-we-did', '/you-said-we-did/easy-read', '/opportunities', '/opportunities/1', '/opportunities/2', '/get-involved/ask', '/get-involved/ask?opportunity=1', '/get-involved/ask/easy-read', '/get-involved/thank-you?by=2026-12-01&email=1', '/get-involved/thank-you?by=2026-12-01&email=1&easy_read=1', '/my/sign-in', '/my/sign-in/code?request=x', '/my/sign-in/link/' + 'a'.repeat(64)]) {
      test(`${path} loads and has no accessibility violations`, async () => {
        const response = await page.goto(suite.server.baseUrl + path);
        assert.equal(response.status(), 200, `${path}: status`);
        assert.equal(new URL(page.url()).pathname, path.split('?')[0], `${path} redirected to ${page.url()}`);
        await checkPageStructure(page, path);
        await checkA11y(page, path);
      });
    }

    // The public Easy Read pages, read on a phone, beside the standard pages they stand for.
    for (const [standard, easy] of [['/get-involved', '/get-involved/easy-read'], ['/you-said-we-did', '/you-said-we-did/easy-read'], ['/get-involved/ask', '/get-involved/ask/easy-read'], ['/get-involved/thank-you?by=2026-12-01&email=1', '/get-involved/thank-you?by=2026-12-01&email=1&easy_read=1']]) {
      test(`${easy} is Easy Read, in its own words`, async () => {
        await page.setViewportSize({ width: 375, height: 667 });
        try {
          await page.goto(suite.server.baseUrl + standard);
          const words = await mainText(page);
          await page.goto(suite.server.baseUrl + easy);
          await checkEasyRead(page, easy, words);
        } finally {
          await page.setViewportSize({ width: 1280, height: 720 });
        }
      });
    }

    test('a page that does not exist gives a 404 page with no accessibility violations', async () => {
      // An error status with an empty body makes Chromium show its own error page
      // (net::ERR_HTTP_RESPONSE_CODE_FAILURE), so this also proves the 404 page has a body.
      const response = await page.goto(`${suite.server.baseUrl}/no-such-page`);
      assert.equal(response.status(), 404, '/no-such-page: status');
      await checkPageStructure(page, '/no-such-page');
      await checkA11y(page, '/no-such-page (404)');
    });

    test('a page that needs signing in sends a visitor to the sign-in page', async () => {
      await page.goto(`${suite.server.baseUrl}/account`);
      assert.equal(new URL(page.url()).pathname, '/sign-in');
    });

    test('sending the sign-in form empty shows the error summary, linked to each field', async () => {
      await page.goto(`${suite.server.baseUrl}/sign-in`);
      const response = await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }));
      assert.equal(response.status(), 400, 'status after sending an empty form');

      const summary = page.locator('.nhsuk-error-summary');
      assert.equal(await summary.count(), 1, 'expected one .nhsuk-error-summary');
      assert.ok(await summary.isVisible(), 'the error summary is not visible');
      assert.match(await page.title(), /^Error: /, 'the <title> should start with "Error: " when the form has errors');
      // Focus starts on the summary, as the NHS.UK pattern asks, without any script (autofocus).
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary')),
        true,
        'after a refused form, focus should be on the error summary',
      );

      const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })));
      const hrefs = links.map((l) => l.href).sort();
      assert.deepEqual(hrefs, ['#email', '#password'], `error summary links: ${JSON.stringify(links)}`);
      for (const { href, text } of links) {
        const field = page.locator(href);
        assert.equal(await field.count(), 1, `the error summary link "${text}" points at ${href}, which is not on the page`);
        assert.equal(await field.evaluate((el) => el.tagName), 'INPUT', `${href} should be the input itself`);
        const message = page.locator(`${href}-error`);
        assert.equal(await message.count(), 1, `no inline error message ${href}-error next to the field`);
        const describedBy = (await field.getAttribute('aria-describedby')) || '';
        assert.ok(describedBy.split(/\s+/).includes(`${href.slice(1)}-error`), `${href} is not described by its error message (aria-describedby="${describedBy}")`);
      }

      // Following a link in the summary moves focus to the field.
      await summary.getByRole('link', { name: 'Enter your password' }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password', 'following the summary link should focus the password field');

      await checkPageStructure(page, '/sign-in with errors');
      await checkA11y(page, '/sign-in with errors');
    });
  });

  for (const role of ['admin', 'staff', 'finance', 'auditor']) {
    test(`${role}: every page reachable from the home page loads and has no accessibility violations`, async (t) => {
      const context = await suite.browser.newContext();
      try {
        const page = await newWatchedPage(context);
        const account = suite.server.account(role);
        await signIn(page, suite.server, account);

        const menu = await page
          .getByRole('navigation', { name: 'Menu' })
          .getByRole('link')
          .evaluateAll((as) => as.map((a) => [a.textContent.trim(), new URL(a.href).pathname]));
        assert.deepEqual(menu, EXPECTED_MENU[role], `${role}: links in the header's Menu navigation`);
        assert.equal(
          await page.getByRole('button', { name: 'Sign out', exact: true }).count(),
          1,
          `${role}: expected a "Sign out" button in the header`,
        );

        const origin = new URL(suite.server.baseUrl).origin;
        const queue = ['/'];
        const seen = new Set(queue);
        const perPattern = new Map();
        const visited = [];
        while (queue.length > 0) {
          if (visited.length >= MAX_PAGES_PER_ROLE) {
            t.diagnostic(`${role}: stopped after ${MAX_PAGES_PER_ROLE} pages; not visited: ${queue.join(', ')}`);
            break;
          }
          const path = queue.shift();
          visited.push(path);
          await t.test(path, async () => {
            const response = await page.goto(suite.server.baseUrl + path);
            assert.ok(response, `${path}: no response`);
            const finalUrl = new URL(page.url());
            const where = finalUrl.pathname + finalUrl.search === path ? path : `${path} (redirected to ${finalUrl.pathname}${finalUrl.search})`;
            // Collect links before any assertion, so one broken page does not hide the rest.
            for (const link of await pageLinks(page, origin)) {
              const pattern = patternOf(link);
              const count = perPattern.get(pattern) ?? 0;
              if (!seen.has(link) && count < MAX_PAGES_PER_PATTERN) {
                seen.add(link);
                perPattern.set(pattern, count + 1);
                queue.push(link);
              }
            }
            assert.ok(response.status() < 400, `${where}: status ${response.status()}`);
            assert.notEqual(finalUrl.pathname, '/sign-in', `${where}: ${role} was sent to the sign-in page`);
            await checkPageStructure(page, where);
            await checkA11y(page, `${where} (signed in as ${role})`);
          });
        }
        t.diagnostic(`${role}: visited ${visited.length} page(s): ${visited.join(', ')}`);
        for (const expected of ['/', '/account', '/accessibility', '/privacy', ...EXPECTED_MENU[role].map(([, href]) => href)]) {
          assert.ok(visited.includes(expected), `${role}: the crawl never reached ${expected}`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
