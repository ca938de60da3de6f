// Signed delivery from the outbox: real Redis (BullMQ), real SQLite, receivers on loopback.
import { afterEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { verifySignature } from '../../../server/webhooks/signature.js';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.js';
import { fastPolicy, startWorld, type World } from '../../support/webhook-world.js';
import { waitUntil } from '../../support/wait.js';
import { Wallet } from 'ethers';
import { accountMessage } from '../../../server/merchants/escrow.js';

const stripe = new Stripe('sk_test_not_a_real_key');
let world: World | undefined;
const receivers: Receiver[] = [];
async function receiver(mode: Receiver['mode'] = 'up') {
  const r = await startReceiver(mode);
  receivers.push(r);
  return r;
}
afterEach(async () => {
  await world?.close();
  world = undefined;
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

function header(r: { headers: Record<string, string | string[] | undefined> }): string {
  return r.headers['arbiter-signature'] as string;
}

describe('webhook delivery', () => {
  it('sends case.created as a signed event object that verifies with the secret, also through Stripe, and fails with another', async () => {
    world = await startWorld();
    const rx = await receiver();
    const m = await world.createMerchant();
    const endpoint = await world.createEndpoint(m.apiKey, rx.url, ['case.created']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const caseId = await world.fileCase(m.apiKey);

    const [got] = await waitUntil(() => rx.received.length > 0 && rx.received, 'the case.created delivery');
    const event = JSON.parse(got.body);
    expect(event).toMatchObject({ object: 'event', type: 'case.created', data: { object: { caseId, status: 'filed' } } });
    expect(event.id).toMatch(/^evt_/);
    expect(Number.isInteger(event.created)).toBe(true);
    expect(header(got)).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    expect(verifySignature(got.body, header(got), endpoint.secret)).toBe(true);
    expect(verifySignature(got.body, header(got), 'whsec_someone_else')).toBe(false);
    expect(verifySignature(got.body.replace('filed', 'final'), header(got), endpoint.secret)).toBe(false);
    expect(stripe.webhooks.constructEvent(got.body, header(got), endpoint.secret).id).toBe(event.id);
    expect(() => stripe.webhooks.constructEvent(got.body, header(got), 'whsec_someone_else')).toThrow(/signature/i);
  });

  it('sends merchant.escrow_account_named (a merchant event, no case) to an endpoint subscribed to it, signed like the rest', async () => {
    world = await startWorld();
    const rx = await receiver();
    const m = await world.createMerchant();
    const endpoint = await world.createEndpoint(m.apiKey, rx.url, ['merchant.escrow_account_named']);
    const wallet = Wallet.createRandom();
    const signature = await wallet.signMessage(accountMessage(m.id, wallet.address));
    const res = await world.t.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: world.as(m.apiKey), payload: { address: wallet.address, signature } });
    expect(res.statusCode, res.body).toBe(200);
    const [got] = await waitUntil(() => rx.received.length > 0 && rx.received, 'the merchant.escrow_account_named delivery');
    expect(JSON.parse(got.body)).toMatchObject({
      object: 'event',
      type: 'merchant.escrow_account_named',
      data: { object: { merchantId: m.id, account: wallet.address.toLowerCase(), previousAccount: null, actor: `merchant:${m.id}` } },
    });
    expect(verifySignature(got.body, header(got), endpoint.secret)).toBe(true);
  });

  it('delivers only the subscribed types, and any outbox type under its own name', async () => {
    world = await startWorld();
    const onlyFinal = await receiver();
    const all = await receiver();
    const m = await world.createMerchant();
    await world.createEndpoint(m.apiKey, onlyFinal.url, ['verdict.final']);
    await world.createEndpoint(m.apiKey, all.url, ['*']);
    const caseId = await world.fileCase(m.apiKey);
    world.writeEvents(caseId, m.id, 1, 'case.finalized');
    world.writeEvents(caseId, m.id, 1, 'game.resolved');
    await waitUntil(() => all.deliveredIds().length === 3, 'three events at the catch-all endpoint');
    await waitUntil(() => onlyFinal.deliveredIds().length === 1, 'verdict.final at the filtered endpoint');
    expect(all.received.map((r) => JSON.parse(r.body).type).sort()).toEqual(['case.created', 'game.resolved', 'verdict.final']);
    expect(JSON.parse(onlyFinal.received[0].body).type).toBe('verdict.final');
  });

  it('signs with both secrets during a rotation grace period, and with the new one alone after', async () => {
    world = await startWorld();
    const rx = await receiver();
    const m = await world.createMerchant();
    const endpoint = await world.createEndpoint(m.apiKey, rx.url);
    const rotated = await world.t.app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`,
      headers: world.as(m.apiKey),
      payload: { graceSeconds: 3600 },
    });
    expect(rotated.statusCode).toBe(200);
    const { secret: newSecret, previousSecretExpiresAt } = rotated.json();
    expect(newSecret).not.toBe(endpoint.secret);
    expect(previousSecretExpiresAt).not.toBeNull();
    const caseId = await world.fileCase(m.apiKey);
    const [first] = await waitUntil(() => rx.received.length === 1 && rx.received, 'the first delivery');
    expect(header(first).match(/v1=/g)).toHaveLength(2);
    for (const secret of [endpoint.secret, newSecret]) {
      expect(verifySignature(first.body, header(first), secret)).toBe(true);
      expect(stripe.webhooks.constructEvent(first.body, header(first), secret).type).toBe('case.created');
    }

    const again = await world.t.app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, headers: world.as(m.apiKey), payload: { graceSeconds: 0 } });
    const newest = again.json().secret;
    world.writeEvents(caseId, m.id, 1);
    const second = (await waitUntil(() => rx.received.length === 2 && rx.received, 'the second delivery'))[1];
    expect(header(second).match(/v1=/g)).toHaveLength(1);
    expect(verifySignature(second.body, header(second), newest)).toBe(true);
    expect(verifySignature(second.body, header(second), newSecret)).toBe(false);
  });

  it('retries a down receiver on the backoff schedule and delivers once it is up; the log shows every attempt', async () => {
    // Nominal delays 100, 200, 400, 800 ms (jitter fixed at its middle): the schedule, in milliseconds.
    world = await startWorld({ policy: fastPolicy({ baseMs: 100 }) });
    const rx = await receiver('down');
    const m = await world.createMerchant();
    const endpoint = await world.createEndpoint(m.apiKey, rx.url);
    await world.fileCase(m.apiKey);
    await waitUntil(() => rx.received.length >= 3, 'three failed attempts');
    rx.mode = 'up';
    const id = (await waitUntil(() => rx.deliveredIds()[0], 'the delivery once the receiver is up'));
    expect(rx.received.every((r) => JSON.parse(r.body).id === id)).toBe(true);
    expect(rx.received.map((r) => r.headers['arbiter-delivery-attempt'])).toEqual(rx.received.map((_, i) => String(i + 1)));

    const log = await waitUntil(async () => {
      const res = await world!.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: world!.as(m.apiKey) });
      const body = res.json();
      return body.data[0]?.status === 'succeeded' && body;
    }, 'the delivery log to show success');
    const delivery = log.data[0];
    // Attempt k+1 is due 100 + 200 + … + 100·2^(k-1) ms after the delivery was created, and never comes sooner.
    const attempts = rx.received.map((r) => r.at);
    for (let k = 1; k < attempts.length; k++) {
      expect(attempts[k] - Date.parse(delivery.createdAt)).toBeGreaterThanOrEqual(100 * (2 ** k - 1) - 5);
    }
    expect(delivery).toMatchObject({ eventId: id, eventType: 'case.created', attempts: rx.received.length, lastStatusCode: 200, nextAttemptAt: null });
    expect(delivery.attemptLog).toHaveLength(rx.received.length);
    expect(delivery.attemptLog.slice(0, -1).every((a: { statusCode: number | null; error: string }) => a.statusCode === null && a.error)).toBe(true);
    expect(delivery.attemptLog.at(-1)).toMatchObject({ statusCode: 200, error: null, responseBody: 'ok' });
  });

  it('shows the next retry in the log while a delivery is failing, and gives up after the retry window', async () => {
    // Due 1 s, 3 s and 7 s after the first attempt; the next (15 s) falls outside the 10 s window.
    world = await startWorld({ policy: fastPolicy({ baseMs: 1000, windowMs: 10_000 }) });
    const rx = await receiver(500);
    const m = await world.createMerchant();
    const endpoint = await world.createEndpoint(m.apiKey, rx.url);
    await world.fileCase(m.apiKey);
    const read = async () =>
      (await world!.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: world!.as(m.apiKey) })).json().data[0];
    const pending = await waitUntil(async () => {
      const d = await read();
      return d?.attempts >= 1 && d.status === 'pending' && d;
    }, 'a failed first attempt');
    expect(pending.nextAttemptAt).not.toBeNull();
    expect(pending.lastStatusCode).toBe(500);
    expect(pending.attemptLog[0]).toMatchObject({ statusCode: 500, error: 'HTTP 500', responseBody: 'status 500' });
    const failed = await waitUntil(async () => {
      const d = await read();
      return d?.status === 'failed' && d;
    }, 'the delivery to be given up');
    expect(failed.attempts).toBe(4);
    expect(failed.nextAttemptAt).toBeNull();
  });

  it('disables an endpoint that failed for days and tells the merchant', async () => {
    let now = Date.parse('2026-03-01T00:00:00Z');
    const clock = () => new Date(now);
    world = await startWorld({ clock, policy: fastPolicy({ baseMs: 100, windowMs: 30 * 24 * 3600_000, disableAfterMs: 3 * 24 * 3600_000 }) });
    const rx = await receiver(503);
    const m = await world.createMerchant();
    const endpoint = await world.createEndpoint(m.apiKey, rx.url);
    await world.fileCase(m.apiKey);
    await waitUntil(async () => {
      const d = (await world!.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: world!.as(m.apiKey) })).json().data[0];
      return d?.attempts >= 1;
    }, 'a first failed attempt, recorded');
    now += 3 * 24 * 3600_000 + 60_000; // three days of failures later
    const disabled = await waitUntil(async () => {
      const res = await world!.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: world!.as(m.apiKey) });
      const body = res.json<{ status: string; disabledReason: string }>();
      return body.status === 'disabled' && body;
    }, 'the endpoint to be disabled');
    expect(disabled.disabledReason).toMatch(/failed every delivery since 2026-03-01/);
    const me = await world.t.app.inject({ url: '/v1/merchants/me', headers: world.as(m.apiKey) });
    expect(me.json().notices[0]).toMatchObject({ type: 'webhook_endpoint.disabled', data: { endpointId: endpoint.id } });
    // Disabled: the pending delivery is canceled, nothing more is sent.
    const count = rx.received.length;
    const res = await waitUntil(async () => {
      const d = (await world!.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: world!.as(m.apiKey) })).json().data[0];
      return d.status === 'canceled' && d;
    }, 'the delivery to be canceled');
    expect(res.lastError).toBe('endpoint disabled');
    expect(rx.received.length).toBe(count);
  });

  it('redelivers an event on request: the same event id again, logged as a new generation', async () => {
    world = await startWorld();
    const rx = await receiver();
    const m = await world.createMerchant();
    const endpoint = await world.createEndpoint(m.apiKey, rx.url);
    await world.fileCase(m.apiKey);
    const [id] = await waitUntil(() => rx.deliveredIds().length === 1 && rx.deliveredIds(), 'the first delivery');
    const res = await world.t.app.inject({ method: 'POST', url: `/v1/webhook-events/${id}/redeliver`, headers: world.as(m.apiKey) });
    expect(res.statusCode).toBe(202);
    await waitUntil(() => rx.deliveredIds().length === 2, 'the redelivery');
    expect(rx.deliveredIds()).toEqual([id, id]);
    expect(rx.received[0].body).toBe(rx.received[1].body);
    const log = (await world.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: world.as(m.apiKey) })).json();
    await waitUntil(async () => {
      const d = (await world!.t.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: world!.as(m.apiKey) })).json().data[0];
      return d.attemptLog.length === 2 && d.status === 'succeeded';
    }, 'the log to show both generations');
    expect(log.data).toHaveLength(1);
  });

  it('delivers a burst of 1,000 events to two endpoints with none lost and each id once per endpoint', async () => {
    world = await startWorld();
    const a = await receiver();
    const b = await receiver();
    const m = await world.createMerchant();
    await world.createEndpoint(m.apiKey, a.url, ['verdict.final']);
    await world.createEndpoint(m.apiKey, b.url, ['verdict.final']);
    const caseId = await world.fileCase(m.apiKey);
    const ids = world.writeEvents(caseId, m.id, 1000);
    for (const rx of [a, b]) {
      await waitUntil(() => new Set(rx.deliveredIds()).size === 1000, 'all 1,000 events at an endpoint', 120_000);
      const got = rx.deliveredIds();
      expect(new Set(got)).toEqual(new Set(ids));
      // At-least-once: a duplicate would be legal, but every id is there exactly once after dedup.
      expect(new Set(got).size).toBe(1000);
    }
  });
});
