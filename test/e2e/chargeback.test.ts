import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfFile } from '../support/evidence-files.js';
import { screenshot } from './support/browser.js';
import { startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
}, 600_000);
afterAll(async () => stack?.close());

describe('A cardholder whose order never arrived', () => {
  it('files a chargeback picked from plain descriptions, never codes', async () => {
    const context = await stack.browser.context();
    const page = await context.newPage();
    await page.goto(stack.baseUrl);
    await page.getByRole('link', { name: 'A card payment' }).click();
    await page.getByRole('radio', { name: 'I paid, but never received what I ordered' }).waitFor({ timeout: 60_000 });
    // The reasons are sentences; no network code is shown anywhere on the form.
    const form = (await page.locator('form.claim-form').textContent()) ?? '';
    for (const code of ['10.4', '13.1', '4853', '4837']) expect(form).not.toContain(code);

    await page.getByRole('radio', { name: 'Visa' }).check();
    await page.getByRole('radio', { name: 'I paid, but never received what I ordered' }).check();
    await page.getByLabel('Shop or company you paid').fill('Example Shop GmbH');
    await page.getByLabel('Amount in dispute').fill('129.99');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByLabel('Date of the payment').fill('2026-01-10');
    await page.getByLabel('Date you disputed it with your bank').fill('2026-02-02');
    await page.getByLabel('When should it have arrived?').fill('2026-01-15');
    await page.getByRole('radio', { name: 'No, nothing arrived' }).check();
    await page.getByLabel('Your full name').fill('C. Holder');
    await page.getByLabel('Your email address').fill('c.holder@example.org');
    await page.getByLabel('Tickets, receipts, emails (optional)').setInputFiles([
      { name: 'order-confirmation.pdf', mimeType: 'application/pdf', buffer: pdfFile() },
    ]);

    await page.getByRole('button', { name: 'Preview the decision' }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor({ timeout: 60_000 });
    expect(await preview.textContent()).toContain('Looks eligible: €129.99 under Visa');
    await screenshot(page, 'portal-chargeback-preview-desktop');

    await page.getByRole('button', { name: 'File my claim' }).click();
    await page.waitForURL(/\/case\/cs_/, { timeout: 60_000 });
    const id = /\/case\/(cs_[0-9a-f]+)/.exec(page.url())![1];
    expect(stack.test.services.cases.read(id)!.record).toMatchObject({
      kind: 'chargeback',
      jurisdiction: 'VISA',
      respondent: { name: 'Example Shop GmbH' },
      chargeback: {
        reasonCode: '13.1',
        amount: { amount: 129.99, currency: 'EUR' },
        transactionDate: '2026-01-10',
        disputeDate: '2026-02-02',
        expectedDeliveryDate: '2026-01-15',
        delivery: { proof: 'none' },
        channel: 'ecommerce',
        refundIssued: false,
      },
    });
    expect(await page.locator('.facts').first().textContent()).toContain('€129.99');
    // The evidence went with the filing, attached to the case by the evidence service.
    const evidence = stack.test.services.evidence.list(id, { kind: 'admin' });
    expect(evidence).toMatchObject([{ filename: 'order-confirmation.pdf', contentType: 'application/pdf' }]);
    expect(await page.locator('.evidence').textContent()).toContain('order-confirmation.pdf');
    await screenshot(page, 'case-chargeback-desktop');
    await context.close();
  });

  it('maps the same sentence to the Mastercard code when paid by Mastercard', async () => {
    const context = await stack.browser.context({ javaScript: false });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/?kind=chargeback`);
    await page.getByRole('radio', { name: 'Mastercard' }).check();
    await page.getByRole('radio', { name: 'I did not make or allow this payment' }).check();
    await page.getByLabel('Shop or company you paid').fill('Example Shop GmbH');
    await page.getByLabel('Amount in dispute').fill('49.00');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByLabel('Date of the payment').fill('2026-01-10');
    await page.getByLabel('Date you disputed it with your bank').fill('2026-02-02');
    await page.getByRole('radio', { name: 'It was digital, and I had access' }).check();
    await page.getByLabel('Your full name').fill('C. Holder');
    await page.getByLabel('Your email address').fill('c.holder@example.org');
    await page.getByRole('button', { name: 'File my claim' }).click();
    await page.waitForURL(/\/case\/cs_/, { timeout: 60_000 });
    const id = /\/case\/(cs_[0-9a-f]+)/.exec(page.url())![1];
    expect(stack.test.services.cases.read(id)!.record).toMatchObject({ jurisdiction: 'MASTERCARD', chargeback: { reasonCode: '4837', threeDSecure: 'none' } });
    await context.close();
  });
});
