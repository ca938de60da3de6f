import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfFile } from '../support/evidence-files.js';
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

    // Another merchant's case does not open, even by its address.
    const foreign = await page.goto(`${stack.baseUrl}/merchant/case/${theirs.id}`);
    expect(foreign?.status()).toBe(404);
    await context.close();
  });
});
