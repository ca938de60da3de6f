// Every table of Arbiter, grouped under a header naming the feature that owns it. Only that
// feature's service reads or writes its tables; `drizzle-kit generate` turns this file into
// migrations/. Columns are snake_case in SQL, camelCase in TypeScript. Times are ISO 8601 UTC text.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// ─── merchants (server/merchants) ────────────────────────────────────────────────────────────
export const merchants = sqliteTable('merchants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** sha256 hex of the API key; the key itself is shown once, at creation. */
  apiKeyHash: text('api_key_hash').notNull().unique(),
  webhookUrl: text('webhook_url'),
  /**
   * The merchant's escrow account on chain (ArbiterEscrow.balanceOf): the address its cases name
   * as respondent, whose free balance reserves each case's largest award. Set by the merchant
   * with a signature from that address (server/merchants/escrow.ts); null: none.
   */
  walletAddress: text('wallet_address'),
  createdAt: text('created_at').notNull(),
});

// ─── arbitrators (server/arbitrators) ────────────────────────────────────────────────────────
export const arbitrators = sqliteTable('arbitrators', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** sha256 hex of the bearer token; the token itself is shown once, at creation. */
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: text('created_at').notNull(),
});

// ─── cases (server/cases) ────────────────────────────────────────────────────────────────────
export const cases = sqliteTable(
  'cases',
  {
    /** Time-ordered id (`cs_…`), so cursor pagination can order by id alone. */
    id: text('id').primaryKey(),
    status: text('status').notNull(),
    /** Implied by the jurisdiction; the kind filter is a jurisdiction IN (…) on that index. */
    kind: text('kind').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    ref: text('ref'),
    /** The validated case record as filed (CASES.md), as its RFC 8785 canonical JSON text. */
    record: text('record').notNull(),
    /** keccak256 of the canonical hashed document (see server/cases/record-hash.ts). */
    recordHash: text('record_hash').notNull(),
    merchantId: text('merchant_id').references(() => merchants.id),
    /**
     * sha256 hex of the claimant's per-case access token. The token names its case
     * (`ct_<id>.<secret>`), so it is found by primary key and needs no index of its own.
     */
    accessTokenHash: text('access_token_hash').notNull(),
    /** Who filed: `anonymous` (portal), `merchant:<id>`, `admin`. */
    filedBy: text('filed_by').notNull(),
    /** Bumped by every transition; lets later readers detect concurrent moves. */
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('cases_status_idx').on(t.status, t.id),
    index('cases_jurisdiction_idx').on(t.jurisdiction, t.id),
    index('cases_merchant_idx').on(t.merchantId, t.id),
    // Filed cases against a merchant: what the response scheduler opens a response window for.
    index('cases_filed_merchant_idx')
      .on(t.id)
      .where(sql`${t.status} = 'filed' and ${t.merchantId} is not null`),
  ],
);

/** The case timeline: one row per state change or notable fact, append-only. */
export const caseEvents = sqliteTable(
  'case_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    /** Event-specific JSON (e.g. the proposed verdict); `{}` when there is nothing to add. */
    data: text('data').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.id)],
);

// ─── evidence (server/evidence) ──────────────────────────────────────────────────────────────
export const evidence = sqliteTable(
  'evidence',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** Lowercase hex sha256 of the bytes; the blob lives at DATA_DIR/evidence/<sha256>. */
    sha256: text('sha256').notNull(),
    /** Sniffed from the bytes, not taken from the upload's header. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    filename: text('filename'),
    uploadedBy: text('uploaded_by').notNull(),
    /**
     * Whose per-caller upload quota this file counts against: a merchant, arbitrator or admin by
     * its principal, a claimant (who filed anonymously, one token per case) by the client address
     * the upload came from (`addr:<IPv4 or IPv6 /64>`). Null on rows from before the column.
     */
    quotaKey: text('quota_key'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('evidence_case_sha_idx').on(t.caseId, t.sha256),
    index('evidence_uploader_idx').on(t.uploadedBy, t.createdAt),
    // The per-caller upload quota sums a caller's recent uploads.
    index('evidence_quota_key_idx').on(t.quotaKey, t.createdAt),
  ],
);

// ─── webhooks (server/webhooks) ──────────────────────────────────────────────────────────────
/** Transactional outbox: written in the same transaction as the change it reports. */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    id: text('id').primaryKey(),
    /** The case the event is about; null for a merchant's own change (merchant.escrow_account_named). */
    caseId: text('case_id').references(() => cases.id),
    /** Recipient merchant; null when the case names no merchant (nobody to call yet). */
    merchantId: text('merchant_id'),
    eventType: text('event_type').notNull(),
    payload: text('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    lastError: text('last_error'),
    deliveredAt: text('delivered_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('webhook_outbox_pending_idx').on(t.status, t.nextAttemptAt)],
);

/** A merchant's webhook endpoint. The signing secret is stored sealed (AES-256-GCM, secret-box.ts). */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    url: text('url').notNull(),
    /** JSON array of event types, or `["*"]` for every type. */
    events: text('events').notNull(),
    description: text('description'),
    /** `enabled`, `disabled` (by the merchant or after failing for days) or `deleted`. */
    status: text('status').notNull(),
    disabledReason: text('disabled_reason'),
    secretSealed: text('secret_sealed').notNull(),
    /** The secret before the last rotation, still signing deliveries until it expires. */
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: text('previous_secret_expires_at'),
    /** Start of the current run of failed attempts; null after any success. */
    failingSince: text('failing_since'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_merchant_idx').on(t.merchantId, t.id)],
);

/** One event (outbox row) owed to one endpoint: what the retry schedule and the delivery log read. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => webhookOutbox.id),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    merchantId: text('merchant_id').notNull(),
    /** `pending` (an attempt is scheduled), `succeeded`, `failed` (gave up) or `canceled`. */
    status: text('status').notNull(),
    /** Attempts made in the current generation. */
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by a redelivery: jobs of an older generation are no-ops. */
    generation: integer('generation').notNull().default(0),
    /** When the retry window of the current generation opened. */
    windowStart: text('window_start').notNull(),
    nextAttemptAt: text('next_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    succeededAt: text('succeeded_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_endpoint_idx').on(t.eventId, t.endpointId),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Every HTTP attempt of a delivery, for the delivery log. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    generation: integer('generation').notNull(),
    attempt: integer('attempt').notNull(),
    startedAt: text('started_at').notNull(),
    /** Null when no HTTP response came back (refused, timeout, blocked address). */
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    /** The first bytes of the response body. */
    responseBody: text('response_body'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

// ─── merchants, continued (server/merchants) ─────────────────────────────────────────────────
/** Every API key of a merchant (the key is shown once; only its sha256 and a prefix are kept). */
export const merchantApiKeys = sqliteTable(
  'merchant_api_keys',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    keyHash: text('key_hash').notNull().unique(),
    /** The first characters of the key, to recognise it in a list. */
    prefix: text('prefix').notNull(),
    createdAt: text('created_at').notNull(),
    /** Set on the old key by a rotation: valid until then. */
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('merchant_api_keys_merchant_idx').on(t.merchantId, t.id)],
);

/** Things the merchant must be told (e.g. an endpoint disabled after failing for days). */
export const merchantNotices = sqliteTable(
  'merchant_notices',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    type: text('type').notNull(),
    message: text('message').notNull(),
    data: text('data').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('merchant_notices_merchant_idx').on(t.merchantId, t.id)],
);

/**
 * ERC-792 arbitrable contracts a merchant operates (issue 13 #8): a case it files with
 * `onchainDispute` may only name one of these, so no merchant binds a record to another's dispute.
 * Added and removed by the admin after checking the merchant controls the contract (README,
 * "ERC-792"); one merchant per contract.
 */
export const merchantArbitrables = sqliteTable(
  'merchant_arbitrables',
  {
    /** The contract address, lower case. */
    address: text('address').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** Who added it (`admin`). */
    addedBy: text('added_by').notNull(),
    /** What the admin checked, free text (e.g. "owner() 0xab… signed the request"). */
    note: text('note'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('merchant_arbitrables_merchant_idx').on(t.merchantId, t.address)],
);

/** A merchant's response to a case against it (one per case), and the deadline it had. */
export const caseResponses = sqliteTable('case_responses', {
  caseId: text('case_id')
    .primaryKey()
    .references(() => cases.id),
  merchantId: text('merchant_id').notNull(),
  /** `awaiting` until the merchant responds (`responded`) or the deadline passes (`lapsed`). */
  status: text('status').notNull(),
  dueAt: text('due_at').notNull(),
  /** The response as submitted (JSON). */
  response: text('response'),
  respondedAt: text('responded_at'),
  createdAt: text('created_at').notNull(),
});

// ─── idempotency (server/idempotency) ────────────────────────────────────────────────────────
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    /** Caller identity the key is scoped to, e.g. `merchant:mch_…`, `anonymous@<address>`. */
    scope: text('scope').notNull(),
    /**
     * sha256 hex of the Idempotency-Key. The key itself is never stored: with the scope it derives
     * the key that encrypts `responseBody` (server/idempotency/sealed-response.ts).
     */
    key: text('key').notNull(),
    /** sha256 of method, route and canonical body: "same request" means same fingerprint. */
    fingerprint: text('fingerprint').notNull(),
    state: text('state').notNull(),
    /** While in progress: the process running the request (`host/pid/instance`), so a restart can reclaim it. */
    owner: text('owner'),
    responseStatus: integer('response_status'),
    responseContentType: text('response_content_type'),
    /** The response body sealed with AES-256-GCM (`v1.<base64url>`); never the clear text. */
    responseBody: text('response_body'),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_created_idx').on(t.createdAt)],
);

// ─── pipeline (server/pipeline) ──────────────────────────────────────────────────────────────
/** A case's life on chain: what the service opened it with and what the chain made of it. */
export const pipelineCases = sqliteTable(
  'pipeline_cases',
  {
    caseId: text('case_id')
      .primaryKey()
      .references(() => cases.id),
    /** bytes32 the chain knows the case by (chain-port.ts chainCaseIdOf). */
    chainCaseId: text('chain_case_id').notNull(),
    modelRef: text('model_ref').notNull(),
    modelId: text('model_id').notNull(),
    /** S_0: hash of the featurized input (PROTOCOL.md §2). */
    s0: text('s0').notNull(),
    /** The service's own execution: output class, trace root, steps (to check the committee's root). */
    output: integer('output').notNull(),
    traceRoot: text('trace_root').notNull(),
    steps: integer('steps').notNull(),
    /** Packed award table (server/chain/awards.ts) and the deposit, wei as decimal text. */
    awardTable: text('award_table').notNull(),
    deposit: text('deposit').notNull(),
    claimant: text('claimant').notNull(),
    respondent: text('respondent').notNull(),
    batchId: integer('batch_id'),
    batchIndex: integer('batch_index'),
    openTx: text('open_tx'),
    /** The verdict (server/verdicts) once the committee's root stands, as JSON. */
    verdict: text('verdict'),
    payoutTx: text('payout_tx'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('pipeline_cases_chain_idx').on(t.chainCaseId), index('pipeline_cases_batch_idx').on(t.batchId, t.batchIndex)],
);

/** Every contract event the indexer folded, once (id = tx hash and log index): the verdict trail. */
export const chainEvents = sqliteTable(
  'chain_events',
  {
    id: text('id').primaryKey(),
    blockNumber: integer('block_number').notNull(),
    logIndex: integer('log_index').notNull(),
    txHash: text('tx_hash').notNull(),
    source: text('source').notNull(),
    name: text('name').notNull(),
    /** Decoded arguments as JSON (integers as decimal text). */
    args: text('args').notNull(),
    batchId: integer('batch_id'),
    gameId: integer('game_id'),
    chainCaseId: text('chain_case_id'),
  },
  (t) => [
    index('chain_events_batch_idx').on(t.batchId),
    index('chain_events_game_idx').on(t.gameId),
    index('chain_events_case_idx').on(t.chainCaseId),
    // Events by contract and name, e.g. the escrow accounts' (GET /v1/merchants/me/escrow).
    index('chain_events_name_idx').on(t.source, t.name),
  ],
);

/** The indexer's cursor: the next block to read. */
export const chainCursor = sqliteTable('chain_cursor', {
  name: text('name').primaryKey(),
  nextBlock: integer('next_block').notNull(),
  updatedAt: text('updated_at').notNull(),
});

// ─── market (server/market) ──────────────────────────────────────────────────────────────────
/** Model creators (admin-created): they register models through the API and earn royalties. */
export const creators = sqliteTable('creators', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** sha256 hex of the API key; the key itself is shown once, at creation. */
  apiKeyHash: text('api_key_hash').notNull().unique(),
  /** The creator's own chain address: registers its models and receives their royalties. */
  address: text('address').notNull(),
  /** Embedded chain only: the dev-mnemonic account index the service signs with for this creator. */
  devIndex: integer('dev_index'),
  createdAt: text('created_at').notNull(),
});

/** Models registered through the API (the shipped ones live in arbitration-models/). */
export const marketModels = sqliteTable(
  'market_models',
  {
    /** keccak256 of `name@version` (ModelRegistry.modelIdOf), lowercase 0x hex. */
    modelId: text('model_id').primaryKey(),
    ref: text('ref').notNull().unique(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    creatorId: text('creator_id')
      .notNull()
      .references(() => creators.id),
    jurisdiction: text('jurisdiction').notNull(),
    /** `<featurizer id>@<version>`: one the service ships. */
    featurizer: text('featurizer').notNull(),
    sha256: text('sha256').notNull(),
    modelRoot: text('model_root').notNull(),
    steps: integer('steps').notNull(),
    /** wei per case, decimal text */
    price: text('price').notNull(),
    royaltyBps: integer('royalty_bps').notNull(),
    /** `approved` (takes cases) or `deprecated` (no new cases). */
    status: text('status').notNull(),
    /** The card as registered (JSON) and the evaluation the service measured (JSON). */
    card: text('card').notNull(),
    evaluation: text('evaluation').notNull(),
    registerTx: text('register_tx'),
    createdAt: text('created_at').notNull(),
    deprecatedAt: text('deprecated_at'),
  },
  (t) => [index('market_models_jurisdiction_idx').on(t.jurisdiction, t.status), index('market_models_creator_idx').on(t.creatorId)],
);

/** A merchant's choice of model for its cases of one jurisdiction (instead of the default). */
export const modelPins = sqliteTable(
  'model_pins',
  {
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    jurisdiction: text('jurisdiction').notNull(),
    modelId: text('model_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.jurisdiction] })],
);

export type CreatorRow = typeof creators.$inferSelect;
export type MarketModelRow = typeof marketModels.$inferSelect;

export type MerchantRow = typeof merchants.$inferSelect;
export type ArbitratorRow = typeof arbitrators.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;
export type EvidenceRow = typeof evidence.$inferSelect;
export type WebhookOutboxRow = typeof webhookOutbox.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
export type MerchantApiKeyRow = typeof merchantApiKeys.$inferSelect;
export type MerchantNoticeRow = typeof merchantNotices.$inferSelect;
export type CaseResponseRow = typeof caseResponses.$inferSelect;
export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
export type PipelineCaseRow = typeof pipelineCases.$inferSelect;
export type ChainEventRow = typeof chainEvents.$inferSelect;
