// The merchant dashboard's integration pages in a real browser: webhook endpoints with the
// delivery log and replay (the delivery worker runs in the stack and sends to a real HTTP
// receiver on loopback), and API keys, driven without JavaScript.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { verifySignature } from '../../server/webhooks/signature.js';
import { validRecords } from '../support/case-fixtures.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { screenshot } from './support/browser.js';
import { eventually, startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
const receivers: Receiver[] = [];
beforeAll(async () => {
  stack = await startWebStack({ webhooks: true });
}, 600_000);
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => stack?.close());

async function signIn(page: Page, apiKey: string, name: string) {
  await page.goto(`${stack.baseUrl}/merchant`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Cases against ${name}` }).waitFor({ timeout: 60_000 });
}

/** Reloads the page until `read` gives what `check` wants (the worker delivers in the background). */
async function reloadUntil(page: Page, read: () => Promise<string[]>, check: (v: string[]) => boolean): Promise<string[]> {
  return eventually(
    async () => {
      await page.reload();
      return read();
    },
    check,
    90_000,
  );
}

describe('A merchant', () => {
  it('responds to a case, sees a webhook delivery and replays it', async () => {
    const rx = await startReceiver('up');
    receivers.push(rx);
    const { apiKey, merchant } = stack.test.services.merchants.create({ name: 'Hook Shop GmbH' });
    const context = await stack.browser.context();
    const page = await context.newPage();
    await signIn(page, apiKey, 'Hook Shop GmbH');

    // Add an endpoint for evidence events: its signing secret is shown once.
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Add an endpoint' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Endpoint URL').fill(rx.url);
    await page.getByLabel('All events').uncheck();
    await page.getByLabel('case.evidence_added').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByTestId('once-secret').waitFor({ timeout: 60_000 });
    const secret = (await page.getByTestId('once-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    expect(stack.test.services.webhooks.endpoints.list(merchant.id)).toMatchObject([{ url: rx.url, events: ['case.evidence_added'], status: 'enabled' }]);
    await screenshot(page, 'merchant-webhooks-desktop');
    // Reloading does not show the secret again.
    await page.goto(`${stack.baseUrl}/merchant/webhooks`);
    expect(await page.getByTestId('once-secret').count()).toBe(0);

    // A case against the merchant; the merchant responds with evidence.
    const filed = stack.test.services.cases.file({ ...validRecords.visaFraud, respondent: { merchantId: merchant.id } }, { kind: 'anonymous' });
    await page.goto(`${stack.baseUrl}/merchant/case/${filed.id}`);
    await page.getByRole('heading', { name: 'Your response' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Evidence files').setInputFiles([{ name: 'refund.txt', mimeType: 'text/plain', buffer: Buffer.from('Refunded in full on 2026-11-02.\n') }]);
    await page.getByRole('button', { name: 'Send evidence' }).click();
    await page.locator('#f-response-result:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await page.locator('#f-response-result').textContent()).toBe('1 attached, 0 not accepted.');

    // The receiver gets the signed case.evidence_added event.
    const first = await eventually(() => rx.received.slice(), (r) => r.length >= 1, 90_000);
    expect(first).toHaveLength(1);
    const event = JSON.parse(first[0].body) as { id: string; type: string; data: { object: { caseId: string } } };
    expect(event).toMatchObject({ type: 'case.evidence_added', data: { object: { caseId: filed.id } } });
    expect(verifySignature(first[0].body, first[0].headers['arbiter-signature'] as string, secret)).toBe(true);

    // The delivery log shows it delivered, with the attempt's status code and latency.
    await page.goto(`${stack.baseUrl}/merchant/webhooks`);
    await page.getByRole('link', { name: `Delivery log of ${rx.url}` }).click();
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor({ timeout: 60_000 });
    const statuses = () => page.getByTestId('delivery-status').allTextContents();
    expect(await reloadUntil(page, statuses, (s) => s.join() === 'Delivered')).toEqual(['Delivered']);
    const row = page.locator(`[data-testid="delivery-row"][data-event-id="${event.id}"]`);
    expect(await row.locator('code').first().textContent()).toBe('case.evidence_added');
    const attempts = await row.getByTestId('attempt-log').locator('li').allTextContents();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatch(/HTTP 200 · \d+ ms$/);
    await screenshot(page, 'merchant-deliveries-desktop');

    // Replay: the receiver gets the same event again, and the log shows a second attempt.
    await row.getByRole('button', { name: `Replay case.evidence_added (${event.id})` }).click();
    await page.getByText(`Event ${event.id} is being sent again.`).waitFor({ timeout: 60_000 });
    const again = await eventually(() => rx.received.slice(), (r) => r.length >= 2, 90_000);
    expect(again).toHaveLength(2);
    expect(JSON.parse(again[1].body).id).toBe(event.id);
    expect(verifySignature(again[1].body, again[1].headers['arbiter-signature'] as string, secret)).toBe(true);
    const logged = await reloadUntil(page, () => row.getByTestId('attempt-log').locator('li').allTextContents(), (a) => a.length === 2);
    expect(logged).toHaveLength(2);
    expect(logged.every((a) => /HTTP 200 · \d+ ms$/.test(a))).toBe(true);
    expect(await statuses()).toEqual(['Delivered']);

    // Rotating the signing secret with an hour's grace: the next send verifies with both secrets.
    await page.getByLabel('Old secret keeps signing').selectOption('3600');
    await page.getByRole('button', { name: 'Rotate signing secret' }).click();
    await page.getByTestId('once-secret').waitFor({ timeout: 60_000 });
    const newSecret = (await page.getByTestId('once-secret').textContent())!.trim();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await page.goto(page.url());
    expect(await page.getByTestId('once-secret').count()).toBe(0);
    expect(await page.getByText(/^The previous secret still signs beside the current one until /).count()).toBe(1);
    await page.locator(`[data-testid="delivery-row"][data-event-id="${event.id}"]`).getByRole('button', { name: /^Replay / }).click();
    await page.getByText(`Event ${event.id} is being sent again.`).waitFor({ timeout: 60_000 });
    const third = await eventually(() => rx.received.slice(), (r) => r.length >= 3, 90_000);
    expect(third).toHaveLength(3);
    const signature = third[2].headers['arbiter-signature'] as string;
    expect(verifySignature(third[2].body, signature, newSecret)).toBe(true);
    expect(verifySignature(third[2].body, signature, secret)).toBe(true);
    await screenshot(page, 'merchant-deliveries-rotated-desktop');
    await context.close();
  });

  it('adds, disables and deletes a webhook endpoint without JavaScript, and cannot touch another merchant’s endpoint, delivery log or events', async () => {
    const { apiKey, merchant } = stack.test.services.merchants.create({ name: 'Plain Forms Ltd' });
    const other = stack.test.services.merchants.create({ name: 'Other Shop' });
    const theirs = stack.test.services.webhooks.endpoints.create(other.merchant.id, { url: 'https://other.example/hooks', events: ['*'] });
    const context = await stack.browser.context({ javaScript: false });
    const page = await context.newPage();
    await signIn(page, apiKey, 'Plain Forms Ltd');
    await page.goto(`${stack.baseUrl}/merchant/webhooks`);

    // A missing URL is reported at its field.
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#f-webhook-url-error').textContent()).toBe('Enter an http(s) address that Arbiter may send to.');
    expect(await page.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');

    // So is a URL Arbiter does not send to, checked by the service.
    await page.getByLabel('Endpoint URL').fill('ftp://plain.example/hooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#f-webhook-url-error').textContent()).toBe('Enter an http(s) address that Arbiter may send to.');
    expect(await page.getByLabel('Endpoint URL').inputValue()).toBe('ftp://plain.example/hooks');
    expect(stack.test.services.webhooks.endpoints.list(merchant.id)).toEqual([]);

    await page.getByLabel('Endpoint URL').fill('https://plain.example/hooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByTestId('once-secret').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('once-secret').textContent())!.trim()).toMatch(/^whsec_/);
    const [mine] = stack.test.services.webhooks.endpoints.list(merchant.id);
    expect(mine).toMatchObject({ url: 'https://plain.example/hooks', events: ['*'], status: 'enabled' });

    await page.getByRole('button', { name: 'Disable https://plain.example/hooks' }).click();
    await page.getByRole('button', { name: 'Enable https://plain.example/hooks' }).waitFor({ timeout: 60_000 });
    expect(stack.test.services.webhooks.endpoints.get(merchant.id, mine.id).status).toBe('disabled');
    await page.getByRole('button', { name: 'Enable https://plain.example/hooks' }).click();
    await page.getByRole('button', { name: 'Disable https://plain.example/hooks' }).waitFor({ timeout: 60_000 });
    expect(stack.test.services.webhooks.endpoints.get(merchant.id, mine.id).status).toBe('enabled');

    // Forged forms naming another merchant's endpoint change nothing.
    for (const intent of ['disable', 'delete']) {
      const res = await context.request.post(`${stack.baseUrl}/merchant/webhooks`, { form: { intent, endpointId: theirs.id }, maxRedirects: 0 });
      expect(res.status()).toBe(404);
    }
    expect(stack.test.services.webhooks.endpoints.get(other.merchant.id, theirs.id).status).toBe('enabled');
    const foreign = await page.goto(`${stack.baseUrl}/merchant/webhooks/${theirs.id}`);
    expect(foreign?.status()).toBe(404);
    // Nor does replaying another merchant's event to one's own endpoint send it anywhere.
    stack.test.services.cases.file({ ...validRecords.visaFraud, respondent: { merchantId: other.merchant.id } }, { kind: 'anonymous' });
    const theirLog = await eventually(() => stack.test.services.webhooks.deliveries.log(other.merchant.id, theirs.id, {}).data, (d) => d.length > 0, 90_000);
    const theirEvent = theirLog[0].eventId;
    const replay = await context.request.post(`${stack.baseUrl}/merchant/webhooks/${mine.id}`, { form: { eventId: theirEvent }, maxRedirects: 0 });
    expect(replay.status()).toBe(404);
    expect(stack.test.services.webhooks.deliveries.log(merchant.id, mine.id, {}).data).toEqual([]);
    // Nor rotate another merchant's signing secret (which would show the new secret).
    const rotateTheirs = await context.request.post(`${stack.baseUrl}/merchant/webhooks/${theirs.id}`, { form: { intent: 'rotate-secret', grace: '0' }, maxRedirects: 0 });
    expect(rotateTheirs.status()).toBe(404);
    expect(await rotateTheirs.text()).not.toContain('whsec_');

    await page.goto(`${stack.baseUrl}/merchant/webhooks`);
    await page.getByRole('button', { name: 'Delete https://plain.example/hooks' }).click();
    await page.getByText('No endpoints yet.').waitFor({ timeout: 60_000 });
    expect(stack.test.services.webhooks.endpoints.list(merchant.id)).toEqual([]);
    await context.close();
  });

  it('creates, rotates (with a grace period) and revokes API keys without JavaScript', async () => {
    const { apiKey, merchant } = stack.test.services.merchants.create({ name: 'Key Keeper AG' });
    const context = await stack.browser.context({ javaScript: false });
    const page = await context.newPage();
    await signIn(page, apiKey, 'Key Keeper AG');
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'Your keys' }).waitFor({ timeout: 60_000 });
    const prefixes = () => page.getByTestId('api-key-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-prefix')));
    expect(await prefixes()).toEqual([apiKey.slice(0, 9)]);
    // Only the prefix is on the page, never the key.
    expect(await page.content()).not.toContain(apiKey);

    // The only live key cannot be revoked.
    await page.getByRole('button', { name: `Revoke key ${apiKey.slice(0, 9)}` }).click();
    await page.getByRole('alert').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').textContent()).toContain('This is your only live key');

    // Create: the new key is shown once and opens the account.
    await page.getByRole('button', { name: 'Create a new key' }).click();
    await page.getByTestId('once-secret').waitFor({ timeout: 60_000 });
    const created = (await page.getByTestId('once-secret').textContent())!.trim();
    expect(created).toMatch(/^mk_/);
    const me = await stack.test.app.inject({ method: 'GET', url: '/v1/merchants/me', headers: { authorization: `Bearer ${created}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: merchant.id });
    await page.goto(`${stack.baseUrl}/merchant/keys`);
    expect(await page.getByTestId('once-secret').count()).toBe(0);
    expect((await prefixes()).sort()).toEqual([apiKey.slice(0, 9), created.slice(0, 9)].sort());
    await screenshot(page, 'merchant-keys-desktop');

    // Rotate the key this session uses, keeping the old one for an hour: the session moves to the
    // new key, and the old one still works until the grace ends.
    const row = page.locator(`[data-testid="api-key-row"][data-prefix="${apiKey.slice(0, 9)}"]`);
    await row.getByLabel('Old key keeps working').selectOption('3600');
    await row.getByRole('button', { name: `Rotate key ${apiKey.slice(0, 9)}` }).click();
    await page.getByTestId('once-secret').waitFor({ timeout: 60_000 });
    const rotated = (await page.getByTestId('once-secret').textContent())!.trim();
    expect(rotated).toMatch(/^mk_/);
    const keys = stack.test.services.merchants.listKeys(merchant.id).data;
    const old = keys.find((k) => k.prefix === apiKey.slice(0, 9))!;
    expect(old.revokedAt).toBeNull();
    const graceMs = Date.parse(old.expiresAt!) - Date.now();
    expect(graceMs).toBeGreaterThan(3500_000);
    expect(graceMs).toBeLessThanOrEqual(3600_000);
    const cookie = (await context.cookies()).find((c) => c.name === 'arbiter_merchant')!;
    expect(decodeURIComponent(cookie.value)).toBe(rotated);
    await page.goto(`${stack.baseUrl}/merchant/keys`);
    expect(await row.getByText(/^Works until /).count()).toBe(1);

    // A forged form naming another merchant's key revokes nothing.
    const other = stack.test.services.merchants.create({ name: 'Bystander GmbH' });
    const [theirKey] = stack.test.services.merchants.listKeys(other.merchant.id).data;
    const forged = await context.request.post(`${stack.baseUrl}/merchant/keys`, { form: { intent: 'revoke', keyId: theirKey.id }, maxRedirects: 0 });
    expect(forged.status()).toBe(404);
    expect(stack.test.services.merchants.listKeys(other.merchant.id).data[0].revokedAt).toBeNull();

    // Revoke the key created above: it no longer opens the account.
    await page.getByRole('button', { name: `Revoke key ${created.slice(0, 9)}` }).click();
    await page.getByRole('heading', { name: 'Your keys' }).waitFor({ timeout: 60_000 });
    const revoked = stack.test.services.merchants.listKeys(merchant.id).data.find((k) => k.prefix === created.slice(0, 9))!;
    expect(revoked.revokedAt).not.toBeNull();
    const signInWithRevoked = await stack.browser.context({ javaScript: false });
    const check = await signInWithRevoked.newPage();
    await check.goto(`${stack.baseUrl}/merchant`);
    await check.getByLabel('API key').fill(created);
    await check.getByRole('button', { name: 'Sign in' }).click();
    await check.getByText('This key does not open a merchant account.').waitFor({ timeout: 60_000 });
    await signInWithRevoked.close();
    await context.close();
  });

  it('sees the keys and webhooks pages in German', async () => {
    const { apiKey } = stack.test.services.merchants.create({ name: 'Deutsche Händler GmbH' });
    const context = await stack.browser.context({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/merchant`);
    await page.getByLabel('API-Schlüssel').fill(apiKey);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('link', { name: 'API-Schlüssel' }).waitFor({ timeout: 60_000 });
    await page.goto(`${stack.baseUrl}/merchant/keys`);
    await page.getByRole('heading', { name: 'Ihre Schlüssel' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: `Schlüssel ${apiKey.slice(0, 9)} rotieren` }).count()).toBe(1);
    await page.goto(`${stack.baseUrl}/merchant/webhooks`);
    await page.getByRole('heading', { name: 'Endpunkt hinzufügen' }).waitFor({ timeout: 60_000 });
    expect(await page.getByText('Noch keine Endpunkte.').count()).toBe(1);
    await screenshot(page, 'merchant-webhooks-german');
    await context.close();
  });
});
