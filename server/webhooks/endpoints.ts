// Webhook endpoints of a merchant: create (the secret is shown once), list, read, update,
// disable/enable, delete, and rotate the secret with a grace period during which deliveries carry
// both signatures. Every call is scoped to the calling merchant: another merchant's endpoint is
// "not found".
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { webhookEndpoints, type WebhookEndpointRow } from '../db/schema.js';
import { newSecret } from '../auth/tokens.js';
import { Problem } from '../errors.js';
import { catalogueTypes } from './event-types.js';
import { checkWebhookUrl } from './outbound-safety.js';
import { textProblem } from '../cases/text-checks.js';
import type { SecretBox } from './secret-box.js';
import { rowById } from './deliveries.js';

export const MAX_ENDPOINTS_PER_MERCHANT = 16;
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_GRACE_SECONDS = 24 * 3600;

export interface WebhookEndpointView {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toEndpointView(row: WebhookEndpointRow, now: Date): WebhookEndpointView {
  const graceOpen = row.previousSecretExpiresAt !== null && Date.parse(row.previousSecretExpiresAt) > now.getTime();
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    status: row.status as 'enabled' | 'disabled',
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: graceOpen ? row.previousSecretExpiresAt : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createEndpointService(deps: { db: Db; box: SecretBox; allowPrivateTargets: boolean; clock?: () => Date }) {
  const { db, box } = deps;
  const clock = deps.clock ?? (() => new Date());

  function checkUrl(url: string, pointer: string): void {
    const check = checkWebhookUrl(url, deps.allowPrivateTargets);
    if (!check.ok) throw Problem.validation([{ pointer, message: `the URL ${check.reason}` }]);
  }

  /** A description is one line of text, held to the record's rules (text-checks.ts). */
  function checkDescription(description: string | null | undefined): void {
    const problem = description ? textProblem(description, '/description') : undefined;
    if (problem) throw Problem.validation([{ pointer: '/description', message: problem }]);
  }

  function checkEvents(events: string[], pointer: string): string[] {
    const errors = events.flatMap((e, i) =>
      e === '*' || catalogueTypes.includes(e) ? [] : [{ pointer: `${pointer}/${i}`, message: `unknown event type "${e}" (see the event catalogue, or "*")` }],
    );
    if (errors.length) throw Problem.validation(errors);
    return [...new Set(events)];
  }

  function owned(merchantId: string, id: string): WebhookEndpointRow {
    const row = db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId), ne(webhookEndpoints.status, 'deleted')))
      .get();
    if (!row) throw new Problem('not_found', `No webhook endpoint ${id}`);
    return row;
  }

  const byId = rowById<WebhookEndpointRow>(db, webhookEndpoints);
  const enabledOfMerchant = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, sql.placeholder('merchantId')), eq(webhookEndpoints.status, 'enabled')))
    .prepare();
  // Opening a sealed secret is an AES-GCM decryption; the worker signs thousands of bodies a second.
  const opened = new Map<string, string>();
  function openSecret(sealed: string): string {
    let plain = opened.get(sealed);
    if (plain === undefined) {
      plain = box.open(sealed);
      if (opened.size > 10_000) opened.clear();
      opened.set(sealed, plain);
    }
    return plain;
  }

  return {
    create(merchantId: string, input: { url: string; events: string[]; description?: string }): WebhookEndpointView & { secret: string } {
      checkUrl(input.url, '/url');
      checkDescription(input.description);
      const events = checkEvents(input.events, '/events');
      const count = db
        .select({ n: sql<number>`count(*)` })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.merchantId, merchantId), ne(webhookEndpoints.status, 'deleted')))
        .get()!.n;
      if (count >= MAX_ENDPOINTS_PER_MERCHANT) {
        throw Problem.validation([{ pointer: '/url', message: `a merchant may have at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints` }]);
      }
      const secret = newSecret('whsec_');
      const now = clock().toISOString();
      const row: WebhookEndpointRow = {
        id: newId('we'),
        merchantId,
        url: input.url,
        events: JSON.stringify(events),
        description: input.description ?? null,
        status: 'enabled',
        disabledReason: null,
        secretSealed: box.seal(secret),
        previousSecretSealed: null,
        previousSecretExpiresAt: null,
        failingSince: null,
        createdAt: now,
        updatedAt: now,
      };
      db.insert(webhookEndpoints).values(row).run();
      return { ...toEndpointView(row, clock()), secret };
    },

    list(merchantId: string): WebhookEndpointView[] {
      const now = clock();
      return db
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.merchantId, merchantId), ne(webhookEndpoints.status, 'deleted')))
        .orderBy(asc(webhookEndpoints.id))
        .all()
        .map((r) => toEndpointView(r, now));
    },

    get(merchantId: string, id: string): WebhookEndpointView {
      return toEndpointView(owned(merchantId, id), clock());
    },

    /** Throws not_found unless the endpoint is the merchant's. */
    assertOwned(merchantId: string, id: string): void {
      owned(merchantId, id);
    },

    update(
      merchantId: string,
      id: string,
      input: { url?: string; events?: string[]; description?: string | null; status?: 'enabled' | 'disabled' },
    ): WebhookEndpointView {
      const row = owned(merchantId, id);
      if (input.url !== undefined) checkUrl(input.url, '/url');
      checkDescription(input.description);
      const events = input.events !== undefined ? checkEvents(input.events, '/events') : undefined;
      const set: Partial<WebhookEndpointRow> = { updatedAt: clock().toISOString() };
      if (input.url !== undefined) set.url = input.url;
      if (events) set.events = JSON.stringify(events);
      if (input.description !== undefined) set.description = input.description;
      if (input.status === 'enabled' && row.status !== 'enabled') Object.assign(set, { status: 'enabled', disabledReason: null, failingSince: null });
      if (input.status === 'disabled' && row.status !== 'disabled') Object.assign(set, { status: 'disabled', disabledReason: 'disabled by the merchant' });
      db.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, id)).run();
      return toEndpointView(owned(merchantId, id), clock());
    },

    /** Deleted endpoints receive nothing more; their delivery log stays readable by nobody. */
    remove(merchantId: string, id: string): { id: string; object: 'webhook_endpoint'; deleted: true } {
      owned(merchantId, id);
      db.update(webhookEndpoints).set({ status: 'deleted', updatedAt: clock().toISOString() }).where(eq(webhookEndpoints.id, id)).run();
      return { id, object: 'webhook_endpoint', deleted: true };
    },

    /** A new secret, shown once; the old one keeps signing (beside the new) for `graceSeconds`. */
    rotateSecret(merchantId: string, id: string, graceSeconds = DEFAULT_GRACE_SECONDS): WebhookEndpointView & { secret: string } {
      const row = owned(merchantId, id);
      const now = clock();
      const secret = newSecret('whsec_');
      db.update(webhookEndpoints)
        .set({
          secretSealed: box.seal(secret),
          previousSecretSealed: graceSeconds > 0 ? row.secretSealed : null,
          previousSecretExpiresAt: graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000).toISOString() : null,
          updatedAt: now.toISOString(),
        })
        .where(eq(webhookEndpoints.id, id))
        .run();
      return { ...toEndpointView(owned(merchantId, id), now), secret };
    },

    // ── for the delivery worker ──
    row(id: string): WebhookEndpointRow | undefined {
      return byId.get({ id });
    },
    enabledOf(merchantId: string): WebhookEndpointRow[] {
      return enabledOfMerchant.all({ merchantId });
    },
    /** The secrets that sign a delivery now: the current one, and the previous during its grace period. */
    signingSecrets(row: WebhookEndpointRow, now: Date): string[] {
      const secrets = [openSecret(row.secretSealed)];
      if (row.previousSecretSealed && row.previousSecretExpiresAt && Date.parse(row.previousSecretExpiresAt) > now.getTime()) {
        secrets.push(openSecret(row.previousSecretSealed));
      }
      return secrets;
    },
  };
}

export type EndpointService = ReturnType<typeof createEndpointService>;
