import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfFile } from '../support/evidence-files.js';
import { decideCase } from '../../server/verdicts/decide.js';
import { validRecords } from '../support/case-fixtures.js';
import { screenshot } from './support/browser.js';
import { startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
}, 600_000);
afterAll(async () => stack?.close());

describe('A merchant', () => {
  it('signs in with its API key, sees only the cases against it, filters them and responds with evidence', async () => {
    const { apiKey, merchant } = stack.test.services.merchants.create({ name: 'Example Shop GmbH' });
    const other = stack.test.services.merchants.create({ name: 'Someone Else Ltd' });
    const visa = { ...validRecords.visaFraud, respondent: { merchantId: merchant.id } };
    const mine = stack.test.services.cases.file(visa, { kind: 'anonymous' });
    const minePaid = stack.test.services.cases.file(visa, { kind: 'anonymous' });
    stack.test.services.cases.startExecution(minePaid.id);
    const theirs = stack.test.services.cases.file({ ...visa, respondent: { merchantId: other.merchant.id } }, { kind: 'anonymous' });

    const context = await stack.browser.context();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/merchant`);
    await page.getByLabel('API key').fill('mk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This key does not open a merchant account.').waitFor({ timeout: 60_000 });
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Cases against Example Shop GmbH' }).waitFor({ timeout: 60_000 });
    const links = await page.locator('table.cases a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.sort()).toEqual([`/merchant/case/${mine.id}`, `/merchant/case/${minePaid.id}`].sort());
    expect(links).not.toContain(`/merchant/case/${theirs.id}`);
    const cookie = (await context.cookies()).find((c) => c.name === 'arbiter_merchant')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await screenshot(page, 'merchant-dashboard-desktop');

    await page.getByLabel('Status').selectOption('filed');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/status=filed/, { timeout: 60_000 });
    await page.locator('table.cases a').first().waitFor();
    expect(await page.locator('table.cases a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([`/merchant/case/${mine.id}`]);

    await page.locator('table.cases a').first().click();
    await page.getByRole('heading', { name: 'Your response' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Evidence files').setInputFiles([
      { name: 'proof-of-delivery.pdf', mimeType: 'application/pdf', buffer: pdfFile() },
    ]);
    await page.getByRole('button', { name: 'Send evidence' }).click();
    await page.locator('#f-response-result:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await page.locator('#f-response-result').textContent()).toBe('1 attached, 0 not accepted.');
    expect(stack.test.services.evidence.list(mine.id, { kind: 'admin' })).toMatchObject([{ filename: 'proof-of-delivery.pdf', uploadedBy: `merchant:${merchant.id}` }]);
    await screenshot(page, 'merchant-case-desktop');

    // The case the committee decided shows its verdict, as the claimant's and the arbitrator's pages do.
    expect(await page.getByTestId('verdict').count()).toBe(0);
    expect(await page.locator('article[aria-labelledby="mverdict-title"]').textContent()).toContain('No decision yet');
    const decided = await decideCase(visa);
    if (!decided.ok) throw new Error(decided.error.message);
    stack.test.services.cases.proposeVerdict(minePaid.id, { data: { verdict: decided.verdict } });
    await page.goto(`${stack.baseUrl}/merchant/case/${minePaid.id}`);
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await page.locator('#mverdict-title').textContent()).toBe('Decision');
    for (const ground of decided.verdict.grounds) expect(await verdict.textContent()).toContain(ground);

    // Another merchant's case does not open, even by its address.
    const foreign = await page.goto(`${stack.baseUrl}/merchant/case/${theirs.id}`);
    expect(foreign?.status()).toBe(404);
    await context.close();
  });

  it('responds with facts, not just evidence: its answer, delivery proof, a refund and an earlier undisputed purchase replace the claimant’s, and the record is hashed again', async () => {
    const { apiKey, merchant } = stack.test.services.merchants.create({ name: 'Facts Shop GmbH' });
    const filed = stack.test.services.cases.file({ ...validRecords.visaFraud, respondent: { merchantId: merchant.id } }, { kind: 'anonymous' });
    const before = stack.test.services.cases.get(filed.id, { kind: 'admin' }).recordHash;
    const context = await stack.browser.context();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/merchant`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Cases against Facts Shop GmbH' }).waitFor({ timeout: 60_000 });
    await page.goto(`${stack.baseUrl}/merchant/case/${filed.id}`);
    await page.getByRole('heading', { name: 'Respond with your facts' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Your answer, in your words').fill('Signed for at the billing address on 13 January; the same device bought from us in November.');
    await page.getByLabel('Best proof of delivery you hold').selectOption('signed');
    await page.getByLabel('Delivery date').fill('2026-01-13');
    await page.getByLabel('Date of the earlier purchase').fill('2025-11-02');
    await page.getByLabel('Same IP address').check();
    await page.getByLabel('Same device').check();
    await screenshot(page, 'merchant-facts-desktop');
    await page.getByRole('button', { name: 'Send our response' }).click();
    await page.getByTestId('facts-sent').waitFor({ timeout: 60_000 });

    const record = stack.test.services.cases.get(filed.id, { kind: 'admin' });
    expect(record.record.kind === 'chargeback' && record.record.chargeback).toMatchObject({
      merchantResponse: 'Signed for at the billing address on 13 January; the same device bought from us in November.',
      delivery: { proof: 'signed', date: '2026-01-13' },
      priorUndisputedTransactions: [{ date: '2025-11-02', ipMatch: true, deviceIdMatch: true, shippingAddressMatch: false, accountMatch: false }],
      refundIssued: false,
    });
    expect(record.recordHash).not.toBe(before);
    expect(stack.test.services.responses.get(filed.id, { kind: 'merchant', id: merchant.id })).toMatchObject({ status: 'responded' });
    // Once given, the response stands: the page says so instead of offering the form again.
    await page.reload();
    expect(await page.getByTestId('facts-sent').textContent()).toMatch(/Your response was recorded on/);
    expect(await page.getByTestId('facts-form').count()).toBe(0);
    await context.close();
  });

  it('an airline responds with the cause it states for the disruption', async () => {
    const { apiKey, merchant } = stack.test.services.merchants.create({ name: 'Example Air' });
    const filed = stack.test.services.cases.file({ ...validRecords.eu261Delay, respondent: { ...validRecords.eu261Delay.respondent, merchantId: merchant.id } }, { kind: 'anonymous' });
    const context = await stack.browser.context();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/merchant`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Cases against Example Air' }).waitFor({ timeout: 60_000 });
    await page.goto(`${stack.baseUrl}/merchant/case/${filed.id}`);
    // Sent empty, the form says what is missing and records nothing.
    await page.getByRole('button', { name: 'Send our response' }).click();
    await page.locator('[data-testid="facts-status"]:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('facts-status').textContent()).toBe('Give at least one fact.');
    expect(stack.test.services.responses.get(filed.id, { kind: 'merchant', id: merchant.id }).status).toBe('awaiting');
    await page.getByLabel('The cause of the disruption, as the airline states it').fill('air traffic control restriction');
    await page.getByRole('button', { name: 'Send our response' }).click();
    await page.getByTestId('facts-sent').waitFor({ timeout: 60_000 });
    const record = stack.test.services.cases.get(filed.id, { kind: 'admin' }).record;
    expect(record.kind === 'flight' && record.flight.carrierStatedCause).toBe('air traffic control restriction');
    await context.close();
  });
});
