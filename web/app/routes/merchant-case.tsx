// /merchant/case/:id: one case against the signed-in merchant: the claim, its status and
// timeline, and the merchant's response while the case still takes it (filed): its own version of
// the facts (the case-response service, as POST /v1/cases/:id/response: a chargeback's answer,
// delivery proof, refund, an earlier undisputed purchase; a flight's stated cause) and evidence.
import { data, Form, Link, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { merchantKeyFrom } from '../lib/merchant-session.server.js';
import { instant, money } from '../lib/format.js';
import { latestVerdict } from '../lib/case-verdict.server.js';
import { detectLang } from '../i18n/detect.server.js';
import { localizeVerdict } from '../i18n/explanations.server.js';
import { TimelinePanel, VerdictPanel } from '../components/case-parts.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — case' }, { name: 'robots', content: 'noindex' }];

function signedIn(request: Request, ctx: WebContext) {
  const key = merchantKeyFrom(request);
  return key ? ctx.merchantFor(key) : undefined;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = signedIn(request, ctx);
  if (!merchant) return data({ state: 'signed-out' as const }, { status: 401 });
  const lang = await detectLang(request);
  try {
    const view = ctx.services.cases.get(params.id ?? '', merchant);
    const timeline = ctx.services.cases.timeline(view.id, merchant);
    const record = view.record;
    const verdict = latestVerdict(timeline);
    return data(
      {
        state: 'ok' as const,
        id: view.id,
        status: view.status,
        kind: view.kind,
        jurisdiction: view.jurisdiction,
        recordHash: view.recordHash,
        claimant: record.claimant.name,
        narrative: record.narrative ?? null,
        amount: record.kind === 'chargeback' ? record.chargeback.amount : (record.flight.fare ?? null),
        evidence: view.evidence.map((e) => ({ id: e.id, filename: e.filename, contentType: e.contentType, sha256: e.sha256, uploadedBy: e.uploadedBy })),
        timeline: timeline.map((e) => ({ id: e.id, type: e.type, at: e.createdAt })),
        verdict: verdict ? localizeVerdict(verdict, lang) : null,
        response: responseOf(ctx, view.id, merchant),
      },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (e) {
    if ((e as { status?: number }).status === 404) return data({ state: 'not-found' as const }, { status: 404 });
    throw e;
  }
}

function responseOf(ctx: WebContext, caseId: string, merchant: { kind: 'merchant'; id: string }) {
  const r = ctx.services.responses.get(caseId, merchant);
  return { status: r.status, dueAt: r.dueAt, respondedAt: r.respondedAt };
}

const PROOFS = ['signed', 'tracked', 'digital_access', 'none'] as const;

/** The response body from the facts form: only what the merchant filled in (each replaces the claimant's fact). */
function factsBody(form: FormData, kind: string): Record<string, unknown> {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  if (kind === 'flight') {
    const cause = text('carrierStatedCause');
    return { flight: cause ? { carrierStatedCause: cause } : {} };
  }
  const c: Record<string, unknown> = {};
  if (text('merchantResponse')) c.merchantResponse = text('merchantResponse');
  const proof = text('deliveryProof');
  if ((PROOFS as readonly string[]).includes(proof)) c.delivery = { proof, date: text('deliveryDate') || null };
  if (form.get('refundIssued') === 'on') c.refundIssued = true;
  if (text('priorDate')) {
    c.priorUndisputedTransactions = [
      {
        date: text('priorDate'),
        ipMatch: form.get('ipMatch') === 'on',
        deviceIdMatch: form.get('deviceIdMatch') === 'on',
        shippingAddressMatch: form.get('shippingAddressMatch') === 'on',
        accountMatch: form.get('accountMatch') === 'on',
      },
    ];
  }
  return { chargeback: c };
}

/** A problem's pointer (/chargeback/delivery/date) → the form field that holds it. */
function fieldOf(pointer: string): string {
  if (pointer.includes('/delivery/date')) return 'deliveryDate';
  if (pointer.includes('/delivery')) return 'deliveryProof';
  if (pointer.includes('/priorUndisputedTransactions')) return 'priorDate';
  const last = pointer.split('/').filter(Boolean).at(-1) ?? '';
  return ['merchantResponse', 'refundIssued', 'carrierStatedCause'].includes(last) ? last : 'form';
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = signedIn(request, ctx);
  if (!merchant) return data({ added: 0, rejected: 0, closed: false }, { status: 401 });
  const form = await request.formData();
  if (form.get('intent') === 'facts') {
    let kind: string;
    try {
      kind = ctx.services.cases.get(params.id ?? '', merchant).kind;
    } catch (e) {
      // Another merchant's case (or none): as if it did not exist.
      if ((e as { status?: number }).status === 404) return data({ facts: 'invalid' as const, fields: [] as string[] }, { status: 404 });
      throw e;
    }
    const body = factsBody(form, kind);
    const given = body.flight ?? body.chargeback;
    if (!given || Object.keys(given as object).length === 0) return data({ facts: 'invalid' as const, fields: ['form'] }, { status: 400 });
    try {
      ctx.services.responses.respond(params.id ?? '', merchant, body as never);
      return { facts: 'sent' as const, fields: [] as string[] };
    } catch (e) {
      const p = e as { status?: number; errors?: { pointer?: string }[] };
      if (p.status === 400) return data({ facts: 'invalid' as const, fields: (p.errors ?? []).map((x) => fieldOf(x.pointer ?? '')) }, { status: 400 });
      if (p.status === 409) return data({ facts: 'closed' as const, fields: [] as string[] }, { status: 409 });
      throw e;
    }
  }
  let added = 0;
  let rejected = 0;
  for (const file of form.getAll('evidence')) {
    if (typeof file === 'string' || file.size === 0) continue;
    try {
      ctx.services.evidence.upload(params.id ?? '', merchant, { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name });
      added += 1;
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 404) return data({ added, rejected, closed: false }, { status: 404 });
      if (status === 409) return data({ added, rejected, closed: true }, { status: 409 });
      rejected += 1;
    }
  }
  return { added, rejected, closed: false };
}

export default function MerchantCase() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (loaded.state !== 'ok') {
    return (
      <section className="narrow">
        <h1>{loaded.state === 'signed-out' ? t('merchant.signInTitle') : t('notFound.title')}</h1>
        <p>
          <Link to="/merchant">{t('merchant.back')}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="case" aria-labelledby="merchant-case-title">
      <p>
        <Link to="/merchant">{t('merchant.back')}</Link>
      </p>
      <h1 id="merchant-case-title">{t('merchant.caseTitle', { claimant: loaded.claimant })}</h1>
      <p className="meta">
        {t(`kinds.${loaded.kind}`)} · {t(`jurisdictions.${loaded.jurisdiction}`)}
        {loaded.amount ? ` · ${money(lang, loaded.amount.amount, loaded.amount.currency)}` : ''}
      </p>
      <div className="status-card" data-status={loaded.status}>
        <p className="label">{t('case.status')}</p>
        <p className="value" data-testid="case-status">
          {t(`status.${loaded.status}.label`)}
        </p>
      </div>
      <VerdictPanel titleId="mverdict-title" title={t('case.verdict')} verdict={loaded.verdict} />
      {loaded.narrative ? (
        <article className="panel">
          <h2>{t('merchant.claimantSays')}</h2>
          <p>{loaded.narrative}</p>
        </article>
      ) : null}
      <FactsForm kind={loaded.kind} response={loaded.response} acted={acted && 'facts' in acted && acted.facts ? { facts: acted.facts, fields: acted.fields ?? [] } : undefined} busy={navigation.state === 'submitting'} />
      <article className="panel" aria-labelledby="respond-title">
        <h2 id="respond-title">{t('merchant.respond')}</h2>
        {loaded.status === 'filed' ? (
          <Form method="post" encType="multipart/form-data" className="claim-form">
            <div className="field">
              <label htmlFor="f-response-evidence">{t('merchant.evidence')}</label>
              <p className="hint" id="f-response-evidence-hint">
                {t('merchant.evidenceHint')}
              </p>
              <input id="f-response-evidence" type="file" name="evidence" multiple aria-describedby="f-response-evidence-hint f-response-result" />
            </div>
            <p id="f-response-result" role="status" className="form-status ok">
              {acted && 'added' in acted ? (acted.closed ? t('merchant.closed') : t('case.evidenceResult', { added: acted.added, rejected: acted.rejected })) : ''}
            </p>
            <div className="actions">
              <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
                {t('merchant.send')}
              </button>
            </div>
          </Form>
        ) : (
          <p className="muted">{t('merchant.closed')}</p>
        )}
        {loaded.evidence.length ? (
          <ul className="evidence">
            {loaded.evidence.map((e) => (
              <li key={e.id}>
                {e.filename ?? e.contentType} <span className="small">({e.uploadedBy.split(':')[0]})</span>{' '}
                <code className="hash">sha256 {e.sha256.slice(0, 16)}…</code>
              </li>
            ))}
          </ul>
        ) : null}
        <p className="small">
          {t('case.recordHash')} <code className="hash">{loaded.recordHash}</code>
        </p>
      </article>
      <TimelinePanel titleId="mtimeline-title" events={loaded.timeline} />
    </section>
  );
}

function FactsForm({ kind, response, acted, busy }: { kind: string; response: { status: string; dueAt: string; respondedAt: string | null }; acted?: { facts: string; fields: string[] }; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const bad = new Set(acted?.fields ?? []);
  const err = (field: string) => (bad.has(field) ? t('facts.invalid') : '');
  const inv = (field: string) => (bad.has(field) ? true : undefined);
  if (acted?.facts === 'sent' || response.status === 'responded') {
    return (
      <article className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('facts.title')}</h2>
        <p className="notice success" role="status" data-testid="facts-sent">
          {acted?.facts === 'sent' ? t('facts.sent') : t('facts.given', { at: response.respondedAt ? instant(lang, response.respondedAt) : '—' })}
        </p>
      </article>
    );
  }
  if (response.status !== 'awaiting' || acted?.facts === 'closed') {
    return (
      <article className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('facts.title')}</h2>
        <p className="muted">{t('facts.closed')}</p>
      </article>
    );
  }
  return (
    <article className="panel" aria-labelledby="facts-title">
      <h2 id="facts-title">{t('facts.title')}</h2>
      <p>{t('facts.body', { due: instant(lang, response.dueAt) })}</p>
      <Form method="post" className="claim-form" data-testid="facts-form">
        {kind === 'flight' ? (
          <div className="field" data-invalid={bad.has('carrierStatedCause') ? 'true' : undefined}>
            <label htmlFor="f-carrier-cause">{t('facts.carrierStatedCause')}</label>
            <input id="f-carrier-cause" name="carrierStatedCause" type="text" maxLength={2000} aria-invalid={inv('carrierStatedCause')} aria-describedby="f-carrier-cause-error" />
            <p className="error" id="f-carrier-cause-error">{err('carrierStatedCause')}</p>
          </div>
        ) : (
          <>
            <div className="field" data-invalid={bad.has('merchantResponse') ? 'true' : undefined}>
              <label htmlFor="f-merchant-response">{t('facts.merchantResponse')}</label>
              <textarea id="f-merchant-response" name="merchantResponse" rows={3} maxLength={10_000} aria-invalid={inv('merchantResponse')} aria-describedby="f-merchant-response-error" />
              <p className="error" id="f-merchant-response-error">{err('merchantResponse')}</p>
            </div>
            <div className="row">
              <div className="field" data-invalid={bad.has('deliveryProof') ? 'true' : undefined}>
                <label htmlFor="f-delivery-proof">{t('facts.deliveryProof')}</label>
                <select id="f-delivery-proof" name="deliveryProof" defaultValue="" aria-invalid={inv('deliveryProof')} aria-describedby="f-delivery-proof-error">
                  {['', ...PROOFS].map((p) => (
                    <option key={p} value={p}>
                      {t(`facts.proof.${p}`)}
                    </option>
                  ))}
                </select>
                <p className="error" id="f-delivery-proof-error">{err('deliveryProof')}</p>
              </div>
              <div className="field" data-invalid={bad.has('deliveryDate') ? 'true' : undefined}>
                <label htmlFor="f-delivery-date">{t('facts.deliveryDate')}</label>
                <input id="f-delivery-date" name="deliveryDate" type="date" aria-invalid={inv('deliveryDate')} aria-describedby="f-delivery-date-error" />
                <p className="error" id="f-delivery-date-error">{err('deliveryDate')}</p>
              </div>
            </div>
            <label className="checkbox">
              <input type="checkbox" name="refundIssued" /> {t('facts.refundIssued')}
            </label>
            <fieldset className="group">
              <legend>{t('facts.prior')}</legend>
              <p className="hint">{t('facts.priorHint')}</p>
              <div className="field" data-invalid={bad.has('priorDate') ? 'true' : undefined}>
                <label htmlFor="f-prior-date">{t('facts.priorDate')}</label>
                <input id="f-prior-date" name="priorDate" type="date" aria-invalid={inv('priorDate')} aria-describedby="f-prior-date-error" />
                <p className="error" id="f-prior-date-error">{err('priorDate')}</p>
              </div>
              {(['ipMatch', 'deviceIdMatch', 'shippingAddressMatch', 'accountMatch'] as const).map((m) => (
                <label key={m} className="checkbox">
                  <input type="checkbox" name={m} /> {t(`facts.${m}`)}
                </label>
              ))}
            </fieldset>
          </>
        )}
        <p role="status" className="form-status" data-testid="facts-status">
          {bad.has('form') ? t('facts.nothing') : ''}
        </p>
        <div className="actions">
          <button type="submit" name="intent" value="facts" className="primary" disabled={busy}>
            {t('facts.send')}
          </button>
        </div>
      </Form>
    </article>
  );
}
