import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { decideCase } from '../../server/verdicts/decide.js';
import { validRecords } from '../support/case-fixtures.js';
import { screenshot } from './support/browser.js';
import { seriousViolations } from './support/axe.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { addRegisteredStandIns } from '../support/market-models.js';
import { eventually, startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
let caseToken: string;
let merchantKey: string;
let merchantCaseId: string;
let endpointId: string;
let receiver: Receiver;
let arbitratorToken: string;
beforeAll(async () => {
  // The webhook worker runs, so the delivery log has a real delivery with its attempt.
  stack = await startWebStack({ webhooks: true });
  // /models with registered models beside the shipped ones (a default, a deprecated one).
  await addRegisteredStandIns(stack.test);
  receiver = await startReceiver('up');
  // A case with a proposed verdict, so its page shows everything it can.
  const filed = stack.test.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
  const decided = await decideCase(filed.record);
  if (!decided.ok) throw new Error(decided.error.message);
  stack.test.services.cases.startExecution(filed.id);
  stack.test.services.cases.proposeVerdict(filed.id, { data: { verdict: decided.verdict } });
  caseToken = filed.accessToken!;
  arbitratorToken = stack.test.services.arbitrators.create({ name: 'A. Arbitrator' }).token;
  const { apiKey, merchant } = stack.test.services.merchants.create({ name: 'Example Shop GmbH' });
  merchantKey = apiKey;
  endpointId = stack.test.services.webhooks.endpoints.create(merchant.id, { url: receiver.url, events: ['*'], description: 'Order system' }).id;
  merchantCaseId = stack.test.services.cases.file({ ...validRecords.visaFraud, respondent: { merchantId: merchant.id } }, { kind: 'anonymous' }).id;
  const delivered = await eventually(
    () => stack.test.services.webhooks.deliveries.log(merchant.id, endpointId, {}).data.map((d) => d.status),
    (s) => s.includes('succeeded'),
    90_000,
  );
  if (!delivered.includes('succeeded')) throw new Error(`the case.created delivery did not arrive: ${delivered.join()}`);
}, 600_000);

async function signInAsMerchant(page: Page) {
  await page.goto(`${stack.baseUrl}/merchant`);
  await page.getByLabel('API key').fill(merchantKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Cases against Example Shop GmbH' }).waitFor({ timeout: 60_000 });
}
async function signInAsArbitrator(page: Page) {
  await page.goto(`${stack.baseUrl}/arbitrator`);
  await page.getByLabel('Arbitrator token').fill(arbitratorToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Waiting for your ruling' }).waitFor({ timeout: 60_000 });
}
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

const pages: { name: string; open: (page: Page, context: BrowserContext) => Promise<void> }[] = [
  { name: 'portal-flight', open: async (page) => void (await page.goto(stack.baseUrl)) },
  { name: 'portal-chargeback', open: async (page) => void (await page.goto(`${stack.baseUrl}/?kind=chargeback`)) },
  {
    name: 'portal-flight-errors',
    open: async (page) => {
      await page.goto(stack.baseUrl);
      await page.getByRole('button', { name: 'Preview the decision' }).click();
      await page.locator('[data-error-for="claimant.email"]:not(:empty)').waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'models',
    open: async (page) => {
      await page.goto(`${stack.baseUrl}/models`);
      await page.locator('[data-model="eu261-old@0.9.0"]').waitFor({ timeout: 60_000 });
    },
  },
  { name: 'open-case', open: async (page) => void (await page.goto(`${stack.baseUrl}/c`)) },
  {
    name: 'case',
    open: async (page) => {
      await page.goto(`${stack.baseUrl}/c#${caseToken}`);
      await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    },
  },
  { name: 'merchant-sign-in', open: async (page) => void (await page.goto(`${stack.baseUrl}/merchant`)) },
  { name: 'merchant-dashboard', open: signInAsMerchant },
  {
    name: 'merchant-case',
    open: async (page) => {
      await signInAsMerchant(page);
      await page.goto(`${stack.baseUrl}/merchant/case/${merchantCaseId}`);
      await page.getByRole('heading', { name: 'Your response' }).waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'merchant-keys',
    open: async (page) => {
      await signInAsMerchant(page);
      await page.goto(`${stack.baseUrl}/merchant/keys`);
      // With a freshly created key on show (the secret-once notice).
      await page.getByRole('button', { name: 'Create a new key' }).click();
      await page.getByTestId('once-secret').waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'merchant-webhooks',
    open: async (page) => {
      await signInAsMerchant(page);
      await page.goto(`${stack.baseUrl}/merchant/webhooks`);
      // With the URL error showing at its field.
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.locator('#f-webhook-url-error:not(:empty)').waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'merchant-deliveries',
    open: async (page) => {
      await signInAsMerchant(page);
      await page.goto(`${stack.baseUrl}/merchant/webhooks/${endpointId}`);
      await page.getByTestId('attempt-log').first().waitFor({ timeout: 60_000 });
    },
  },
  { name: 'arbitrator-sign-in', open: async (page) => void (await page.goto(`${stack.baseUrl}/arbitrator`)) },
  { name: 'arbitrator-queue', open: signInAsArbitrator },
  {
    name: 'merchant-case-facts-errors',
    open: async (page) => {
      await signInAsMerchant(page);
      await page.goto(`${stack.baseUrl}/merchant/case/${merchantCaseId}`);
      // The facts form sent empty: its message shows, nothing is recorded.
      await page.getByRole('button', { name: 'Send our response' }).click();
      await page.locator('[data-testid="facts-status"]:not(:empty)').waitFor({ timeout: 60_000 });
    },
  },
];

describe.each([
  { width: 1280, height: 900, device: 'desktop' },
  { width: 375, height: 740, device: 'phone' },
])('Every main page at $device width ($width px)', ({ width, height, device }) => {
  it.each(pages.map((p) => [p.name, p] as const))('%s has no serious or critical axe violation and no sideways scrolling', async (name, p) => {
    const context = await stack.browser.context({ width, height });
    const page = await context.newPage();
    await p.open(page, context);
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing wider than the screen: a phone never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await screenshot(page, `${name}-${device}`);
    await context.close();
  });
});
