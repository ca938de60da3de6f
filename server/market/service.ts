// The marketplace (issue 12): model creators (admin-created, API key) register models through the
// API; the service measures each one from its bytes (measure.ts), refuses a card that differs from
// what it measured, and publishes it on chain (ModelRegistry.register) signed by the creator's own
// account, so the royalty is paid to the creator. Versions are `name@version` (a family belongs to
// its first registrant, on chain); a creator deprecates its own versions. Each jurisdiction has a
// default model (the approved model with the best public evaluation; the shipped one wins a tie)
// and a merchant may pin another for its cases; the pipeline opens every case with `chooseModel`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq, sql } from 'drizzle-orm';
import { HDNodeWallet, NonceManager, parseEther, type Provider } from 'ethers';
import type { Db } from '../db/connection.js';
import { newId } from '../db/ids.js';
import { creators, marketModels, merchants, modelPins, type CreatorRow, type MarketModelRow } from '../db/schema.js';
import { hashSecret, newSecret, tokenPrefixes } from '../auth/tokens.js';
import { Problem } from '../errors.js';
import type { Featurizer } from '../inference/featurizer.js';
import { modelIdOf } from '../inference/claim-commitment.js';
import { createRunner } from '../inference/runner.js';
import { modelRef, type ModelCard } from '../models/card.js';
import type { ModelDefinition } from '../models/definition.js';
import type { Evaluation } from '../models/evaluate.js';
import type { ChainPort } from '../pipeline/chain-port.js';
import { DEFAULT_PRICE, DEFAULT_ROYALTY_BPS, pipelineModel, type ModelCatalogue, type PipelineModel } from '../pipeline/models.js';
import { cardShapeProblems, measureModel, type Difference } from './measure.js';
import { modelUsage, nodeView, quote } from './ledger.js';
import { createMarketEvents } from './events.js';
import { mined } from '../chain/mined.js';

/** The public dev mnemonic of anvil (and hardhat): embedded-chain creator accounts derive from it. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
/** Creator n (0-based) signs with dev account CREATOR_DEV_BASE + n: far above the funded 0..9. */
export const CREATOR_DEV_BASE = 100;
/** What an embedded creator account is topped up to for gas (from the registrar, a dev account). */
const CREATOR_GAS = parseEther('1');
/** uint128: ModelRegistry.price. */
const MAX_PRICE = (1n << 128n) - 1n;

export const devCreatorWallet = (index: number, provider?: Provider): HDNodeWallet =>
  HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider ?? null);

/** The chain side of the market: what the pipeline hands the API once it runs. */
export interface MarketChain {
  port: ChainPort;
  models: ModelCatalogue;
  /** Private embedded chain: the service signs for creators with dev accounts it funds. */
  embedded: boolean;
  /** Pays creator accounts' gas on the embedded chain (the registrar, a dev account). */
  funder?: NonceManager;
  /** In-process node operators: they serve every newly registered model. */
  nodes: NonceManager[];
}

export interface CreatorView {
  id: string;
  object: 'creator';
  name: string;
  address: string;
  createdAt: string;
}

export interface RegisterInput {
  onnx: Uint8Array;
  card: unknown;
  /** `<id>@<version>` of a featurizer the service ships. */
  featurizer: string;
  price?: string;
  royaltyBps?: string;
}

/** A model as GET /v1/models shows it (shipped or registered). */
export interface ModelView {
  id: string;
  object: 'model';
  ref: string;
  name: string;
  version: string;
  jurisdiction: string;
  featurizer: string;
  sha256: string;
  modelRoot: string;
  steps: number;
  price: string;
  royaltyBps: number;
  status: 'approved' | 'deprecated';
  source: 'shipped' | 'registered';
  creator: string | null;
  accuracy: number | null;
  default: boolean;
  createdAt: string | null;
}

const toCreatorView = (r: CreatorRow): CreatorView => ({ id: r.id, object: 'creator', name: r.name, address: r.address, createdAt: r.createdAt });

/** The public evaluation accuracy a model needs to be pinned (config MODEL_PIN_MIN_ACCURACY). */
export const DEFAULT_PIN_MIN_ACCURACY = 0.95;

export function createMarketService(deps: { db: Db; dataDir: string; clock?: () => Date; catalogue?: () => Promise<ModelCatalogue>; pinMinAccuracy?: number }) {
  const { db } = deps;
  const pinFloor = deps.pinMinAccuracy ?? DEFAULT_PIN_MIN_ACCURACY;
  const clock = deps.clock ?? (() => new Date());
  let chain: MarketChain | undefined;
  let shipped: Promise<ModelCatalogue> | undefined;
  let cachedCatalogue: ModelCatalogue | undefined;
  /** The shipped models' detailed evaluations, computed once per process on first request. */
  const shippedEvaluations = new Map<string, Promise<Evaluation>>();
  /** The shipped models (card, featurizer, evaluation set): the pipeline's catalogue, else loaded once. */
  const catalogue = (): Promise<ModelCatalogue> => {
    if (chain) return Promise.resolve(chain.models);
    return (shipped ??= deps.catalogue ? deps.catalogue() : import('../pipeline/models.js').then((m) => m.loadCatalogue()));
  };
  const events = createMarketEvents(db, clock);
  const shippedOnly = (c: ModelCatalogue) => c.all.filter((m) => !registeredRow(m.modelId));
  // Read for every case the pipeline prepares (its model: a pin, else the default among the
  // registered ones): prepared once, on first use.
  let q: { registered: ReturnType<typeof prepareRegistered>; pin: ReturnType<typeof preparePin> } | undefined;
  function prepareRegistered() {
    return db.select().from(marketModels).where(eq(marketModels.modelId, sql.placeholder('id'))).prepare();
  }
  function preparePin() {
    return db
      .select({ modelId: modelPins.modelId })
      .from(modelPins)
      .where(and(eq(modelPins.merchantId, sql.placeholder('merchant')), eq(modelPins.jurisdiction, sql.placeholder('jurisdiction'))))
      .prepare();
  }
  const prepared = () => (q ??= { registered: prepareRegistered(), pin: preparePin() });
  const registeredRow = (modelId: string) => prepared().registered.get({ id: modelId.toLowerCase() });

  function requireChain(): MarketChain {
    if (!chain) throw new Problem('unavailable', 'The chain is not running (CHAIN=off or the pipeline has not started): models cannot be published now');
    return chain;
  }

  /** One nonce manager per creator account, so its transactions never race for a nonce. */
  const signers = new Map<number, NonceManager>();
  function creatorSigner(row: CreatorRow, c: MarketChain): NonceManager {
    if (row.devIndex === null || !c.embedded) {
      throw new Problem('forbidden', `creator ${row.id} signs with its own key (${row.address}): call ModelRegistry.register from it; the service signs only for embedded-chain dev accounts`);
    }
    let s = signers.get(row.devIndex);
    if (!s) signers.set(row.devIndex, (s = new NonceManager(devCreatorWallet(row.devIndex, c.port.provider))));
    return s;
  }

  /** The approved models of a jurisdiction, shipped first, then registered ones in order. */
  function candidates(c: ModelCatalogue, jurisdiction: string): { model: PipelineModel; accuracy: number }[] {
    const out: { model: PipelineModel; accuracy: number }[] = [];
    for (const m of c.all) {
      if (m.card.jurisdiction !== jurisdiction) continue;
      const row = registeredRow(m.modelId);
      if (row && row.status !== 'approved') continue;
      const ev = (row ? JSON.parse(row.evaluation) : m.card.evaluation) as { accuracy?: number };
      out.push({ model: m, accuracy: typeof ev.accuracy === 'number' ? ev.accuracy : 0 });
    }
    return out;
  }

  function bestOf(c: ModelCatalogue, jurisdiction: string): { model: PipelineModel; accuracy: number } | undefined {
    let best: { model: PipelineModel; accuracy: number } | undefined;
    for (const x of candidates(c, jurisdiction)) if (!best || x.accuracy > best.accuracy) best = x;
    return best;
  }
  const defaultOf = (c: ModelCatalogue, jurisdiction: string): PipelineModel | undefined => bestOf(c, jurisdiction)?.model;

  /** Sends `model.default_changed` when a jurisdiction's default moved (inside the change's transaction). */
  function defaultChanged(jurisdiction: string, previous: PipelineModel | undefined, next: PipelineModel | undefined, reason: 'registered' | 'deprecated') {
    if (previous?.modelId.toLowerCase() === next?.modelId.toLowerCase()) return;
    events.broadcast('model.default_changed', (merchantId) => ({
      jurisdiction,
      model: next?.modelId.toLowerCase() ?? null,
      ref: next?.ref ?? null,
      previousModel: previous?.modelId.toLowerCase() ?? null,
      previousRef: previous?.ref ?? null,
      reason,
      // A merchant whose pin still takes cases is not moved by a new default.
      pinned: pinOf(merchantId, jurisdiction) ?? null,
    }));
  }

  function pinOf(merchantId: string, jurisdiction: string): string | undefined {
    return prepared().pin.get({ merchant: merchantId, jurisdiction })?.modelId;
  }

  /** A model's public evaluation accuracy: measured at registration, or the shipped card's. */
  function accuracyOf(m: PipelineModel): number {
    const row = registeredRow(m.modelId);
    const ev = (row ? JSON.parse(row.evaluation) : m.card.evaluation) as { accuracy?: number } | undefined;
    return typeof ev?.accuracy === 'number' ? ev.accuracy : 0;
  }

  /**
   * The model a case is opened with: the merchant's pin while it still takes cases (approved, not
   * deprecated, at or above the pin floor: a floor raised since the pin stops it), else the default.
   */
  function chooseModel(c: ModelCatalogue, jurisdiction: string, merchantId: string | null): PipelineModel | undefined {
    if (merchantId) {
      const pinned = pinOf(merchantId, jurisdiction);
      const m = pinned ? c.byId(pinned) : undefined;
      if (m && (registeredRow(m.modelId)?.status ?? 'approved') === 'approved' && accuracyOf(m) >= pinFloor) return m;
    }
    return defaultOf(c, jurisdiction);
  }

  /** A registered model's folder under DATA_DIR (its bytes and card, served to verifiers). */
  const modelDir = (modelId: string) => join(deps.dataDir, 'market', modelId.toLowerCase());

  async function loadRegistered(row: MarketModelRow, c: ModelCatalogue): Promise<PipelineModel> {
    const card = JSON.parse(row.card) as ModelCard;
    const shippedModel = shippedOnly(c).find((m) => `${m.card.featurizer.id}@${m.card.featurizer.version}` === row.featurizer);
    if (!shippedModel) throw new Error(`${row.ref}: featurizer ${row.featurizer} is no longer shipped`);
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(join(modelDir(row.modelId), 'model.onnx')));
    const runner = await createRunner(bytes);
    const { readOnnx } = await import('../inference/onnx-reader.js');
    const definition = registeredDefinition(card, shippedModel.definition.featurizer);
    return pipelineModel({ dir: modelDir(row.modelId), card, definition, runner }, readOnnx(bytes), BigInt(row.price), row.royaltyBps);
  }

  return {
    /** Called by the pipeline once it runs: registration and the chain views need it. */
    async attach(c: MarketChain) {
      chain = c;
      // Models registered before a restart join the pipeline again.
      for (const row of db.select().from(marketModels).orderBy(asc(marketModels.createdAt)).all()) {
        if (!c.models.byId(row.modelId)) c.models.add(await loadRegistered(row, c.models));
      }
    },
    chain: () => chain,

    createCreator(input: { name: string; address?: string }): { creator: CreatorView; apiKey: string } {
      const now = clock().toISOString();
      const apiKey = newSecret(tokenPrefixes.creator);
      let address = input.address?.toLowerCase();
      let devIndex: number | null = null;
      if (!address) {
        if (!chain?.embedded) {
          throw Problem.validation([{ pointer: '/address', message: 'the creator\'s own chain address is required (the royalty is paid to it); only the embedded chain gives dev accounts' }]);
        }
        devIndex = CREATOR_DEV_BASE + db.select({ id: creators.id }).from(creators).all().length;
        address = devCreatorWallet(devIndex).address.toLowerCase();
      }
      const row: CreatorRow = { id: newId('crt'), name: input.name, apiKeyHash: hashSecret(apiKey), address, devIndex, createdAt: now };
      db.insert(creators).values(row).run();
      return { creator: toCreatorView(row), apiKey };
    },
    idByKeyHash: (hash: string): string | undefined => db.select({ id: creators.id }).from(creators).where(eq(creators.apiKeyHash, hash)).get()?.id,
    creator(id: string): CreatorView {
      const row = db.select().from(creators).where(eq(creators.id, id)).get();
      if (!row) throw new Problem('not_found', `No creator ${id}`);
      return toCreatorView(row);
    },

    /** Measures, checks and publishes a model; refuses (naming each difference) a card that does not match. */
    async register(creatorId: string, input: RegisterInput): Promise<{ model: ModelView; evaluation: Evaluation; tx: string }> {
      const creator = db.select().from(creators).where(eq(creators.id, creatorId)).get();
      if (!creator) throw new Problem('not_found', `No creator ${creatorId}`);
      const shape = cardShapeProblems(input.card);
      const price = parseWei(input.price, DEFAULT_PRICE, '/price', MAX_PRICE);
      const royaltyBps = Number(parseWei(input.royaltyBps, BigInt(DEFAULT_ROYALTY_BPS), '/royaltyBps', 10_000n));
      if (input.onnx.length === 0) shape.push({ pointer: '/model', message: 'the .onnx file is empty' });
      const c = await catalogue();
      const offered = shippedOnly(c).filter((m) => `${m.card.featurizer.id}@${m.card.featurizer.version}` === input.featurizer);
      if (offered.length === 0) {
        const names = [...new Set(shippedOnly(c).map((m) => `${m.card.featurizer.id}@${m.card.featurizer.version}`))].join(', ');
        shape.push({ pointer: '/featurizer', message: `featurizer "${input.featurizer}" is not one the service ships (${names}); featurizer code comes with a release, never through the API` });
      }
      if (shape.length) throw Problem.validation(shape);
      const card = input.card as ModelCard;
      const evalModel = offered.find((m) => m.card.jurisdiction === card.jurisdiction);
      if (!evalModel) {
        throw Problem.validation([{ pointer: '/card/jurisdiction', message: `featurizer ${input.featurizer} serves ${offered.map((m) => m.card.jurisdiction).join(', ')}, not ${card.jurisdiction}` }]);
      }
      if (card.kind !== evalModel.card.kind) throw Problem.validation([{ pointer: '/card/kind', message: `${card.jurisdiction} cases are "${evalModel.card.kind}"` }]);
      const ref = modelRef(card);
      const modelId = modelIdOf(ref).toLowerCase();
      if (c.byId(modelId) || registeredRow(modelId)) throw new Problem('model_exists', `${ref} is already registered`);

      const featurizer = evalModel.definition.featurizer;
      const { measured, differences } = await measureModel(input.onnx, card, featurizer, { dir: evalModel.dir, evalFile: evalModel.definition.evalFile });
      if (differences.length) {
        throw new Problem('model_mismatch', `${ref}: ${differences.length} difference${differences.length > 1 ? 's' : ''} between the card and the model: ${differences.map((d) => `${d.pointer}: ${d.message}`).join('; ')}`, differences, {
          measured: { sha256: measured.sha256, modelRoot: measured.modelRoot, steps: measured.steps, inputWidth: measured.inputWidth, evaluation: measured.evaluation && summary(measured.evaluation) },
        });
      }
      const mc = requireChain();
      const onChain = await mc.port.registryEntry(modelId);
      if (onChain) throw new Problem('model_exists', `${ref} is already registered on chain (creator ${onChain.creator})`);
      const family = (await mc.port.contracts.registry.familyCreator(familyOf(card.id))) as string;
      if (family !== '0x0000000000000000000000000000000000000000' && family.toLowerCase() !== creator.address) {
        throw new Problem('forbidden', `model name "${card.id}" belongs to ${family.toLowerCase()}; a version is registered by its family's creator`, [{ pointer: '/card/id', message: `"${card.id}" is another creator's model` }]);
      }
      const signer = creatorSigner(creator, mc);
      if (mc.funder && (await mc.port.provider.getBalance(creator.address)) < CREATOR_GAS / 2n) {
        const tx = await mc.funder.sendTransaction({ to: creator.address, value: CREATOR_GAS });
        await mined(tx, mc.port.provider);
      }
      const runner = await createRunner(input.onnx);
      const model = pipelineModel({ dir: modelDir(modelId), card, definition: registeredDefinition(card, featurizer), runner }, measured.ir!, price, royaltyBps);
      let receipt;
      try {
        receipt = await mc.port.registerModel(signer, model.terms);
      } catch (e) {
        await runner.close();
        // A concurrent registration of the same version or name won the race on chain.
        const name = mc.port.revertName(e);
        if (name === 'ModelExists' || (name === undefined && (await mc.port.registryEntry(modelId)))) throw new Problem('model_exists', `${ref} is already registered on chain`);
        if (name === 'NotModelCreator') throw new Problem('forbidden', `model name "${card.id}" belongs to another creator`, [{ pointer: '/card/id', message: `"${card.id}" is another creator's model` }]);
        throw e;
      }
      mkdirSync(model.dir, { recursive: true });
      writeFileSync(join(model.dir, 'model.onnx'), input.onnx);
      writeFileSync(join(model.dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
      const now = clock().toISOString();
      const row: MarketModelRow = {
        modelId,
        ref,
        name: card.id,
        version: card.version,
        creatorId,
        jurisdiction: card.jurisdiction,
        featurizer: input.featurizer,
        sha256: measured.sha256,
        modelRoot: measured.modelRoot!,
        steps: measured.steps!,
        price: price.toString(),
        royaltyBps,
        status: 'approved',
        card: JSON.stringify(card),
        evaluation: JSON.stringify(measured.evaluation),
        registerTx: receipt.hash,
        createdAt: now,
        deprecatedAt: null,
      };
      // The registration, its webhook rows and any default it displaces commit together. The new
      // model is the default when it beats the best approved one (a tie keeps the earlier one).
      const previous = bestOf(mc.models, card.jurisdiction);
      const accuracy = measured.evaluation!.accuracy;
      const becomesDefault = !previous || accuracy > previous.accuracy;
      db.transaction(() => {
        db.insert(marketModels).values(row).run();
        events.broadcast('model.registered', () => ({
          model: modelId,
          ref,
          jurisdiction: card.jurisdiction,
          featurizer: input.featurizer,
          creator: creator.address,
          sha256: measured.sha256,
          modelRoot: measured.modelRoot,
          price: price.toString(),
          royaltyBps,
          accuracy,
          evaluationSet: measured.evaluation!.sha256,
          default: becomesDefault,
          tx: receipt.hash,
        }));
        defaultChanged(card.jurisdiction, previous?.model, becomesDefault ? model : previous?.model, 'registered');
      });
      mc.models.add(model);
      // The in-process node operators serve the new model at their declared fee.
      for (const node of mc.nodes) {
        const address = (await node.getAddress()).toLowerCase();
        const fee = BigInt((await mc.port.contracts.staking.nodes(address)).fee);
        await mc.port.serve(node, [modelId], fee);
      }
      return { model: this.view(modelId), evaluation: measured.evaluation!, tx: receipt.hash };
    },

    /** The creator deprecates one of its versions: no new cases (running ones finish). */
    async deprecate(creatorId: string, modelId: string): Promise<ModelView> {
      const row = registeredRow(modelId);
      if (!row || row.creatorId !== creatorId) throw new Problem('not_found', `No model ${modelId} of this creator`);
      if (row.status === 'deprecated') return this.view(modelId);
      const creator = db.select().from(creators).where(eq(creators.id, creatorId)).get()!;
      const mc = requireChain();
      if (!(await mc.port.registryEntry(row.modelId))?.deprecated) await mc.port.deprecateModel(creatorSigner(creator, mc), row.modelId);
      // The status, its webhook rows and the default it may hand on commit together.
      db.transaction(() => {
        const current = registeredRow(row.modelId)!;
        if (current.status === 'deprecated') return; // a concurrent call committed it first
        const previous = defaultOf(mc.models, row.jurisdiction);
        db.update(marketModels).set({ status: 'deprecated', deprecatedAt: clock().toISOString() }).where(eq(marketModels.modelId, row.modelId)).run();
        events.broadcast('model.deprecated', (merchantId) => ({
          model: row.modelId,
          ref: row.ref,
          jurisdiction: row.jurisdiction,
          creator: creator.address,
          // A merchant that pinned it: its new cases now go to the effective model.
          pinned: pinOf(merchantId, row.jurisdiction) === row.modelId,
          effective: chooseModel(mc.models, row.jurisdiction, merchantId)?.modelId.toLowerCase() ?? null,
        }));
        defaultChanged(row.jurisdiction, previous, defaultOf(mc.models, row.jurisdiction), 'deprecated');
      });
      return this.view(modelId);
    },

    /**
     * A merchant pins a model for its cases of that model's jurisdiction (null: back to the default).
     * The policy: the model exists, decides that jurisdiction, is approved and not deprecated, its
     * public evaluation reaches the pin floor (MODEL_PIN_MIN_ACCURACY), and, when the merchant sets
     * `maxPrice`, its price per case is within it. Each refusal is a 400 naming the field.
     */
    async pin(merchantId: string, jurisdiction: string, modelId: string | null, maxPrice?: string): Promise<{ jurisdiction: string; modelId: string | null; effective: string | null }> {
      const c = await catalogue();
      let next: string | null = null;
      if (modelId !== null) {
        const cap = maxPrice === undefined ? undefined : parseWei(maxPrice, 0n, '/maxPrice', MAX_PRICE);
        const m = c.byId(modelId) ?? c.byRef(modelId);
        if (!m) throw Problem.validation([{ pointer: '/modelId', message: `no model ${modelId}` }]);
        if (m.card.jurisdiction !== jurisdiction) throw Problem.validation([{ pointer: '/modelId', message: `${m.ref} decides ${m.card.jurisdiction}, not ${jurisdiction}` }]);
        const status = registeredRow(m.modelId)?.status ?? 'approved';
        if (status === 'deprecated') throw Problem.validation([{ pointer: '/modelId', message: `${m.ref} is deprecated` }]);
        if (status !== 'approved') throw Problem.validation([{ pointer: '/modelId', message: `${m.ref} is not approved (${status})` }]);
        const accuracy = accuracyOf(m);
        if (accuracy < pinFloor) {
          throw Problem.validation([{ pointer: '/modelId', message: `${m.ref} measured accuracy ${accuracy} on its public evaluation, below the floor ${pinFloor} a pinned model needs` }]);
        }
        if (cap !== undefined && m.terms.price > cap) {
          throw Problem.validation([{ pointer: '/maxPrice', message: `${m.ref} costs ${m.terms.price} wei per case, more than your cap of ${cap}` }]);
        }
        if (!db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).get()) throw new Problem('not_found', `No merchant ${merchantId}`);
        next = m.modelId.toLowerCase();
      }
      // The pin and its webhook row (merchant.model_pinned, to this merchant) commit together; the
      // same pin again changes nothing and sends nothing.
      db.transaction(() => {
        const previous = pinOf(merchantId, jurisdiction) ?? null;
        if (previous === next) return;
        if (next === null) db.delete(modelPins).where(and(eq(modelPins.merchantId, merchantId), eq(modelPins.jurisdiction, jurisdiction))).run();
        else {
          db.insert(modelPins)
            .values({ merchantId, jurisdiction, modelId: next, createdAt: clock().toISOString() })
            .onConflictDoUpdate({ target: [modelPins.merchantId, modelPins.jurisdiction], set: { modelId: next } })
            .run();
        }
        events.toMerchant(merchantId, 'merchant.model_pinned', {
          merchantId,
          jurisdiction,
          model: next,
          previousModel: previous,
          effective: chooseModel(c, jurisdiction, merchantId)?.modelId.toLowerCase() ?? null,
          actor: `merchant:${merchantId}`,
        });
      });
      return { jurisdiction, modelId: next, effective: chooseModel(c, jurisdiction, merchantId)?.modelId.toLowerCase() ?? null };
    },

    /** For the pipeline: the model a case of `jurisdiction` filed against `merchantId` is opened with. */
    chooser: (c: ModelCatalogue) => (jurisdiction: string, merchantId: string | null) => chooseModel(c, jurisdiction, merchantId),

    /** One model (shipped or registered), by id (0x…) or ref (name@version). */
    view(idOrRef: string): ModelView {
      const views = this.listSync();
      const key = idOrRef.toLowerCase();
      const v = views.find((m) => m.id === key || m.ref === idOrRef);
      if (!v) throw new Problem('not_found', `No model ${idOrRef}`);
      return v;
    },
    listSync(): ModelView[] {
      const c = chain?.models ?? cachedCatalogue;
      if (!c) return [];
      const defaults = new Set<string>();
      for (const j of new Set(c.all.map((m) => m.card.jurisdiction))) {
        const d = defaultOf(c, j);
        if (d) defaults.add(d.modelId.toLowerCase());
      }
      const out: ModelView[] = c.all.map((m) => {
        const row = registeredRow(m.modelId);
        const ev = (row ? JSON.parse(row.evaluation) : m.card.evaluation) as { accuracy?: number };
        const creator = row ? db.select({ address: creators.address }).from(creators).where(eq(creators.id, row.creatorId)).get()?.address ?? null : null;
        return {
          id: m.modelId.toLowerCase(),
          object: 'model',
          ref: m.ref,
          name: m.card.id,
          version: m.card.version,
          jurisdiction: m.card.jurisdiction,
          featurizer: `${m.card.featurizer.id}@${m.card.featurizer.version}`,
          sha256: m.card.sha256,
          modelRoot: m.card.modelRoot,
          steps: m.card.steps,
          price: m.terms.price.toString(),
          royaltyBps: m.terms.royaltyBps,
          status: row?.status === 'deprecated' ? 'deprecated' : 'approved',
          source: row ? 'registered' : 'shipped',
          creator,
          accuracy: typeof ev.accuracy === 'number' ? ev.accuracy : null,
          default: defaults.has(m.modelId.toLowerCase()),
          createdAt: row?.createdAt ?? null,
        };
      });
      return out;
    },
    async list(): Promise<ModelView[]> {
      cachedCatalogue ??= await catalogue();
      return this.listSync();
    },
    async get(idOrRef: string): Promise<ModelView & { card: ModelCard }> {
      cachedCatalogue ??= await catalogue();
      const v = this.view(idOrRef);
      const m = (chain?.models ?? cachedCatalogue).byId(v.id)!;
      return { ...v, card: m.card };
    },
    /** The public evaluation, measured by the service: set hash, per-ground results, confusion table. */
    async evaluation(idOrRef: string): Promise<Evaluation & { model: string; evaluationSet: string }> {
      cachedCatalogue ??= await catalogue();
      const v = this.view(idOrRef);
      const row = registeredRow(v.id);
      let ev: Evaluation;
      if (row) ev = JSON.parse(row.evaluation) as Evaluation;
      else {
        const cached = shippedEvaluations.get(v.id);
        if (cached) ev = await cached;
        else {
          const m = (chain?.models ?? cachedCatalogue).byId(v.id)!;
          const { evaluateModel } = await import('../models/evaluate.js');
          const p = evaluateModel(m, undefined, { detail: true });
          shippedEvaluations.set(v.id, p);
          p.catch(() => shippedEvaluations.delete(v.id));
          ev = await p;
        }
      }
      return { model: v.ref, evaluationSet: ev.sha256, ...ev };
    },
    /** Cases decided with a model and the royalties its creator was paid (public: counts only). */
    async usage(idOrRef: string) {
      const mc = requireChain();
      const v = this.view(idOrRef);
      return modelUsage(db, mc.port, mc.models.byId(v.id)!);
    },
    /** A node operator's stake, models, seats, earnings and slashes. */
    async node(address: string) {
      // Bad input is a 400 naming the field even while the chain is down (not a 503).
      if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw Problem.validation([{ pointer: '/address', message: 'a 0x-prefixed 20-byte hex address' }]);
      const mc = requireChain();
      return nodeView(db, mc.port, mc.models, address);
    },
    /** The fee of a case of `jurisdiction` before filing (a merchant's pin applies to its quote). */
    async quote(jurisdiction: string, merchantId: string | null) {
      const mc = requireChain();
      const m = chooseModel(mc.models, jurisdiction, merchantId);
      if (!m) throw Problem.validation([{ pointer: '/jurisdiction', message: `no model decides ${jurisdiction}` }]);
      return quote(mc.port, m, Number(mc.port.deployment.config.committeeSize));
    },
    /** The raw .onnx bytes of a model and its card, for `arbiter model verify <modelId>`. */
    async artifact(idOrRef: string): Promise<{ path: string; card: ModelCard }> {
      const v = await this.get(idOrRef);
      const m = (chain?.models ?? cachedCatalogue)!.byId(v.id)!;
      // A registered model's bytes are always its folder's model.onnx (never a path its card names).
      return { path: join(m.dir, registeredRow(m.modelId) ? 'model.onnx' : (m.card.file ?? 'model.onnx')), card: m.card };
    },
  };
}

export type MarketService = ReturnType<typeof createMarketService>;

/** keccak256(utf8 name): ModelRegistry's family key. */
function familyOf(name: string): string {
  return modelIdOf(name);
}

/** The definition of a registered model: a shipped featurizer and the card; it is never rebuilt. */
function registeredDefinition(card: ModelCard, featurizer: Featurizer): ModelDefinition {
  return {
    id: card.id,
    version: card.version,
    jurisdiction: card.jurisdiction,
    kind: card.kind,
    featurizer,
    classes: card.classes,
    build: () => {
      throw new Error(`${modelRef(card)} was registered as bytes; it has no build`);
    },
    training: card.training ?? {},
  };
}

function summary(ev: Evaluation) {
  return { sha256: ev.sha256, cases: ev.cases, agreed: ev.agreed, accuracy: ev.accuracy };
}

function parseWei(value: string | undefined, fallback: bigint, pointer: string, max: bigint): bigint {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,40}$/.test(value)) throw Problem.validation([{ pointer, message: 'a non-negative integer (decimal digits)' }]);
  const v = BigInt(value);
  if (v > max) throw Problem.validation([{ pointer, message: `at most ${max}` }]);
  return v;
}

export type { Difference };
