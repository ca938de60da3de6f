import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './support/browser.js';
import { errorAt, fillFlightDelay } from './support/claim-form.js';
import { startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
}, 600_000);
afterAll(async () => stack?.close());

/** A claim with four mistakes: an airport that does not exist, a malformed flight number, no email, a bad wallet. */
async function fillWithMistakes(page: Page) {
  await fillFlightDelay(page);
  await page.getByLabel('To', { exact: true }).fill('XQZ');
  await page.getByLabel('Flight number').fill('LH40000');
  await page.getByLabel('Your email address').fill('');
  await page.getByLabel('Payout wallet (optional)').fill('0x1234');
}

/** Where a field sits on the page (not the viewport, which scrolls). */
const box = (page: Page, label: string) =>
  page.getByLabel(label).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  });

describe.each([
  { javaScript: true, how: 'with JavaScript' },
  { javaScript: false, how: 'without JavaScript' },
])('A claim form with mistakes, $how', ({ javaScript }) => {
  it('shows each error at its field, from the API’s pointers, without moving the page', async () => {
    const context = await stack.browser.context({ javaScript });
    const page = await context.newPage();
    await page.goto(stack.baseUrl);
    await fillWithMistakes(page);
    const before = { name: await box(page, 'Your full name'), cause: await box(page, 'What did the airline say caused it?') };

    await page.getByRole('button', { name: 'Preview the decision' }).click();
    await page.locator('[data-error-for="leg.0.to"]:not(:empty)').waitFor({ timeout: 60_000 });

    expect(await errorAt(page, 'leg.0.to')).toBe('We know no airport “XQZ”: choose one from the list.');
    expect(await errorAt(page, 'leg.0.flightNumber')).toBe('Enter the flight number as on your ticket, e.g. LH400.');
    expect(await errorAt(page, 'claimant.email')).toBe('Please fill this in.');
    expect(await errorAt(page, 'claimant.wallet')).toBe('Enter an Ethereum address (0x and 40 characters), or leave it empty.');
    // Fields without mistakes stay quiet, and the invalid ones say so to assistive technology.
    expect(await errorAt(page, 'claimant.name')).toBe('');
    expect(await errorAt(page, 'leg.0.from')).toBe('');
    expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Your email address').getAttribute('aria-describedby')).toContain('f-claimant-email-error');
    // What the claimant typed is still there.
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('FRA');
    expect(await page.getByLabel('Scheduled departure (first flight)').inputValue()).toBe('2026-03-01T10:00');
    expect(await page.getByRole('status').textContent()).toMatch(/4 answers need your attention/);
    // Each field keeps a line for its error, so nothing moved when they appeared.
    expect(await box(page, 'Your full name')).toEqual(before.name);
    expect(await box(page, 'What did the airline say caused it?')).toEqual(before.cause);
    if (javaScript) expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('leg.0.to');
    await screenshot(page, `portal-errors-${javaScript ? 'js' : 'nojs'}-desktop`);
    // Nothing was filed.
    expect(stack.test.services.cases.list({ limit: 10 }, { kind: 'admin' }).data).toHaveLength(0);

    // Fixed, the same form previews.
    await page.getByLabel('To', { exact: true }).fill('JFK');
    await page.getByLabel('Flight number').fill('LH400');
    await page.getByLabel('Your email address').fill('a.passenger@example.org');
    await page.getByLabel('Payout wallet (optional)').fill('');
    await page.getByRole('button', { name: 'Preview the decision' }).click();
    await page.getByTestId('preview').waitFor({ timeout: 60_000 });
    expect(await errorAt(page, 'leg.0.to')).toBe('');
    await context.close();
  });
});

describe('Without JavaScript, a multi-leg itinerary', () => {
  it('adds a connecting flight through the server and files it', async () => {
    const context = await stack.browser.context({ javaScript: false });
    const page = await context.newPage();
    await page.goto(stack.baseUrl);
    await fillFlightDelay(page);
    await page.getByLabel('To', { exact: true }).fill('MUC');
    await page.getByRole('button', { name: 'Add a connecting flight' }).click();
    await page.locator('[name="leg.1.to"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[name="leg.1.from"]').inputValue()).toBe('MUC');
    await page.locator('[name="leg.1.to"]').fill('JFK');
    await page.locator('[name="leg.1.flightNumber"]').fill('LH410');
    await page.getByLabel('Flight number').first().fill('LH99');
    await page.getByRole('button', { name: 'File my claim' }).click();
    await page.waitForURL(/\/case\/cs_/, { timeout: 60_000 });
    const id = /\/case\/(cs_[0-9a-f]+)/.exec(page.url())![1];
    expect(stack.test.services.cases.read(id)!.record).toMatchObject({
      flight: { flightNumbers: ['LH99', 'LH410'], itinerary: [{ from: 'FRA', to: 'MUC' }, { from: 'MUC', to: 'JFK' }] },
    });
    expect(await page.getByTestId('case-status').textContent()).toBe('Filed');
    await context.close();
  });
});

describe('The claim form with the keyboard alone', () => {
  it('reaches every field and button in order with Tab, picks a choice with the arrow keys and previews with Enter', async () => {
    const context = await stack.browser.context();
    const page = await context.newPage();
    await page.goto(stack.baseUrl);
    // Every visible control of the form, in page order.
    const controls = await page.locator('form.claim-form').evaluate((form) =>
      [...form.querySelectorAll<HTMLElement>('input:not([type=hidden]), select, textarea, button')]
        .filter((el) => el.offsetParent !== null && !(el as HTMLInputElement).disabled)
        // A radio group is one tab stop: its checked radio, or its first when none is checked.
        .filter((el) => {
          if (!(el instanceof HTMLInputElement) || el.type !== 'radio') return true;
          const group = form.querySelectorAll<HTMLInputElement>(`input[name="${el.name}"]`);
          const checked = [...group].find((r) => r.checked);
          return checked ? checked === el : group[0] === el;
        })
        .map((el) => el.id || `${el.getAttribute('name')}=${(el as HTMLInputElement).value}`),
    );
    const reached: string[] = [];
    for (let i = 0; i < 200 && reached.length < controls.length; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        if (!el || !el.closest('form.claim-form')) return null;
        return el.id || `${el.getAttribute('name')}=${el.value}`;
      });
      if (id && !reached.includes(id)) reached.push(id);
    }
    expect(reached).toEqual(controls);

    // Radio groups work with the arrow keys; the preview button with Enter.
    await fillFlightDelay(page);
    await page.getByLabel('It arrived late').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('It was cancelled').isChecked()).toBe(true);
    await page.keyboard.press('ArrowUp');
    expect(await page.getByLabel('It arrived late').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Preview the decision' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('preview').waitFor({ timeout: 60_000 });
    await context.close();
  });
});
