// The patient portal in headless Chromium against the real confide-server (SQLite, demo clinic,
// TLS): Jo signs in, sees today, logs a dilator session and sees it counted, writes a private
// journal entry that her clinician cannot read and shares another that he can, withdraws a
// consent; idle sign-out and quick exit end her session on the server. Kim, her partner, sees
// her programme and progress while she shares them, and never makes a request the server refuses
// (a refusal would show in Jo's "Who viewed my record"). Every screen is
// photographed at phone and desktop widths and checked with axe-core (zero serious or critical
// violations), for sideways scrolling, for script errors and for Content-Security-Policy
// violations. Selectors go by role and accessible name, as a screen reader would.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  JO, SAM, apiClient, artifactsDir, checkScreen, confidectl, launchBrowser, newPortalContext,
  request, saveFailureScreenshot, sessionCookie, signIn, staffClient, startServer,
} from './harness.mjs';

const KIM = 'kim.partner@demo.confide.test';

// Words that must never appear in the portal's address (hash routes included).
const CLINICAL_WORDS =
  /dilator|pain|vagin|vulv|sex|pelvic|anxiety|therap|clinic(al)?|diagnos|penetrat/i;

let server;
let browser;
let jo; // Jo's Bearer API client: reads back what the portal did, from the server's side
let sam; // Sam (clinician on Jo's care team), signed in once with TOTP
let joClientId;

// Jo's portal tab, shared by the scenario steps below (they run in order).
let tab;
const visitedUrls = [];

// The portal's own settings, fetched as the portal fetches them.
async function portalConfig(page) {
  await page.goto('/');
  return page.evaluate(async () => (await fetch('/config.json', { cache: 'no-store' })).json());
}

function assertNoProblems(problems, what) {
  assert.deepEqual(problems, [], `${what}:\n${problems.join('\n')}`);
}

// Goes to a screen through the main menu (as she would; the desktop width shows it), waits for
// its heading and content, checks it at both widths, and asserts the page has had no script
// error or CSP violation so far.
async function visit(page, problems, { link, heading, name }) {
  await page.getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: link, exact: true }).click();
  const h1 = page.getByRole('heading', { level: 1, name: heading });
  await h1.waitFor();
  // Screens show "Loading…" while they fetch: wait until the shell says it is done.
  await page.locator('main:not([aria-busy="true"])').waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' }).catch(() => {});
  assert.equal(await page.getByText(/could not be shown just now/).count(), 0,
               `${name}: the screen failed to render`);
  assert.equal(await page.title(), 'Confide', `${name}: the tab's title is not the neutral one`);
  const found = await checkScreen(page, name);
  assert.deepEqual(found, [], found.join('\n'));
  assertNoProblems(problems, name);
}

before(async () => {
  // A failure picture from an earlier run must not be mistaken for this one's.
  if (fs.existsSync(artifactsDir)) {
    for (const file of fs.readdirSync(artifactsDir)) {
      if (file.startsWith('FAILED-')) fs.rmSync(path.join(artifactsDir, file));
    }
  }
  server = await startServer({ tls: true });
  browser = await launchBrowser();
  jo = await apiClient(server, JO);
  joClientId = jo.user.clientId;
  assert.ok(joClientId, `Jo's user has no clientId: ${JSON.stringify(jo.user)}`);
  sam = await staffClient(server, SAM);
});

after(async () => {
  if (tab) await tab.context.close();
  if (browser) await browser.close();
  if (server) {
    const problem = await server.stop();
    assert.equal(problem, '');
  }
});

// A step of Jo's visit; a failing step leaves FAILED-<name>.png beside the screenshots.
function joTest(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (error) {
      if (tab) await saveFailureScreenshot(tab.page, name);
      throw error;
    }
  });
}

describe('Jo uses the portal', () => {
  joTest('the sign-in screen, then signing in as Jo shows today\'s items', async () => {
    tab = await newPortalContext(browser, server);
    const { page, problems, context } = tab;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visitedUrls.push(frame.url());
    });

    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.title(), 'Confide');
    // Keyboard first: the skip link is the page's first focusable element, shows when focused,
    // and takes focus to the content.
    const firstFocusable = await page.evaluate(() => document.querySelector(
      'a[href], button:not([hidden]), input, select, textarea, [tabindex]:not([tabindex="-1"])')
      .textContent.trim());
    assert.equal(firstFocusable, 'Skip to main content');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await skip.focus();
    const box = await skip.boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0 && box.y >= 0,
              'the focused skip link is not visible');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('main')), true,
                 'the skip link did not move focus into <main>');
    const found = await checkScreen(page, 'signin');
    assert.deepEqual(found, [], found.join('\n'));

    await signIn(page, JO);
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    assert.match(page.url(), /#\/today$/);

    // The session is an HttpOnly, Secure, SameSite=Strict cookie; no token in the page's reach.
    const cookie = await sessionCookie(context);
    assert.ok(cookie, 'no __Host-confide-session cookie after signing in');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/');
    const visibleCookies = await page.evaluate(() => document.cookie);
    assert.doesNotMatch(visibleCookies, /confide-session/, 'the session cookie is readable by JS');

    // Every item the API says is due today is on the screen, with one tap to log it.
    const due = await jo.get('/v1/clients/me/dueItems');
    assert.equal(due.status, 200, due.text);
    const items = due.json.items || [];
    assert.ok(items.length > 0, 'the demo gives Jo something due today');
    const list = page.getByRole('list', { name: 'Planned for today' });
    for (const item of items) {
      const card = list.getByRole('article', { name: item.title });
      await card.waitFor();
      await card.getByRole('link', { name: /log/i }).first().waitFor();
    }
    const shot = await checkScreen(page, 'today');
    assert.deepEqual(shot, [], shot.join('\n'));
    assertNoProblems(problems, 'today');
  });

  joTest('logging a dilator session from today, and seeing it counted', async () => {
    const { page, problems } = tab;
    const before = await jo.get('/v1/clients/me/practiceLogs');
    assert.equal(before.status, 200, before.text);
    const dueBefore = (await jo.get('/v1/clients/me/dueItems')).json.items;
    const practice = dueBefore.find((i) => i.category === 'EXERCISE_CATEGORY_DILATOR');
    assert.ok(practice, `no dilator item due today: ${JSON.stringify(dueBefore)}`);

    await page.getByRole('article', { name: practice.title }).getByRole('link', { name: /log/i })
      .first().click();
    await page.getByRole('heading', { level: 1, name: 'Log practice' }).waitFor();
    assert.doesNotMatch(page.url(), CLINICAL_WORDS);
    const form = page.getByRole('form', { name: 'Log practice' });
    await form.waitFor();
    const chosen = form.getByLabel('What did you practise?').locator('option:checked');
    assert.equal(await chosen.textContent(), practice.title);
    const shot = await checkScreen(page, 'log');
    assert.deepEqual(shot, [], shot.join('\n'));

    await form.getByRole('radio', { name: 'All of it' }).check();
    await form.getByLabel('How many minutes?').fill('12');
    // Untouched sliders are not answers: saving asks for them rather than logging "no pain".
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.error-summary').getByText(/Move the slider/).first().waitFor();
    const unanswered = await jo.get('/v1/clients/me/practiceLogs');
    assert.equal((unanswered.json.logs || []).length, (before.json.logs || []).length);
    await form.getByLabel(/pain or discomfort/).fill('3');
    await form.getByLabel(/anxious or tense/).fill('4');
    const feeling = `Calmer than last week ${crypto.randomUUID().slice(0, 8)}`;
    await form.getByLabel(/How did it feel/).fill(feeling);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Logged. Well done.' }).waitFor();
    const saved = await checkScreen(page, 'log-saved');
    assert.deepEqual(saved, [], saved.join('\n'));

    // The server has exactly one new log, with what she entered.
    const afterLogs = await jo.get('/v1/clients/me/practiceLogs');
    const known = new Set((before.json.logs || []).map((l) => l.id));
    const added = (afterLogs.json.logs || []).filter((l) => !known.has(l.id));
    assert.equal(added.length, 1, JSON.stringify(added));
    assert.equal(added[0].itemId, practice.itemId);
    assert.equal(added[0].durationMinutes, 12);
    assert.equal(added[0].pain, 3);
    assert.equal(added[0].anxiety, 4);
    assert.equal(added[0].completion, 'PRACTICE_COMPLETION_FULLY');
    assert.equal(added[0].dilatorSize, practice.dilatorSize);

    // Today counts it: this week's tally for the practice went up by one.
    await page.getByRole('link', { name: 'Back to today' }).click();
    const card = page.getByRole('article', { name: practice.title });
    const tally = `This week so far: ${(practice.weekDone || 0) + 1} of ${practice.weekPrescribed}`;
    await card.getByText(tally).waitFor();

    // Progress shows it: the API's progress for the programme counts it, and the screen renders.
    await visit(page, problems,
                { link: 'Progress', heading: /progress|how far/i, name: 'progress' });
    // The new session is among her recent practice, with its minutes, size, pain and anxiety.
    await page.getByRole('main')
      .getByText(new RegExp(`12 min.*size ${practice.dilatorSize}.*pain 3/10.*anxiety 4/10`))
      .first().waitFor();
  });

  joTest('a private journal entry: the clinician cannot read it; a shared one he can', async () => {
    const { page, problems } = tab;
    await visit(page, problems, { link: 'Journal', heading: 'My journal', name: 'journal' });
    const privateText = `A quiet thought ${crypto.randomUUID()}`;
    const sharedText = `Something to talk about ${crypto.randomUUID()}`;

    for (const text of [privateText, sharedText]) {
      await page.getByRole('button', { name: 'Write a new entry' }).click();
      const form = page.getByRole('form', { name: 'New entry' });
      await form.getByLabel('What would you like to write?').fill(text);
      await form.getByRole('radio', { name: 'Okay' }).check();
      const share = form.getByRole('checkbox', { name: 'Share this entry with my care team' });
      assert.equal(await share.isChecked(), false, 'a new entry is private by default');
      if (text === privateText) {
        const found = await checkScreen(page, 'journal-new-entry');
        assert.deepEqual(found, [], found.join('\n'));
      }
      await form.getByRole('button', { name: 'Save entry' }).click();
      await page.getByRole('article').filter({ hasText: text }).waitFor();
    }
    const privateCard = page.getByRole('article').filter({ hasText: privateText });
    await privateCard.getByText(/^Private:/).waitFor();

    // Jo's own view of the server: both entries exist, neither shared yet.
    const mine = (await jo.get('/v1/clients/me/journalEntries')).json.entries || [];
    const privateEntry = mine.find((e) => e.text === privateText);
    const sharedEntry = mine.find((e) => e.text === sharedText);
    assert.ok(privateEntry && sharedEntry, 'both entries reached the server');
    assert.ok(!privateEntry.sharedWithCareTeam && !sharedEntry.sharedWithCareTeam);

    const samReads = async (entry) => {
      const one = await sam.get(`/v1/clients/${joClientId}/journalEntries/${entry.id}`);
      const list = await sam.get(`/v1/clients/${joClientId}/journalEntries?pageSize=500`);
      assert.equal(list.status, 200, list.text);
      return {
        status: one.status,
        text: one.json && one.json.text,
        listed: list.text.includes(entry.text),
      };
    };
    assert.deepEqual(await samReads(privateEntry), { status: 404, text: undefined, listed: false },
                     'Sam can read the private entry');
    assert.deepEqual(await samReads(sharedEntry), { status: 404, text: undefined, listed: false },
                     'Sam can read the second entry before it is shared');

    // She shares the second one from its card.
    const sharedCard = page.getByRole('article').filter({ hasText: sharedText });
    await sharedCard.getByRole('checkbox', { name: 'Share with my care team' }).check();
    await page.getByRole('article').filter({ hasText: sharedText }).getByText(/^Shared:/).waitFor();
    assert.deepEqual(await samReads(sharedEntry), { status: 200, text: sharedText, listed: true },
                     'Sam cannot read the shared entry');
    assert.deepEqual(await samReads(privateEntry), { status: 404, text: undefined, listed: false },
                     'sharing one entry exposed the other');
    const found = await checkScreen(page, 'journal-shared');
    assert.deepEqual(found, [], found.join('\n'));
    assertNoProblems(problems, 'journal');
  });

  joTest('withdrawing a consent', async () => {
    const { page, problems } = tab;
    await visit(page, problems, { link: 'Consents', heading: 'Consents', name: 'consents' });
    const title = 'Internal examination or treatment';
    const kind = 'CONSENT_KIND_INTERNAL_EXAMINATION';
    const given = ((await jo.get('/v1/clients/me/consents')).json.consents || [])
      .find((c) => c.kind === kind && c.state === 'CONSENT_STATE_GIVEN');
    assert.ok(given, 'the demo gives Jo this consent');

    const card = page.getByRole('article', { name: title });
    await card.getByRole('button', { name: `Withdraw: ${title}` }).click();
    await card.getByRole('group').getByRole('button', { name: 'Yes, withdraw' }).click();
    await page.getByRole('status').filter({ hasText: /is withdrawn/ }).first().waitFor();
    await page.getByRole('article', { name: title }).getByText('Not given').waitFor();
    const found = await checkScreen(page, 'consents-withdrawn');
    assert.deepEqual(found, [], found.join('\n'));

    const after = ((await jo.get('/v1/clients/me/consents')).json.consents || [])
      .find((c) => c.id === given.id);
    assert.equal(after.state, 'CONSENT_STATE_WITHDRAWN');
    assert.equal(after.withdrawnByRole, 'ROLE_PATIENT');
    // Her clinician sees the same withdrawal.
    const samView = ((await sam.get(`/v1/clients/${joClientId}/consents`)).json.consents || [])
      .find((c) => c.id === given.id);
    assert.equal(samView.state, 'CONSENT_STATE_WITHDRAWN');
    assertNoProblems(problems, 'consents');
  });

  joTest('every other screen renders, accessibly, at both widths', async () => {
    const { page, problems } = tab;
    const screens = [
      { link: 'My plan', heading: /plan/i, name: 'plan' },
      { link: 'My programme', heading: /programme/i, name: 'programme' },
      { link: 'Questionnaires', heading: /questionnaire/i, name: 'forms' },
      { link: 'Partner sharing', heading: /sharing|partner/i, name: 'sharing' },
      { link: 'Who viewed my record', heading: /viewed|access/i, name: 'access' },
      { link: 'Account', heading: /account/i, name: 'account' },
    ];
    for (const screen of screens) {
      await visit(page, problems, screen);
    }
    // The menu at phone width, open.
    await page.setViewportSize({ width: 360, height: 800 });
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' })
      .waitFor();
    const found = await checkScreen(page, 'menu-open');
    assert.deepEqual(found, [], found.join('\n'));
  });

  joTest('nothing clinical in any address, nothing sensitive in browser storage, no write ' +
         'without the CSRF token', async () => {
    const { page } = tab;
    // The session cookie alone does not make a write: without X-CSRF-Token it is refused.
    const marker = `csrf probe ${crypto.randomUUID()}`;
    const status = await page.evaluate(async (text) => {
      const response = await fetch('/v1/clients/me/journalEntries', {
        method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      return response.status;
    }, marker);
    assert.equal(status, 403, 'a cookie-authenticated POST without X-CSRF-Token was not refused');
    const entries = await jo.get('/v1/clients/me/journalEntries?pageSize=500');
    assert.ok(!entries.text.includes(marker), 'the refused POST still wrote an entry');

    assert.ok(visitedUrls.length >= 5, `too few addresses seen: ${visitedUrls}`);
    for (const url of visitedUrls) assert.doesNotMatch(url, CLINICAL_WORDS, url);
    const storage = await page.evaluate(() => ({
      local: Object.keys(localStorage).filter((k) => k !== 'tabTitle'),
      session: Object.keys(sessionStorage),
    }));
    assert.deepEqual(storage, { local: [], session: [] });
  });
});

describe('Kim, Jo\'s partner', () => {
  const SCHEDULE = 'PARTNER_SHARE_PROGRAMME_SCHEDULE';
  const PROGRESS = 'PARTNER_SHARE_PROGRESS_SUMMARY';

  // Jo's access report entries by one person.
  async function accessesBy(userId) {
    const report = await jo.get('/v1/clients/me/recordAccess?pageSize=500');
    assert.equal(report.status, 200, report.text);
    assert.ok(!report.json.nextPageToken, 'the access report needs more than one page here');
    return (report.json.accesses || []).filter((a) => a.accessorUserId === userId);
  }

  test('sees Jo\'s programme and progress only while Jo shares them, without a single ' +
       'refused request', async () => {
    const links = await jo.get('/v1/clients/me/partners');
    assert.equal(links.status, 200, links.text);
    const link = (links.json.partners || []).find((p) => !p.revokeTime &&
                                                          /kim/i.test(p.partnerDisplayName));
    assert.ok(link, `Jo has no live link to Kim: ${links.text}`);
    const originalShares = link.shares || [];
    const setShares = async (shares) => {
      const updated = await jo.post(`/v1/clients/me/partners/${link.id}:updateShares`, { shares });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual([...(updated.json.shares || [])].sort(), [...shares].sort());
    };
    const withoutBoth = originalShares.filter((s) => s !== SCHEDULE && s !== PROGRESS);
    const refusedBefore = (await accessesBy(link.partnerUserId))
      .filter((a) => a.kind === 'RECORD_ACCESS_KIND_REFUSED');

    const { context, page, problems } = await newPortalContext(browser, server);
    try {
      // Jo shares her programme schedule and progress summary; Kim signs in through the portal.
      await setShares([...withoutBoth, SCHEDULE, PROGRESS]);
      await signIn(page, KIM);
      await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
      await page.locator('main:not([aria-busy="true"])').waitFor();
      await page.getByRole('main').getByRole('link', { name: 'See Jo’s programme' }).waitFor();
      const today = await checkScreen(page, 'partner-today');
      assert.deepEqual(today, [], today.join('\n'));
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const patientOnly of ['Log practice', 'Journal', 'Who viewed my record']) {
        assert.equal(await nav.getByRole('link', { name: patientOnly }).count(), 0,
                     `a partner's menu offers ${patientOnly}`);
      }

      // Her programme: every programme Jo sees, read-only (nothing to log for Kim).
      await visit(page, problems,
                  { link: 'Jo’s programme', heading: 'Jo’s programme', name: 'partner-programme' });
      const programmes = (await jo.get('/v1/clients/me/programmes')).json.programmes || [];
      assert.ok(programmes.length > 0, 'the demo gives Jo a programme');
      const main = page.getByRole('main');
      for (const programme of programmes) {
        // Told about Jo: "Your home programme" reads "Jo’s home programme".
        const title = programme.title.replace(/^your\s+/i, '');
        await main.getByRole('heading', { level: 2, name: title }).waitFor();
        for (const item of programme.items || []) {
          await main.getByRole('heading', { level: 3, name: item.exercise.title }).first().waitFor();
        }
      }
      assert.equal(await main.getByRole('link', { name: /log/i }).count(), 0,
                   'a partner is offered to log practice');

      // Her progress: the charts and small victories, not her practice log.
      await visit(page, problems,
                  { link: 'Jo’s progress', heading: 'Jo’s progress', name: 'partner-progress' });
      await main.getByRole('heading', { level: 2, name: 'Small victories' }).waitFor();
      await main.getByRole('heading', { level: 3, name: 'Sessions done each week' }).first()
        .waitFor();
      assert.equal(await main.getByRole('heading', { name: 'Your recent practice' }).count(), 0,
                   'a partner sees her recent practice');

      // Jo's "Who viewed my record" shows Kim's visit, and not one refused request.
      const seen = await accessesBy(link.partnerUserId);
      const viewed = seen.map((a) => a.description);
      assert.ok(viewed.some((d) => /home programme/.test(d)), `Kim's views: ${viewed}`);
      assert.ok(viewed.some((d) => /progress/.test(d)), `Kim's views: ${viewed}`);
      assert.deepEqual(seen.filter((a) => a.kind === 'RECORD_ACCESS_KIND_REFUSED'),
                       refusedBefore, 'Kim\'s visit caused a refused request');

      // Jo stops sharing both: Kim's menu no longer offers them, and the addresses say so kindly
      // without asking the server.
      await setShares(withoutBoth);
      await nav.getByRole('link', { name: 'Today', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
      await page.locator('main:not([aria-busy="true"])').waitFor();
      await nav.getByRole('link', { name: 'Account', exact: true }).waitFor();
      for (const gone of [/programme/i, /progress/i]) {
        assert.equal(await nav.getByRole('link', { name: gone }).count(), 0,
                     `Kim's menu still offers ${gone}`);
      }
      for (const [hash, heading] of [['#/programme', 'Jo’s programme'],
                                     ['#/progress', 'Jo’s progress']]) {
        await page.goto(`/${hash}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.locator('main:not([aria-busy="true"])').waitFor();
        await main.getByText(/not sharing .* with you just now/).waitFor();
      }
      // After a reload too (the portal asks GET /v1/auth/me and the partner view afresh).
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Jo’s progress' }).waitFor();
      await page.locator('main:not([aria-busy="true"])').waitFor();
      await main.getByText(/not sharing .* with you just now/).waitFor();
      await nav.getByRole('link', { name: 'Account', exact: true }).waitFor();
      for (const gone of [/programme/i, /progress/i]) {
        assert.equal(await nav.getByRole('link', { name: gone }).count(), 0,
                     `after a reload, Kim's menu still offers ${gone}`);
      }
      const found = await checkScreen(page, 'partner-nothing-shared');
      assert.deepEqual(found, [], found.join('\n'));
      assertNoProblems(problems, 'partner');
      assert.deepEqual((await accessesBy(link.partnerUserId))
        .filter((a) => a.kind === 'RECORD_ACCESS_KIND_REFUSED'), refusedBefore,
                       'Kim\'s visit without the shares caused a refused request');

      // The check above can fail: a partner's request without the share is refused, and the
      // refusal is in Jo's report.
      const kim = await apiClient(server, KIM);
      const refused = await kim.get(`/v1/clients/${joClientId}/programmes`);
      assert.equal(refused.status, 403, refused.text);
      const refusedAfter = (await accessesBy(link.partnerUserId))
        .filter((a) => a.kind === 'RECORD_ACCESS_KIND_REFUSED');
      assert.equal(refusedAfter.length, refusedBefore.length + 1,
                   'a refused partner request is missing from Jo\'s access report');
    } catch (error) {
      await saveFailureScreenshot(page, 'partner');
      throw error;
    } finally {
      await context.close();
      await setShares(originalShares);
    }
  });
});

describe('arriving and leaving', () => {
  test('first-time set-up from an invitation: the token never leaves the fragment', async () => {
    // Sam registers a new client and invites her; the token reaches only the outbox.
    const email = `robin.${crypto.randomUUID().slice(0, 8)}@example.test`;
    const created = await sam.post('/v1/clients', {
      legalGivenName: 'Robin', legalFamilyName: 'Example', dateOfBirth: '1990-04-01', email,
    });
    assert.equal(created.status, 200, created.text);
    const invited = await sam.post(`/v1/clients/${created.json.id}:inviteToPortal`, {});
    assert.equal(invited.status, 200, invited.text);
    const outbox = (await confidectl(server, ['outbox', 'list'])).split('\n').filter(Boolean)
      .map((line) => JSON.parse(line));
    const message = outbox.find((m) => m.to === email);
    assert.ok(message && message.token, `no invitation for ${email} in the outbox`);
    const { token } = message;

    const { context, page, problems } = await newPortalContext(browser, server);
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    try {
      await page.goto(`/#/welcome/${token}`);
      await page.getByRole('heading', { level: 1, name: 'Set up your account' }).waitFor();
      await page.locator('main:not([aria-busy="true"])').waitFor();
      assert.ok(!page.url().includes(token), 'the token stayed in the address bar');
      const found = await checkScreen(page, 'welcome');
      assert.deepEqual(found, [], found.join('\n'));

      const form = page.getByRole('form', { name: 'Set up your account' });
      const password = `Quiet-Garden-${crypto.randomUUID().slice(0, 8)}`;
      await form.getByLabel('Choose a password').fill(password);
      await form.getByLabel('Type the password again').fill(password);
      await form.getByRole('button', { name: 'Create my account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
      assert.ok(await sessionCookie(context), 'not signed in after set-up');
      for (const url of requested) assert.ok(!url.includes(token), `the token was sent in ${url}`);
      assertNoProblems(problems, 'welcome');

      // The link works once.
      const again = await request(server, 'POST', '/v1/auth/invitations:accept',
                                  { body: { token, password } });
      assert.notEqual(again.status, 200, 'the invitation token worked twice');
    } catch (error) {
      await saveFailureScreenshot(page, 'welcome');
      throw error;
    } finally {
      await context.close();
    }
  });

  test('idle sign-out after the configured quiet spell ends the session', async () => {
    const { context, page, problems } = await newPortalContext(browser, server);
    try {
      await page.clock.install();
      const config = await portalConfig(page);
      assert.ok(config && config.idleMinutes > 0, `config.json: ${JSON.stringify(config)}`);
      await signIn(page, JO);
      await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
      const cookie = await sessionCookie(context);
      assert.ok(cookie);
      const bearer = { headers: { Authorization: `Bearer ${cookie.value}` } };

      // A minute short of the limit nothing happens...
      await page.clock.fastForward((config.idleMinutes - 1) * 60_000);
      await page.waitForTimeout(300);
      assert.match(page.url(), /#\/today$/);
      assert.equal((await request(server, 'GET', '/v1/auth/sessions', bearer)).status, 200);

      // ...and past it she is signed out, gently, and the server session is gone.
      await page.clock.fastForward(2 * 60_000);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByRole('main').getByText(/signed out after a quiet spell/).waitFor();
      assert.equal(await sessionCookie(context), null, 'the session cookie survived idle sign-out');
      assert.equal((await request(server, 'GET', '/v1/auth/sessions', bearer)).status, 401,
                   'the server session survived idle sign-out');
      const found = await checkScreen(page, 'signed-out-idle');
      assert.deepEqual(found, [], found.join('\n'));
      assertNoProblems(problems, 'idle sign-out');
    } catch (error) {
      await saveFailureScreenshot(page, 'idle-sign-out');
      throw error;
    } finally {
      await context.close();
    }
  });

  for (const how of ['button', 'Escape twice']) {
    test(`quick exit (${how}) leaves for the neutral site and ends the session`, async () => {
      const { context, page, problems } = await newPortalContext(browser, server);
      try {
        const config = await portalConfig(page);
        assert.match(config.quickExitUrl, /^https:\/\//);
        const exitUrl = new URL(config.quickExitUrl);
        await signIn(page, JO);
        await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
        const cookie = await sessionCookie(context);
        assert.ok(cookie);

        // The browser has no outside network (harness), so the neutral site's page itself
        // fails to load; what counts is that the tab navigates there, leaving the portal.
        const leaving = page.waitForRequest((r) => r.isNavigationRequest() &&
          r.frame() === page.mainFrame() && r.url().startsWith(exitUrl.origin));
        if (how === 'button') {
          await page.getByRole('button', { name: 'Quick exit' }).click();
        } else {
          await page.keyboard.press('Escape');
          await page.keyboard.press('Escape');
        }
        const navigation = await leaving;
        assert.equal(navigation.url(), exitUrl.href);
        await navigation.response().catch(() => null); // settles once it has failed
        for (let i = 0; i < 50 && page.url().startsWith(server.origin); i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.ok(!page.url().startsWith(server.origin), `still on the portal: ${page.url()}`);

        // The background sign-out reaches the server: the session is dead (give it a moment).
        const bearer = { headers: { Authorization: `Bearer ${cookie.value}` } };
        let status = 0;
        for (let i = 0; i < 50; i += 1) {
          status = (await request(server, 'GET', '/v1/auth/sessions', bearer)).status;
          if (status === 401) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(status, 401, 'the session is still good after quick exit');
        assertNoProblems(problems, 'quick exit');
      } catch (error) {
        await saveFailureScreenshot(page, `quick-exit-${how}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }
});

describe('the API reference', () => {
  test('/docs renders every operation of /v1/openapi.json under its CSP, without script ' +
       'errors', async () => {
    const spec = await request(server, 'GET', '/v1/openapi.json');
    assert.equal(spec.status, 200, spec.text.slice(0, 300));
    const paths = Object.keys(spec.json.paths || {});
    assert.ok(paths.includes('/v1/auth/login'), `no /v1/auth/login in ${paths.slice(0, 5)}`);
    const { context, page, problems } = await newPortalContext(browser, server);
    try {
      await page.goto('/docs');
      await page.getByRole('heading', { level: 1, name: 'Confide API reference' }).waitFor();
      // swagger-ui draws a section per tag (opened here, as a reader would) and a block per
      // operation in it; every path of the document is there.
      await page.locator('.opblock-tag').first().waitFor();
      const closed = page.locator('.opblock-tag-section:not(.is-open) .opblock-tag');
      for (let left = await closed.count(); left > 0; left = await closed.count()) {
        await closed.first().click();
        await page.waitForFunction((n) => document.querySelectorAll(
          '.opblock-tag-section:not(.is-open) .opblock-tag').length < n, left);
      }
      await page.locator('.opblock').first().waitFor();
      const shown = new Set(await page.locator('.opblock-summary-path').evaluateAll(
        (nodes) => nodes.map((n) => (n.getAttribute('data-path') || n.textContent)
          .replace(/\u200b/g, '').trim())));
      const missing = paths.filter((p) => !shown.has(p));
      assert.deepEqual(missing, [], `paths not shown on /docs: ${missing.join(', ')}`);
      for (const viewport of [{ width: 360, height: 800 }, { width: 1280, height: 900 }]) {
        await page.setViewportSize(viewport);
        const file = path.join(artifactsDir, `docs-${viewport.width}x${viewport.height}.png`);
        await page.screenshot({ path: file });
      }
      assertNoProblems(problems, '/docs');
    } catch (error) {
      await saveFailureScreenshot(page, 'docs');
      throw error;
    } finally {
      await context.close();
    }
  });
});
