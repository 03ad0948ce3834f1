// The page checks themselves (checks.mjs) catch what they are for: each is shown a page that
// breaks its rule and one that keeps it, so a check that could never fail would fail here.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEasyRead, checkReflow, markupErrors } from './checks.mjs';
import { launchBrowser } from './helpers.mjs';

const PAGE = (main) => `<!DOCTYPE html><html lang="en"><head><title>A page</title></head>
<body style="margin:0"><div class="nhsuk-width-container" style="max-width:960px;margin:0 auto">
<main>${main}</main></div></body></html>`;

const ROW = (words) => `<div class="coproduce-easy-read-row" style="display:flex;font-size:22px">
<img src="data:," alt="" width="64" height="64"><div><p>${words}</p></div></div>`;

describe('the page checks', () => {
  let browser;
  let page;

  before(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });

  after(async () => {
    await browser?.close();
  });

  test('the Nu HTML Checker names an invalid role and a skipped heading level, and passes a valid page', async () => {
    const errors = await markupErrors(PAGE('<h1>Title</h1><h3>Skipped</h3><p><span role="text">Words</span></p>'));
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /Bad value “text” for attribute “role”/);
    assert.match(errors.join('\n'), /skipping 1 heading level/);
    assert.deepEqual(await markupErrors(PAGE('<h1>Title</h1><h2>Next</h2><p>Words</p>')), []);
  });

  test('reflow fails a page that scrolls sideways at 320 px, and passes a wide table in its own scrolling box', async () => {
    await page.setContent(PAGE('<h1>Title</h1><div style="width:600px">A wide box</div>'));
    await assert.rejects(checkReflow(page, 'the wide page'), /scrolls sideways at 320 px:\n {2}the page is 6\d\d px wide/);
    assert.deepEqual(page.viewportSize(), { width: 1280, height: 720 }, 'the page is put back to its own size');
    await page.setContent(PAGE('<h1>Title</h1><div style="overflow-x:auto;position:relative"><table style="width:600px"><tr><td>Wide</td></tr></table></div>'));
    await checkReflow(page, 'the page with a scrolling table');
  });

  test('reflow fails a field that sticks out of the page column at full width', async () => {
    await page.setContent(PAGE('<h1>Title</h1><div style="margin-left:1000px;width:100px">Pushed out</div>'));
    await assert.rejects(checkReflow(page, 'the pushed page'), /stick out of the page's column:\n {2}div reaches \d+ px: "Pushed out"/);
  });

  test('Easy Read fails long sentences, text without pictures, small text and the standard words', async () => {
    const good = PAGE(`<h1>Your meetings</h1>${ROW('Here are your meetings.')}${ROW('Tell us if you are coming.')}`);
    await page.setContent(good);
    await checkEasyRead(page, 'the good page', 'Your meetings Here are your meetings for the next three months.');
    await assert.rejects(checkEasyRead(page, 'the same page', 'Your meetings Here are your meetings. Tell us if you are coming.'), /its words are the same as the standard page/);

    const long = 'This sentence goes on and on with far more words than anyone reading Easy Read should have to hold in mind at once.';
    await page.setContent(PAGE(`<h1>Meetings</h1>${ROW(`${long} ${long}`)}<p style="font-size:16px">No picture here.</p>`));
    const problems = await checkEasyRead(page, 'the bad page', '').then(() => '', (e) => e.message);
    // (1 + 23 + 23 + 3) / 4 words.
    assert.match(problems, /its sentences average 12\.5 words/);
    assert.match(problems, /a sentence of 23 words/);
    assert.match(problems, /a picture is beside 50% of its 2 text blocks .*"No picture here\."/);
    assert.match(problems, /text under 19 px, 16 px: "No picture here\."/);
  });
});
