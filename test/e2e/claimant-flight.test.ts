import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCase } from '../../server/verdicts/decide.js';
import { validRecords } from '../support/case-fixtures.js';
import { pngFile } from '../support/evidence-files.js';
import { screenshot } from './support/browser.js';
import { fillFlightDelay } from './support/claim-form.js';
import { eventually, startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
}, 600_000);
afterAll(async () => stack?.close());

describe('A claimant with a delayed flight', () => {
  it('previews and files a flight case, reaches the case page, and sees the verdict once proposed', async () => {
    const context = await stack.browser.context();
    const page = await context.newPage();
    await page.goto(stack.baseUrl);
    await page.getByRole('heading', { name: 'Get what the rules say you are owed' }).waitFor();

    // The airport field suggests airports as the claimant types, and the time fields show the
    // zone resolved from the chosen airport.
    const from = page.getByLabel('From', { exact: true });
    await from.pressSequentially('Frankfu', { delay: 20 });
    const option = page.locator('datalist option[value^="FRA — Frankfurt Airport"]');
    await option.waitFor({ state: 'attached', timeout: 30_000 });
    await from.fill((await option.getAttribute('value'))!);
    await fillFlightDelay(page);
    const zone = page.locator('[data-zone-for="flight.scheduledDeparture"]');
    expect(await eventually(() => zone.textContent(), (t) => t?.includes('Europe/Berlin') ?? false)).toContain('Europe/Berlin · UTC+01:00');
    expect(await page.locator('[data-zone-for="flight.scheduledArrival"]').textContent()).toContain('America/New York · UTC-05:00');

    await page.getByRole('button', { name: 'Preview the decision' }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor({ timeout: 60_000 });
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('Preview — not a decision');
    expect(text).toContain('Looks eligible: €600.00 under EU261');
    expect(text).toContain('Nothing has been filed yet');
    await screenshot(page, 'portal-flight-preview-desktop');
    expect(stack.test.services.cases.list({ limit: 10 }, { kind: 'admin' }).data).toHaveLength(0);

    await page.getByRole('button', { name: 'File my claim' }).click();
    await page.waitForURL(/\/case\/cs_[0-9a-f]+/, { timeout: 60_000 });
    const caseId = /\/case\/(cs_[0-9a-f]+)/.exec(page.url())![1];
    expect(await page.getByTestId('case-status').textContent()).toBe('Filed');
    expect(await page.getByRole('status').first().textContent()).toContain('Your claim is filed.');
    const stored = stack.test.services.cases.read(caseId)!;
    expect(stored.record).toMatchObject({
      kind: 'flight',
      jurisdiction: 'EU261',
      respondent: { name: 'Lufthansa' },
      flight: {
        itinerary: [{ from: 'FRA', to: 'JFK' }],
        scheduledDeparture: '2026-03-01T10:00:00+01:00',
        scheduledArrival: '2026-03-01T12:45:00-05:00',
        actualArrival: '2026-03-01T17:10:00-05:00',
      },
    });
    expect(await page.getByTestId('verdict').count()).toBe(0);
    await screenshot(page, 'case-filed-desktop');

    // The pipeline proposes the verdict the committee computed; the open page shows it by itself.
    const decided = await decideCase(stored.record);
    if (!decided.ok) throw new Error(decided.error.message);
    stack.test.services.cases.startExecution(caseId);
    stack.test.services.cases.proposeVerdict(caseId, { data: { verdict: decided.verdict } });
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.textContent()).toContain('You are owed €600.00');
    expect(await verdict.textContent()).toContain('EU261.art7.1c');
    expect(await page.getByTestId('case-status').textContent()).toBe('Decision proposed');
    // The bond and deadline come from the chain (the appeal service); with no chain here, the page
    // says they are not published yet rather than inventing them (arbitrator.test.ts shows them).
    expect(await page.locator('#appeal-title + p').textContent()).toContain('The appeal deadline and bond will be shown here before anything is paid');
    await screenshot(page, 'case-proposed-desktop');
    await context.close();
  });

  it('opens the case again from the private link in another browser, and the token never reaches the server logs', async () => {
    const filed = stack.test.services.cases.file(
      {
        kind: 'flight',
        jurisdiction: 'EU261',
        claimant: { name: 'B. Traveller', email: 'b@example.org' },
        respondent: { name: 'Air France' },
        flight: {
          operatingCarrier: 'AF',
          flightNumbers: ['AF1234'],
          itinerary: [{ from: 'CDG', to: 'LPA' }],
          disruption: 'cancellation',
          scheduledDeparture: '2026-04-10T07:30:00+02:00',
          scheduledArrival: '2026-04-10T10:00:00+01:00',
          actualArrival: '2026-04-10T15:05:00+01:00',
          cancellationNoticeDays: 3,
        },
      },
      { kind: 'anonymous' },
    );
    const context = await stack.browser.context();
    const page = await context.newPage();
    // Without the link, the case does not open.
    const locked = await page.goto(`${stack.baseUrl}/case/${filed.id}`);
    expect(locked?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This case is private');

    await page.goto(`${stack.baseUrl}/c#${filed.accessToken}`);
    await page.waitForURL(`${stack.baseUrl}/case/${filed.id}`, { timeout: 60_000 });
    expect(await page.getByTestId('case-status').textContent()).toBe('Filed');
    expect(await page.getByTestId('private-link').textContent()).toBe(`${stack.baseUrl}/c#${filed.accessToken}`);
    const secret = filed.accessToken!.split('.')[1];
    expect(stack.logs.length).toBeGreaterThan(0);
    expect(stack.logs.filter((line) => line.includes(secret))).toEqual([]);
    // The cookie that opens the case is HttpOnly and scoped to that case's path.
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name === `arbiter_case_${filed.id}`)!;
    expect(cookie).toMatchObject({ httpOnly: true, path: '/case/', sameSite: 'Lax' });
    await context.close();
  });

  it('cannot open someone else’s case with its own link', async () => {
    const record = validRecords.eu261Delay;
    const mine = stack.test.services.cases.file(record, { kind: 'anonymous' });
    const theirs = stack.test.services.cases.file(record, { kind: 'anonymous' });
    const context = await stack.browser.context();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/c#${mine.accessToken}`);
    await page.waitForURL(`${stack.baseUrl}/case/${mine.id}`, { timeout: 60_000 });
    const response = await page.goto(`${stack.baseUrl}/case/${theirs.id}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This case is private');
    await context.close();
  });

  it('opens the case from a pasted link, adds evidence and then withdraws it, all without JavaScript', async () => {
    const filed = stack.test.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    // Without JavaScript the fragment cannot be read: the claimant pastes the link instead.
    const context = await stack.browser.context({ javaScript: false });
    const nojs = await context.newPage();
    await nojs.goto(`${stack.baseUrl}/c`);
    await nojs.getByLabel('Your private link or access code').fill(`${stack.baseUrl}/c#${filed.accessToken}`);
    await nojs.getByRole('button', { name: 'Open my case' }).click();
    await nojs.waitForURL(`${stack.baseUrl}/case/${filed.id}`, { timeout: 60_000 });
    await nojs.getByLabel('Tickets, receipts, emails (optional)').setInputFiles([
      { name: 'boarding-pass.png', mimeType: 'image/png', buffer: pngFile() },
      { name: 'virus.exe', mimeType: 'application/pdf', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]) },
    ]);
    await nojs.getByRole('button', { name: 'Attach files' }).click();
    await nojs.locator('#f-more-evidence-result:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await nojs.locator('#f-more-evidence-result').textContent()).toBe('1 attached, 1 not accepted.');
    expect(stack.test.services.evidence.list(filed.id, { kind: 'admin' }).map((e) => e.filename)).toEqual(['boarding-pass.png']);

    await nojs.getByText('Withdraw my claim', { exact: true }).first().click();
    await nojs.getByLabel('Why (optional)').fill('The airline paid me directly.');
    await nojs.getByRole('button', { name: 'Withdraw my claim' }).click();
    await nojs.getByTestId('case-status').filter({ hasText: 'Withdrawn' }).waitFor({ timeout: 60_000 });
    expect(stack.test.services.cases.read(filed.id)!.status).toBe('withdrawn');
    expect(stack.test.services.cases.timeline(filed.id, { kind: 'admin' }).at(-1)).toMatchObject({ type: 'withdrawn', data: { reason: 'The airline paid me directly.' } });
    await context.close();
  });
});
