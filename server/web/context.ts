// What the web app's loaders and actions get (React Router's load context): the feature services
// of server/app.ts createServices, the preview (the same decide path the committee runs), the
// reference data the forms look up and the shipped model cards. The web app reaches the system
// only through this object, never a feature's tables (CONVENTIONS.md §5).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../app.js';
import type { Config } from '../config.js';
import { hashSecret } from '../auth/tokens.js';
import type { Principal } from '../auth/principal.js';
import { decideCase, type DecideResult } from '../verdicts/decide.js';
import { validateCaseRecord, type ValidationResult } from '../cases/validate.js';
import type { ModelCard } from '../models/card.js';
import { modelDirs } from '../models/registry.js';
import { lookupAirport, searchAirports, type AirportHit } from '../reference-data/airport-search.js';
import { lookupAirline, searchAirlines, type AirlineHit } from '../reference-data/airline-search.js';
import { tokenPrefixes } from '../auth/tokens.js';
import type { Queues } from '../queues/queues.js';
import { catalogueTypes } from '../webhooks/event-types.js';
import { enqueue, WEBHOOK_QUEUE } from '../webhooks/jobs.js';
import type { TrailService } from '../pipeline/trail.js';
import type { PayoutService } from '../pipeline/payouts.js';
import type { AppealService } from '../pipeline/appeals.js';
import { accountMessage, type EscrowService } from '../merchants/escrow.js';
import type { MarketService } from '../market/service.js';

/** The pipeline's read and act services: the verdict trail, the payout address, appeals and rulings. */
export interface PipelineServices {
  trails: TrailService;
  payouts: PayoutService;
  appeals: AppealService;
}

export interface WebContext {
  services: Pick<Services, 'cases' | 'evidence' | 'merchants' | 'webhooks' | 'responses'>;
  /** The trail (GET /v1/cases/:id/trail), payout address and appeal/ruling services, as the API routes use them. */
  pipeline: PipelineServices;
  /** The merchant's escrow account (GET/PUT/POST /v1/merchants/me/escrow…), and the text its account signs to be named. */
  escrow: EscrowService & { accountMessage: typeof accountMessage };
  /** Validates a record exactly as filing does (all field errors, RFC 6901 pointers). */
  validate(input: unknown): ValidationResult;
  /** What the model would decide now: decideCase, the committee's path. Nothing is stored. */
  preview(record: unknown): Promise<DecideResult>;
  /** The claimant principal a case access token opens, or undefined when it opens nothing. */
  claimantFor(token: string): Extract<Principal, { kind: 'claimant' }> | undefined;
  /** The arbitrator principal an arbitrator token opens, or undefined. */
  arbitratorFor(token: string): Extract<Principal, { kind: 'arbitrator' }> | undefined;
  /** The merchant principal an API key opens, or undefined. */
  merchantFor(apiKey: string): Extract<Principal, { kind: 'merchant' }> | undefined;
  airports: { search(q: string, limit?: number): AirportHit[]; lookup(code: string): AirportHit | undefined };
  airlines: { search(q: string, limit?: number): AirlineHit[]; lookup(code: string): AirlineHit | undefined };
  /** The shipped models' cards (arbitration-models/<id>/card.json), by id. */
  modelCards(): ModelCard[];
  /**
   * The marketplace, as GET /v1/models and /v1/models/:id read it: every model (shipped and
   * registered) with price, royalty, status, creator and the jurisdiction's default; one with its card.
   */
  market: Pick<MarketService, 'list' | 'get'>;
  evidenceMaxBytes: number;
  /** The client address of the request being rendered (set per request by plugin.ts): a claimant's evidence quota counts by it. */
  clientAddress?: string;
  /** This request's logger (set per request by plugin.ts): entry.server.tsx's handleError logs through it. */
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** The webhook event types an endpoint may subscribe to (besides "*"). */
  webhookEventTypes: readonly string[];
  /**
   * Sends an event of the merchant again to one of its endpoints, now: the same path as
   * POST /v1/webhook-events/:id/redeliver (a new delivery generation, enqueued on the webhook queue).
   * Returns the delivery ids.
   */
  redeliver(merchantId: string, eventId: string, endpointId: string): Promise<string[]>;
}

export function createWebContext(services: Services, config: Pick<Config, 'evidenceMaxBytes'>, queues: Queues, pipeline: PipelineServices, escrow: EscrowService, market: MarketService): WebContext {
  let cards: ModelCard[] | undefined;
  return {
    services: { cases: services.cases, evidence: services.evidence, merchants: services.merchants, webhooks: services.webhooks, responses: services.responses },
    pipeline,
    escrow: { ...escrow, accountMessage },
    validate: validateCaseRecord,
    preview: (record) => decideCase(record),
    claimantFor(token) {
      if (!token.startsWith(tokenPrefixes.claimant)) return undefined;
      const caseId = services.cases.caseIdForAccessToken(token, hashSecret(token));
      return caseId ? { kind: 'claimant', caseId } : undefined;
    },
    arbitratorFor(token) {
      if (!token.startsWith(tokenPrefixes.arbitrator)) return undefined;
      const id = services.arbitrators.idByTokenHash(hashSecret(token));
      return id ? { kind: 'arbitrator', id } : undefined;
    },
    merchantFor(apiKey) {
      if (!apiKey.startsWith(tokenPrefixes.merchant)) return undefined;
      const id = services.merchants.idByKeyHash(hashSecret(apiKey));
      return id ? { kind: 'merchant', id } : undefined;
    },
    airports: { search: searchAirports, lookup: lookupAirport },
    airlines: { search: searchAirlines, lookup: lookupAirline },
    market: { list: () => market.list(), get: (idOrRef) => market.get(idOrRef) },
    modelCards: () => (cards ??= modelDirs().map((dir) => JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ModelCard)),
    evidenceMaxBytes: config.evidenceMaxBytes,
    webhookEventTypes: catalogueTypes,
    async redeliver(merchantId, eventId, endpointId) {
      const { jobs, deliveries } = services.webhooks.deliveries.redeliver(merchantId, eventId, endpointId);
      // Were Redis to fail here, the deliveries are pending in the database and the sweep sends them.
      await enqueue(queues.get(WEBHOOK_QUEUE), jobs);
      return deliveries;
    },
  };
}
