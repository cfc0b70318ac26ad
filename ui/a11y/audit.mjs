// @ts-check
// Accessibility audit: `npm run a11y`.
//
// Builds the harness (a11y/index.html: the real App with the Rust core played by fixtures),
// serves it on 127.0.0.1, opens it in headless Chromium at a phone's size, and walks through
// every main screen by clicking the real UI. On each screen axe-core checks WCAG 2.0, 2.1 and
// 2.2 A and AA, once at the normal text size and once with text at 200 %.
//
// Fails (exit code 1) on any violation rated serious or critical, and on any screen it could
// not reach: a screen that cannot be found is a failure, never a skip.
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium); A11Y_SKIP_BUILD=1 reuses a11y/dist;
// A11Y_SCREENSHOTS=1 saves a picture of every screen checked in a11y/dist/screens.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { build } from 'vite';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DIST = join(HERE, 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** A phone (iPhone 12 to 15 size), as the app is mainly used on one. */
const VIEWPORT = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** WCAG 2.2 AA, which includes every A and AA rule of 2.0 and 2.1. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const IMPACT_ORDER = ['critical', 'serious', 'moderate', 'minor'];
/** How long one screen may take to appear. */
const STEP_TIMEOUT_MS = 10_000;
/** The whole run is stopped after this, so CI never hangs on a stuck browser. */
const RUN_TIMEOUT_MS = 110_000;

/** Each screen is checked at the normal text size and with text doubled (WCAG 1.4.4). */
const SCALES = ['100%', '200%'];

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_VERSION = JSON.parse(await readFile(require.resolve('axe-core/package.json'), 'utf8')).version;

// ------------------------------------------------------------------ finding things on screen

/**
 * An element by its role and accessible name, as assistive technology sees it.
 * @param {string} role @param {string} name
 */
const byRole = (role, name) => `::-p-aria([name=${JSON.stringify(name)}][role=${JSON.stringify(role)}])`;

/** @param {unknown} error */
const firstLine = (error) => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/**
 * Clicks an element as a finger would, at its middle. It is first scrolled to the middle of the
 * screen: scrolled only just into view it could sit under the phone's tab bar (which sticks to
 * the bottom of the screen), and the tap would land on a tab instead. A tap that would land on
 * something else is not made; the element is looked for again (the screen may still be
 * changing) until the step's time runs out.
 * @param {import('puppeteer-core').Page} page @param {string} selector
 */
async function click(page, selector) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let problem = 'it did not appear';
  while (Date.now() < deadline) {
    const element = await page.waitForSelector(selector, { visible: true, timeout: Math.max(1, deadline - Date.now()) });
    if (!element) break;
    try {
      problem = await element.evaluate(async (target) => {
        target.scrollIntoView({ block: 'center', inline: 'nearest' });
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const box = target.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return 'it has no size';
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return hit !== null && target.contains(hit) ? '' : `it is covered by ${hit?.outerHTML.slice(0, 120) ?? 'nothing'}`;
      });
      if (problem === '') {
        await element.click();
        return;
      }
    } catch (error) {
      // Re-drawn between finding and clicking: find it again.
      problem = firstLine(error);
    } finally {
      await element.dispose();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Could not click ${selector}: ${problem}`);
}

/**
 * Chooses a radio button and waits until it is taken. Under load a tap can be lost while the
 * question is still being drawn (seen in CI: the radio stayed unchecked for the whole step, and
 * the screen after it was never reached). Tapping a radio again is harmless, so it is tapped
 * until it is checked or the step's time runs out. (Not for checkboxes: a second tap would
 * clear one.)
 * @param {import('puppeteer-core').Page} page @param {string} selector
 */
async function choose(page, selector) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    await click(page, selector);
    try {
      await page.waitForSelector(`${selector}:checked`, { timeout: Math.min(2_000, Math.max(1, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
}

/** @param {import('puppeteer-core').Page} page @param {string} selector */
async function visible(page, selector) {
  await page.waitForSelector(selector, { visible: true, timeout: STEP_TIMEOUT_MS });
}

/**
 * Waits until the sandboxed iframe matching `selector` has loaded a document containing `text`.
 * @param {import('puppeteer-core').Page} page @param {string} selector @param {string} text
 */
async function frameShows(page, selector, text) {
  await page.waitForFunction(
    (frameSelector, expected) => {
      const frame = /** @type {HTMLIFrameElement | null} */ (document.querySelector(frameSelector));
      return frame?.contentDocument?.body?.textContent?.includes(expected) ?? false;
    },
    { timeout: STEP_TIMEOUT_MS },
    selector,
    text,
  );
}

/** @param {import('puppeteer-core').Page} page @param {string} selector */
async function gone(page, selector) {
  await page.waitForSelector(selector, { hidden: true, timeout: STEP_TIMEOUT_MS });
}

/**
 * Sends an event as the Rust core would (`app.emit`), through the harness's mocked events.
 * @param {import('puppeteer-core').Page} page @param {string} event @param {unknown} payload
 */
async function emit(page, event, payload) {
  await page.evaluate(
    async (name, data) => {
      if (!window.__a11yEmit) throw new Error('The harness cannot send events.');
      await window.__a11yEmit(name, data);
    },
    event,
    /** @type {any} */ (payload),
  );
}

/**
 * Types a PIN on the lock screen and presses Unlock. A PIN box has no role (it hides what is
 * typed), so it is found by its label's box.
 * @param {import('puppeteer-core').Page} page @param {string} pin
 */
async function enterPin(page, pin) {
  const box = await page.waitForSelector('.lock input[type="password"]:not([disabled])', { visible: true, timeout: STEP_TIMEOUT_MS });
  await box?.type(pin);
  await box?.dispose();
  await click(page, byRole('button', 'Unlock'));
}

/** @param {import('puppeteer-core').Page} page @param {string} tab */
async function openTab(page, tab) {
  await click(page, `nav[aria-label="Sections"] ${byRole('button', tab)}`);
}

// ------------------------------------------------------------------ the screens, in order

/**
 * Each screen is reached from where the one before left off, by clicking the real UI.
 * `url` (re)loads the harness first; its query string sets the fixtures' starting state.
 * @typedef {{ name: string, url?: string, reach: (page: import('puppeteer-core').Page) => Promise<void> }} View
 * @type {View[]}
 */
const VIEWS = [
  {
    name: 'Sign-in screen',
    url: '/?state=signedOut',
    reach: async (page) => {
      await visible(page, byRole('heading', 'Your council email, calendar and contacts'));
      await visible(page, byRole('button', 'Sign in with your council account'));
    },
  },
  {
    name: 'Mail: inbox message list',
    url: '/',
    reach: async (page) => {
      await visible(page, byRole('heading', 'Inbox'));
      await visible(page, '.message-list button.row[data-index="0"]');
    },
  },
  {
    name: 'Mail: opened message (HTML body, blocked images, attachments)',
    reach: async (page) => {
      await click(page, '.message-list button.row[data-index="0"]');
      await visible(page, byRole('heading', 'Planning committee agenda'));
      await visible(page, byRole('button', 'Show images (about 410\u00a0KB)'));
      await visible(page, byRole('heading', '3 attachments'));
      await visible(page, byRole('heading', 'Also in this conversation'));
      await frameShows(page, 'iframe.frame', 'Items for decision');
    },
  },
  {
    name: 'Mail: link confirmation with its warnings (a link the shell caught in the body)',
    reach: async (page) => {
      // WebKit's way: the click navigates the top page, the shell refuses and sends the address.
      await emit(page, 'link-requested', { url: 'https://www.demo-council.gov.uk@evil.example/\u202Efdp.exe' });
      await visible(page, byRole('dialog', 'Open this link?'));
      await visible(page, '.link-address .host ::-p-text(evil.example)');
      await visible(page, '.link-address .warning ::-p-text(the part before the @ sign)');
      await visible(page, '.link-address .warning ::-p-text(hidden direction characters)');
    },
  },
  {
    name: 'Mail: a message whose text is not downloaded, while offline',
    reach: async (page) => {
      await click(page, `dialog ${byRole('button', 'Cancel')}`);
      await gone(page, 'dialog[open]');
      await click(page, byRole('button', 'Back to Inbox'));
      await click(page, '.message-list button.row[data-index="1"]');
      await visible(page, byRole('heading', 'Re: Bus shelter on Mill Lane'));
      await visible(page, '.message-view .notice ::-p-text(This message’s text hasn’t been downloaded yet)');
    },
  },
  {
    name: 'Mail: reply form',
    reach: async (page) => {
      await click(page, byRole('button', 'Reply'));
      await visible(page, byRole('heading', 'Reply'));
      await visible(page, byRole('textbox', 'Your reply'));
    },
  },
  {
    name: 'Mail: forward with an attached file and its cost on mobile data',
    reach: async (page) => {
      await click(page, byRole('button', 'Cancel'));
      await click(page, byRole('button', 'Forward'));
      await visible(page, byRole('heading', 'Forward'));
      await page.waitForSelector('.compose input[type=file]');
      await page.$eval('.compose input[type=file]', (element) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['plans'], 'Site plans.pdf', { type: 'application/pdf' }));
        element.files = transfer.files;
        element.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await visible(page, '.compose .file-list ::-p-text(Site plans.pdf)');
      await visible(page, '.compose .cost-note');
    },
  },
  {
    name: 'Mail: address suggestions open under To',
    reach: async (page) => {
      await click(page, byRole('button', 'Remove Site plans.pdf'));
      // With its file removed and nothing typed, Cancel closes the forward at once.
      await click(page, byRole('button', 'Cancel'));
      await click(page, byRole('button', 'Back to Inbox'));
      await click(page, byRole('button', 'New message'));
      await page.type('.compose input[role=combobox]', 'sam');
      await visible(page, '.compose [role=listbox] ::-p-text(Sam Patel)');
    },
  },
  {
    name: 'Mail: new message form with errors',
    reach: async (page) => {
      await page.keyboard.press('Escape');
      await page.$eval('.compose input[role=combobox]', (element) => {
        element.value = '';
        element.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await visible(page, byRole('heading', 'New message'));
      await click(page, byRole('button', 'Send'));
      await visible(page, '.compose .error');
    },
  },
  {
    name: 'Mail: outbox',
    reach: async (page) => {
      await click(page, byRole('button', 'Cancel'));
      await visible(page, byRole('combobox', 'Folder'));
      // The picker's value for the Outbox (not a mail folder) is " outbox".
      await page.select('section.mail .picker select', ' outbox');
      await visible(page, byRole('heading', 'Outbox'));
      await visible(page, '.outbox li.state-failed');
    },
  },
  {
    name: 'Calendar: agenda',
    reach: async (page) => {
      await openTab(page, 'Calendar');
      await visible(page, byRole('heading', 'Calendar'));
      await visible(page, '.calendar button.event[data-event-id="e1"]');
    },
  },
  {
    name: 'Calendar: invitation details',
    reach: async (page) => {
      await click(page, '.calendar button.event[data-event-id="e1"]');
      await visible(page, byRole('heading', 'Reply to the invitation'));
      await visible(page, byRole('list', 'Invited'));
      await visible(page, '.attendees ::-p-text(1 accepted, 1 tentative, 1 declined, 1 not answered)');
      await frameShows(page, '.calendar iframe.safe-html', 'members’ briefing');
    },
  },
  {
    name: 'Calendar: a link in the details that cannot be opened (caught by the shell)',
    reach: async (page) => {
      await emit(page, 'link-requested', { url: 'data:text/html,<p>hi' });
      await visible(page, byRole('group', 'This link cannot be opened'));
      await visible(page, '.link-prompt ::-p-text(Member Companion cannot open this kind of link.)');
    },
  },
  {
    name: 'Calendar: committee meetings (new papers, an agenda not yet out, a cancelled meeting)',
    reach: async (page) => {
      await click(page, byRole('button', 'Back to calendar'));
      await click(page, byRole('button', 'Committee meetings'));
      await visible(page, '.calendar button.meeting[data-meeting-id="41"] ::-p-text(1 new paper)');
      await visible(page, '.calendar button.meeting[data-meeting-id="43"] ::-p-text(Agenda not yet published)');
      await visible(page, '.calendar button.meeting[data-meeting-id="44"] ::-p-text(Cancelled)');
    },
  },
  {
    name: 'Calendar: a committee agenda (a stored paper, a supplement, an exempt item)',
    reach: async (page) => {
      await click(page, '.calendar button.meeting[data-meeting-id="41"]');
      await visible(page, byRole('button', 'Open Agenda frontsheet'));
      await visible(page, '.agenda ::-p-text(Exempt – not for publication)');
      await visible(page, byRole('button', 'Back to committee meetings'));
    },
  },
  {
    name: 'Calendar: a committee paper’s download asked about on mobile data',
    reach: async (page) => {
      await click(page, byRole('button', 'Download Report of the Head of Planning (8\u00a0MB)'));
      await visible(page, byRole('dialog', 'Download Report of the Head of Planning?'));
      await visible(page, byRole('button', 'Download anyway'));
    },
  },
  {
    name: 'Calendar: a committee paper in the reader (pdf.js pages with their text)',
    reach: async (page) => {
      await click(page, `dialog ${byRole('button', 'Not now')}`);
      await gone(page, 'dialog[open]');
      await click(page, byRole('button', 'Open Agenda frontsheet'));
      await visible(page, byRole('region', 'Page 1 of 2'));
      await visible(page, '.paper-viewer .text-layer ::-p-text(Planning Committee: agenda)');
      await click(page, byRole('button', 'Zoom in'));
      await visible(page, '.paper-viewer .zoom ::-p-text(125%)');
    },
  },
  {
    name: 'Calendar: notes on a committee paper (a note on a page, one on the whole paper, kept in OneDrive)',
    reach: async (page) => {
      await click(page, byRole('button', 'Notes (2)'));
      await visible(page, byRole('heading', 'Notes on this paper'));
      await visible(page, byRole('button', 'Edit note on page 2'));
      await visible(page, byRole('checkbox', 'Also keep my notes on papers in my OneDrive'));
      await visible(page, '.paper-viewer .notes ::-p-text(Saved to your OneDrive as)');
    },
  },
  {
    name: 'Contacts: list',
    reach: async (page) => {
      await openTab(page, 'Contacts');
      await visible(page, byRole('heading', 'Contacts'));
      await visible(page, '.contacts button.contact[data-contact-id="c2"]');
    },
  },
  {
    name: 'Contacts: contact details',
    reach: async (page) => {
      await click(page, '.contacts button.contact[data-contact-id="c2"]');
      await visible(page, byRole('heading', 'Sam Clerk'));
    },
  },
  {
    name: 'Contacts: the council directory',
    reach: async (page) => {
      await click(page, byRole('button', 'Back to contacts'));
      await click(page, byRole('button', 'Council directory'));
      await visible(page, '.directory button.person[data-person-id="u2"]');
      await visible(page, '.directory ::-p-text(612 people in the council directory)');
    },
  },
  {
    name: 'Contacts: a person in the directory',
    reach: async (page) => {
      await click(page, '.directory button.person[data-person-id="u2"]');
      await visible(page, byRole('heading', 'Tom Ashworth'));
      await visible(page, '.contact-view ::-p-text(01632 960 202)');
    },
  },
  {
    name: 'Search: results',
    reach: async (page) => {
      await openTab(page, 'Search');
      const box = byRole('searchbox', 'Search mail, calendar and contacts');
      await (await page.waitForSelector(box, { visible: true, timeout: STEP_TIMEOUT_MS }))?.type('planning');
      await visible(page, '.search button.hit[data-hit="contact:c1"]');
    },
  },
  {
    name: 'Search: older mail on the server',
    reach: async (page) => {
      await click(page, byRole('button', 'Search older mail on the server'));
      await visible(page, '.search button.hit[data-hit="mail:old2"]');
    },
  },
  {
    name: 'Data allowance warning at 90 % (under the status bar)',
    reach: async (page) => {
      await emit(page, 'allowance-alert', {
        percent: 90,
        title: '90% of your mobile data used',
        body: 'You have used 922 MB of your 1 GB this month (to 30 November). Open Member Companion to see where it went.',
      });
      await visible(page, byRole('button', 'See your data use'));
      await visible(page, '.allowance-alert [role="status"] ::-p-text(90% of your mobile data used)');
    },
  },
  {
    name: 'Data allowance warning, all used (replacing the 90 % one)',
    reach: async (page) => {
      await emit(page, 'allowance-alert', {
        percent: 100,
        title: 'You have used all your mobile data',
        body: 'You have used 1 GB of 1 GB before 30 November. Going over can cost £2 a day. Member Companion now downloads only what you ask for.',
      });
      await visible(page, '.allowance-alert.over [role="status"] ::-p-text(You have used all your mobile data)');
      await visible(page, byRole('button', 'Dismiss'));
    },
  },
  {
    name: 'Data allowance (with the table opened)',
    reach: async (page) => {
      // Opened from the warning's own button, which puts the warning away.
      await click(page, byRole('button', 'See your data use'));
      await visible(page, byRole('heading', 'Data allowance'));
      await gone(page, '.allowance-alert.shown');
      await visible(page, byRole('heading', 'Where the data went'));
      await click(page, '.usage-chart summary');
      await visible(page, '.usage-chart details[open] table');
    },
  },
  {
    name: 'Trial: first-run consent screen',
    url: '/?consent=none',
    reach: async (page) => {
      await visible(page, byRole('heading', 'Taking part in the trial'));
      await visible(page, byRole('heading', 'What we collect'));
      await visible(page, '.consent dl.trial-list dt');
      await visible(page, byRole('checkbox', 'Ask me to answer short surveys'));
    },
  },
  {
    name: 'Trial: section with a survey due',
    reach: async (page) => {
      await click(page, byRole('checkbox', 'Ask me to answer short surveys'));
      await click(page, byRole('button', 'Continue'));
      await openTab(page, 'Trial');
      await visible(page, byRole('heading', 'Trial'));
      await visible(page, byRole('button', 'Start'));
      await visible(page, byRole('heading', 'Your part in the trial'));
      await visible(page, '.trial .code strong');
    },
  },
  {
    name: 'Trial: survey, multiple-choice question',
    reach: async (page) => {
      await click(page, byRole('button', 'Start'));
      await visible(page, byRole('heading', 'Before you start'));
      await visible(page, '.player legend h3 ::-p-text(How do you read council email today?)');
      await click(page, byRole('checkbox', 'My own phone'));
      await page.waitForSelector(`${byRole('checkbox', 'My own phone')}:checked`, { timeout: STEP_TIMEOUT_MS });
    },
  },
  {
    name: 'Trial: survey, agree-or-disagree question with an error',
    reach: async (page) => {
      await click(page, byRole('button', 'Next'));
      await visible(page, byRole('radio', 'Strongly agree'));
      // Next without an answer to a required question.
      await click(page, byRole('button', 'Next'));
      await visible(page, '.player .trial-error');
    },
  },
  {
    name: 'Trial: survey, score from 0 to 10',
    reach: async (page) => {
      // Each answer is waited for before Next: under load a click can land before the answer
      // is taken, and Next then (rightly) says to choose one.
      await choose(page, byRole('radio', 'Agree'));
      await click(page, byRole('button', 'Next'));
      // "Yes" asks one more question (the core's branching): what was missed, in the member's words.
      await choose(page, byRole('radio', 'Yes'));
      await click(page, byRole('button', 'Next'));
      const box = byRole('textbox', 'What did you miss? (optional)');
      await (await page.waitForSelector(box, { visible: true, timeout: STEP_TIMEOUT_MS }))?.type('Planning papers');
      await click(page, byRole('button', 'Next'));
      await visible(page, byRole('radio', '0 (not at all likely)'));
      await visible(page, byRole('radio', '10 (extremely likely)'));
      await click(page, byRole('radio', '8'));
    },
  },
  {
    name: 'Trial: survey, answers to check with free text',
    reach: async (page) => {
      await click(page, byRole('button', 'Next'));
      await visible(page, byRole('heading', 'Check your answers'));
      await visible(page, '.player dd.free-text ::-p-text(Planning papers)');
      await visible(page, byRole('button', 'Send'));
    },
  },
  {
    name: 'Trial: help form, with what is sent with it',
    reach: async (page) => {
      await click(page, byRole('button', 'Finish later'));
      await click(page, byRole('button', 'Get help'));
      await visible(page, byRole('heading', 'Get help'));
      await visible(page, byRole('heading', 'This is also sent, so the service desk can help'));
      await visible(page, '.help dl.trial-list dt ::-p-text(App version)');
    },
  },
  {
    name: 'Trial: help form with errors',
    reach: async (page) => {
      await click(page, byRole('button', 'Send'));
      await visible(page, '.help .trial-fieldset.invalid .trial-error');
      await visible(page, '.help .field.invalid .error');
    },
  },
  {
    name: 'Trial: what we collect',
    reach: async (page) => {
      await click(page, byRole('button', 'Cancel'));
      await click(page, byRole('button', 'What we collect'));
      await visible(page, byRole('heading', 'What we collect'));
      await visible(page, '.what-we-collect dl.trial-list dt');
      await visible(page, byRole('button', 'Back to Trial'));
    },
  },
  {
    name: 'Sign-out confirmation dialog',
    reach: async (page) => {
      await click(page, byRole('button', 'Sign out'));
      await visible(page, 'dialog[open]');
      await visible(page, byRole('button', 'Stay signed in'));
    },
  },
  {
    name: 'Security (device code, the council’s rules, restart warning)',
    url: '/',
    reach: async (page) => {
      await click(page, byRole('button', 'Security'));
      await visible(page, byRole('heading', 'Security'));
      await visible(page, '.security .code ::-p-text(MC-7F3K-92QD)');
      await visible(page, '.security ::-p-text(Restarting this computer clears Member Companion)');
      await visible(page, byRole('button', 'Lock now'));
    },
  },
  {
    name: 'Security: change PIN with errors',
    reach: async (page) => {
      await click(page, byRole('button', 'Change PIN'));
      await visible(page, '.security .field.invalid .error');
    },
  },
  {
    name: 'App lock: lock screen (after Lock now)',
    reach: async (page) => {
      await click(page, byRole('button', 'Lock now'));
      await visible(page, byRole('heading', 'Enter your PIN'));
      await visible(page, byRole('button', 'Forgotten your PIN?'));
    },
  },
  {
    name: 'App lock: lock screen after a wrong PIN (tries left)',
    reach: async (page) => {
      await enterPin(page, '111111');
      await visible(page, '.lock .field.invalid .error ::-p-text(You have 4 more tries)');
    },
  },
  {
    name: 'App lock: the wait after too many wrong PINs',
    reach: async (page) => {
      await enterPin(page, '222222');
      await visible(page, '.lock .field.invalid .error ::-p-text(You have 3 more tries)');
      await enterPin(page, '333333');
      await visible(page, '.lock [role="timer"]');
      await visible(page, '.lock .protection-actions button[type="submit"][aria-disabled="true"]');
    },
  },
  {
    name: 'App lock: forgotten PIN question',
    reach: async (page) => {
      await click(page, byRole('button', 'Forgotten your PIN?'));
      await visible(page, 'dialog[open]');
      await visible(page, byRole('button', 'Keep trying'));
    },
  },
  {
    name: 'App lock: choosing a PIN after the device was cleared, with errors',
    url: '/?lock=wiped',
    reach: async (page) => {
      await visible(page, byRole('heading', 'Member Companion was cleared from this device'));
      await visible(page, byRole('heading', 'Choose a PIN'));
      await click(page, byRole('button', 'Save PIN'));
      await visible(page, '.pin-setup .field.invalid .error');
    },
  },
  {
    name: 'App lock: the council to reach',
    url: '/?lock=reachCouncil',
    reach: async (page) => {
      await visible(page, byRole('heading', 'Member Companion needs to reach the council'));
      await visible(page, byRole('button', 'Try again'));
    },
  },
];

// ------------------------------------------------------------------ axe

/**
 * @typedef {{ id: string, impact: string | null, help: string, helpUrl: string, nodes: Array<{ target: unknown[], failureSummary?: string }> }} Violation
 * @typedef {{ view: string, scale: string, reached: boolean, frames?: number, error?: string, violations: Violation[] }} Result
 */

/**
 * Lets transitions, ResizeObservers and late layout settle before measuring.
 * @param {import('puppeteer-core').Page} page
 */
async function settle(page) {
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        void document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))));
      }),
  );
}

/**
 * Runs axe over the whole page. The message bodies sit in iframes sandboxed without scripts,
 * where axe cannot run; their documents are audited separately (see auditFrames).
 * @param {import('puppeteer-core').Page} page
 * @param {object | null} frameContext axe's context for a document that is really shown in a frame
 * @returns {Promise<Violation[]>}
 */
async function runAxe(page, frameContext = null) {
  // axe treats `position: sticky` as if it were `relative` (axe-core issue #3720): while the
  // phone's tab bar is stuck to the bottom of the screen, whatever scrolls beneath it counts as
  // a target overlapping the tabs (for `position: fixed` bars axe knows better). At the end of
  // the page the bar sits where its layout puts it, which is what axe assumes. At a phone's
  // width nothing else on the page is sticky or fixed, so nothing else moves.
  const scrollY = await page.evaluate(() => {
    const before = window.scrollY;
    window.scrollTo(0, document.documentElement.scrollHeight);
    return before;
  });
  try {
    await settle(page);
    const hasAxe = await page.evaluate(() => 'axe' in window);
    if (!hasAxe) await page.addScriptTag({ content: AXE_SOURCE });
    return await page.evaluate(
      async (tags, context) => {
        // @ts-expect-error axe is the global that axe.min.js defines.
        const results = await window.axe.run(context ?? document, {
          runOnly: { type: 'tag', values: tags },
          resultTypes: ['violations'],
          iframes: false,
        });
        return results.violations.map((/** @type {any} */ v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target, failureSummary: n.failureSummary })),
        }));
      },
      WCAG_TAGS,
      frameContext,
    );
  } finally {
    await page.evaluate((top) => window.scrollTo(0, top), scrollY);
  }
}

/**
 * Audits what each visible sandboxed iframe shows (a message or event body with the app's own
 * body stylesheet) by opening the same document in a page of its own, where axe may run. axe is
 * told the document is a frame's, as its own iframe support would: rules about the top-level
 * page (its title, its language) are left to the app's page, as axe leaves them inside frames.
 * @param {import('puppeteer-core').Browser} browser
 * @param {import('puppeteer-core').Page} page
 * @param {string} rootFontSize
 * @returns {Promise<{ count: number, violations: Violation[] }>}
 */
async function auditFrames(browser, page, rootFontSize) {
  const documents = await page.evaluate(() =>
    Array.from(document.querySelectorAll('iframe'))
      .filter((frame) => frame.checkVisibility() && frame.contentDocument)
      .map((frame) => {
        const box = frame.getBoundingClientRect();
        const tabindex = frame.getAttribute('tabindex');
        return {
          title: frame.title,
          html: frame.srcdoc ? frame.srcdoc : (frame.contentDocument?.documentElement.outerHTML ?? ''),
          // SafeHtmlFrame styles its body from script after load: carry that across too.
          bodyStyle: frame.contentDocument?.body?.getAttribute('style') ?? '',
          width: box.width,
          height: box.height,
          focusable: tabindex === null || Number(tabindex) >= 0,
        };
      }),
  );
  /** @type {Violation[]} */
  const violations = [];
  for (const doc of documents) {
    const framePage = await browser.newPage();
    try {
      await framePage.setViewport({ ...VIEWPORT, width: Math.max(1, Math.round(doc.width)) });
      await framePage.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
      // The body's own policy forbids all script (see messageBody.ts); axe has to run all the same.
      await framePage.setBypassCSP(true);
      // The body stylesheet's address is absolute (see messageBody.ts), so it loads here too.
      await framePage.setContent(doc.html, { waitUntil: 'load' });
      await framePage.evaluate(
        (style, size) => {
          if (style) document.body.setAttribute('style', style);
          document.documentElement.style.fontSize = size;
        },
        doc.bodyStyle,
        rootFontSize,
      );
      const context = {
        include: [['html']],
        initiator: false,
        focusable: doc.focusable,
        size: { width: doc.width, height: doc.height },
      };
      for (const violation of await runAxe(framePage, context)) {
        violations.push({
          ...violation,
          nodes: violation.nodes.map((node) => ({ ...node, target: [`iframe[title="${doc.title}"]`, ...node.target] })),
        });
      }
    } finally {
      await framePage.close();
    }
  }
  return { count: documents.length, violations };
}

// ------------------------------------------------------------------ serving the harness

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker keeps its own name; a module worker is refused under any other type.
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A tiny static server for a11y/dist on 127.0.0.1 and a free port. */
async function serve() {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(DIST, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(DIST + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end('Not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The static server did not get a port.');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

// ------------------------------------------------------------------ report

/** @param {Violation[]} violations */
function countByImpact(violations) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const violation of violations) counts[violation.impact ?? 'unknown'] = (counts[violation.impact ?? 'unknown'] ?? 0) + 1;
  return counts;
}

/** @param {Record<string, number>} counts */
function countsText(counts) {
  const parts = [...IMPACT_ORDER, 'unknown'].filter((impact) => counts[impact]).map((impact) => `${counts[impact]} ${impact}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** @param {Result} result */
function label(result) {
  const frames = result.frames ? ` + ${result.frames} framed ${result.frames === 1 ? 'body' : 'bodies'}` : '';
  return `${result.view} [text ${result.scale}${frames}]`;
}

/** @param {Result} result */
function printResult(result) {
  if (!result.reached) {
    console.log(`\n✘ ${label(result)}: COULD NOT BE REACHED\n    ${result.error}`);
    return;
  }
  const failing = result.violations.some((v) => FAILING_IMPACTS.has(v.impact ?? ''));
  const mark = failing ? '✘' : result.violations.length > 0 ? '•' : '✔';
  console.log(`\n${mark} ${label(result)}: ${countsText(countByImpact(result.violations))}`);
  const sorted = [...result.violations].sort((a, b) => IMPACT_ORDER.indexOf(a.impact ?? '') - IMPACT_ORDER.indexOf(b.impact ?? ''));
  for (const violation of sorted) {
    console.log(`    ${(violation.impact ?? 'unknown').padEnd(8)} ${violation.id}: ${violation.help}`);
    for (const node of violation.nodes.slice(0, 3)) console.log(`             at ${node.target.map(String).join(' >>> ')}`);
    if (violation.nodes.length > 3) console.log(`             … and ${violation.nodes.length - 3} more`);
  }
}

/**
 * "Mail: opened message (…)" → "mail-opened-message", for file names.
 * @param {string} text
 */
const slug = (text) => text.toLowerCase().replace(/\(.*?\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// ------------------------------------------------------------------ run

/**
 * Proves that axe runs and finds problems at all, so a broken set-up cannot pass as "no
 * violations": a page with a nameless button and grey-on-white text must fail both rules.
 * @param {import('puppeteer-core').Browser} browser
 */
async function selfTest(browser) {
  const page = await browser.newPage();
  try {
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>Self-test</title></head><body><main>' +
        '<button></button><p style="color:#aaa;background:#fff">Too faint</p></main></body></html>',
    );
    const found = new Set((await runAxe(page)).map((violation) => violation.id));
    const missing = ['button-name', 'color-contrast'].filter((id) => !found.has(id));
    if (missing.length > 0) throw new Error(`axe's self-test did not report: ${missing.join(', ')}`);
  } finally {
    await page.close();
  }
}

async function main() {
  const started = Date.now();
  if (process.env.A11Y_SKIP_BUILD !== '1') {
    await build({ configFile: join(HERE, 'vite.config.ts'), logLevel: 'warn' });
  }
  const { server, origin } = await serve();
  try {
    await auditAll(origin, started);
  } finally {
    server.close();
  }
}

/**
 * Opens the browser, checks every screen and prints the report.
 * @param {string} origin where the harness is served
 * @param {number} started when the run began, for the time taken
 */
async function auditAll(origin, started) {
  const screenshots = process.env.A11Y_SCREENSHOTS === '1';
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    // headless: true starts Chromium with --headless=new; CI runs as root, hence --no-sandbox.
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=en-GB'],
  });
  const watchdog = setTimeout(() => {
    console.error(`\nThe audit took longer than ${RUN_TIMEOUT_MS / 1000} s and was stopped.`);
    void browser.close().finally(() => process.exit(2));
  }, RUN_TIMEOUT_MS);

  /** @type {Result[]} */
  const results = [];
  /** @type {string[]} */
  const pageErrors = [];
  /** @type {Set<string>} */
  const unknownCommands = new Set();
  try {
    await selfTest(browser);
    if (screenshots) await mkdir(join(DIST, 'screens'), { recursive: true });

    const page = await browser.newPage();
    await page.setViewport(VIEWPORT);
    await page.emulateTimezone('Europe/London');
    // Spinners stand still, so nothing is measured half-way through an animation.
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
    page.on('pageerror', (error) => pageErrors.push(firstLine(error)));
    const collectUnknownCommands = async () => {
      const unknown = await page.evaluate(() => window.__a11yUnknownCommands ?? []).catch(() => []);
      for (const command of unknown) unknownCommands.add(command);
    };

    for (const view of VIEWS) {
      try {
        if (view.url !== undefined) {
          await collectUnknownCommands();
          await page.goto(`${origin}${view.url}`, { waitUntil: 'load' });
        }
        await view.reach(page);
      } catch (error) {
        const shot = `unreached-${slug(view.name)}.png`;
        await page.screenshot({ path: join(DIST, shot) }).catch(() => {});
        for (const scale of SCALES) {
          results.push({ view: view.name, scale, reached: false, error: `${firstLine(error)} (screen: a11y/dist/${shot})`, violations: [] });
        }
        continue;
      }
      for (const scale of SCALES) {
        try {
          // Text scaling as a reader's setting does it: the root font size, which every rem follows.
          const rootSize = scale === '100%' ? '' : scale;
          await page.evaluate((size) => (document.documentElement.style.fontSize = size), rootSize);
          const frames = await auditFrames(browser, page, rootSize);
          const violations = [...(await runAxe(page)), ...frames.violations];
          results.push({ view: view.name, scale, reached: true, frames: frames.count, violations });
          if (screenshots) {
            await page.screenshot({ path: join(DIST, 'screens', `${slug(view.name)}-${parseInt(scale, 10)}.png`), fullPage: true });
          }
        } catch (error) {
          results.push({ view: view.name, scale, reached: false, error: `axe could not run: ${firstLine(error)}`, violations: [] });
        }
      }
      await page.evaluate(() => (document.documentElement.style.fontSize = ''));
    }
    await collectUnknownCommands();

    console.log(`Accessibility audit: axe-core ${AXE_VERSION}, ${WCAG_TAGS.join(' ')}, ${VIEWPORT.width}×${VIEWPORT.height} px`);
    results.forEach(printResult);

    const unreached = results.filter((r) => !r.reached);
    const failing = results.filter((r) => r.violations.some((v) => FAILING_IMPACTS.has(v.impact ?? '')));
    console.log('\nSummary: violations by impact');
    for (const result of results) {
      const text = result.reached ? countsText(countByImpact(result.violations)) : 'COULD NOT BE REACHED';
      console.log(`  ${label(result).padEnd(92)} ${text}`);
    }
    if (unknownCommands.size > 0) console.log(`\nThe fixtures had no answer for: ${[...unknownCommands].join(', ')}`);
    if (pageErrors.length > 0) console.log(`\nErrors thrown in the page:\n  ${pageErrors.join('\n  ')}`);

    await writeFile(join(DIST, 'a11y-report.json'), JSON.stringify({ tags: WCAG_TAGS, viewport: VIEWPORT, results }, null, 2));
    const ok = unreached.length === 0 && failing.length === 0 && unknownCommands.size === 0 && pageErrors.length === 0;
    console.log(
      `\n${ok ? 'PASSED' : 'FAILED'}: ${VIEWS.length} screens, ${results.length - unreached.length} of ${results.length} checks ` +
        `reached, ${failing.length} with serious or critical violations, in ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
        `Details: a11y/dist/a11y-report.json`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await browser.close();
  }
}

await main().catch((error) => {
  console.error('The accessibility audit could not run:', error);
  process.exitCode = 1;
});
