// /merchant/case/:id: one case against the signed-in merchant: the claim, its status and
// timeline, and the merchant's response with evidence while the case still takes evidence (filed).
import { data, Form, Link, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { merchantKeyFrom } from '../lib/merchant-session.server.js';
import { instant, money } from '../lib/format.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — case' }, { name: 'robots', content: 'noindex' }];

function signedIn(request: Request, ctx: WebContext) {
  const key = merchantKeyFrom(request);
  return key ? ctx.merchantFor(key) : undefined;
}

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = signedIn(request, ctx);
  if (!merchant) return data({ state: 'signed-out' as const }, { status: 401 });
  try {
    const view = ctx.services.cases.get(params.id ?? '', merchant);
    const timeline = ctx.services.cases.timeline(view.id, merchant);
    const record = view.record;
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
      },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (e) {
    if ((e as { status?: number }).status === 404) return data({ state: 'not-found' as const }, { status: 404 });
    throw e;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = signedIn(request, ctx);
  if (!merchant) return data({ added: 0, rejected: 0, closed: false }, { status: 401 });
  const form = await request.formData();
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
      {loaded.narrative ? (
        <article className="panel">
          <h2>{t('merchant.claimantSays')}</h2>
          <p>{loaded.narrative}</p>
        </article>
      ) : null}
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
              {acted ? (acted.closed ? t('merchant.closed') : t('case.evidenceResult', { added: acted.added, rejected: acted.rejected })) : ''}
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
      <article className="panel" aria-labelledby="mtimeline-title">
        <h2 id="mtimeline-title">{t('case.timeline')}</h2>
        <ol className="timeline">
          {loaded.timeline.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{instant(lang, e.at)}</time> <span>{t(`events.${e.type}`, { defaultValue: e.type.replaceAll('_', ' ') })}</span>
            </li>
          ))}
        </ol>
      </article>
    </section>
  );
}
