// /merchant/webhooks/:id: one endpoint of the signed-in merchant and its delivery log, newest
// first: each delivery's event, status, attempts (time, HTTP status, latency, error) and next
// retry, with a Replay button that sends the event to this endpoint again now (the same path as
// POST /v1/webhook-events/:id/redeliver). The signing secret can be rotated here too: the new one
// is shown once, the old one keeps signing beside it for the grace chosen. Another merchant's
// endpoint answers 404.
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { merchantFrom, problemOf } from '../lib/merchant-session.server.js';
import { instant } from '../lib/format.js';
import { MerchantNav, OnceSecret } from '../components/merchant-nav.js';
import { DataTable } from '../components/data-table.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — webhook deliveries' }, { name: 'robots', content: 'noindex' }];

const noStore = { 'Cache-Control': 'no-store' };
/** Grace periods offered when rotating the signing secret, in seconds (the service allows up to 7 days). */
const GRACES = [0, 3600, 86_400, 7 * 86_400] as const;

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const after = new URL(request.url).searchParams.get('after') ?? '';
  try {
    const endpoint = ctx.services.webhooks.endpoints.get(merchant.id, params.id ?? '');
    const log = ctx.services.webhooks.deliveries.log(merchant.id, endpoint.id, { limit: 20, ...(/^whd_[0-9A-Za-z]+$/.test(after) ? { starting_after: after } : {}) });
    return data(
      {
        state: 'ok' as const,
        endpoint: { id: endpoint.id, url: endpoint.url, status: endpoint.status, previousSecretExpiresAt: endpoint.previousSecretExpiresAt },
        hasMore: log.has_more,
        deliveries: log.data.map((d) => ({
          id: d.id,
          eventId: d.eventId,
          eventType: d.eventType,
          status: d.status,
          attempts: d.attempts,
          nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
          lastStatusCode: d.lastStatusCode,
          attemptLog: d.attemptLog.map((a) => ({ attempt: a.attempt, generation: a.generation, startedAt: a.startedAt, statusCode: a.statusCode, latencyMs: a.latencyMs, error: a.error })),
        })),
      },
      { headers: noStore },
    );
  } catch (e) {
    if (problemOf(e).status === 404) return data({ state: 'not-found' as const }, { status: 404 });
    throw e;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const form = await request.formData();
  if (form.get('intent') === 'rotate-secret') {
    const grace = Number(form.get('grace'));
    try {
      const rotated = ctx.services.webhooks.endpoints.rotateSecret(merchant.id, params.id ?? '', GRACES.includes(grace as never) ? grace : 86_400);
      return data({ secret: rotated.secret, replayed: null, error: false as const }, { headers: noStore });
    } catch (e) {
      return data({ secret: null, replayed: null, error: true as const }, { status: problemOf(e).status });
    }
  }
  const eventId = String(form.get('eventId') ?? '');
  try {
    await ctx.redeliver(merchant.id, eventId, params.id ?? '');
    return data({ secret: null, replayed: eventId, error: false as const }, { headers: noStore });
  } catch (e) {
    return data({ secret: null, replayed: eventId, error: true as const }, { status: problemOf(e).status });
  }
}

export default function MerchantWebhook() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (loaded.state !== 'ok') {
    return (
      <section className="narrow">
        <h1>{t('notFound.title')}</h1>
        <p>
          <Link to="/merchant/webhooks">{t('webhooks.back')}</Link>
        </p>
      </section>
    );
  }
  const last = loaded.deliveries.at(-1);
  return (
    <section aria-labelledby="deliveries-title">
      <h1 id="deliveries-title">{t('webhooks.logTitle')}</h1>
      <MerchantNav />
      <p className="url-cell">
        <code>{loaded.endpoint.url}</code> ·{' '}
        <span className="badge" data-tone={loaded.endpoint.status === 'enabled' ? 'ok' : 'bad'}>
          {t(`webhooks.states.${loaded.endpoint.status}`)}
        </span>
      </p>
      <p>
        <Link to="/merchant/webhooks">{t('webhooks.back')}</Link> · <Link to={`/merchant/webhooks/${loaded.endpoint.id}`}>{t('webhooks.refresh')}</Link>
      </p>
      {acted?.secret ? <OnceSecret label={t('webhooks.rotatedSecret')} value={acted.secret} note={t('webhooks.secretOnce')} /> : null}
      <p role="status" className={acted?.error ? 'notice problem' : acted?.replayed ? 'notice success' : undefined} data-testid="replay-result">
        {acted?.replayed ? (acted.error ? t('webhooks.replayFailed') : t('webhooks.replayed', { id: acted.replayed })) : acted?.error ? t('webhooks.errors.notFound') : ''}
      </p>
      {loaded.deliveries.length === 0 ? (
        <p className="muted">{t('webhooks.noDeliveries')}</p>
      ) : (
        <DataTable
          labelledBy="deliveries-title"
          className="deliveries"
          rows={loaded.deliveries}
          rowKey={(d) => d.id}
          rowProps={(d) => ({ 'data-testid': 'delivery-row', 'data-event-id': d.eventId })}
          columns={[
            {
              header: t('webhooks.event'),
              cell: (d) => (
                <div>
                  <code>{d.eventType}</code>
                  <div className="muted">
                    <code>{d.eventId}</code>
                  </div>
                </div>
              ),
            },
            {
              header: t('webhooks.state'),
              cell: (d) => (
                <span className="badge" data-testid="delivery-status" data-tone={d.status === 'succeeded' ? 'ok' : d.status === 'pending' ? undefined : 'bad'}>
                  {t(`webhooks.deliveryStates.${d.status}`)}
                </span>
              ),
            },
            {
              header: t('webhooks.attempts'),
              cell: (d) =>
                d.attemptLog.length === 0 ? (
                  '—'
                ) : (
                  <ol className="attempts" data-testid="attempt-log">
                    {d.attemptLog.map((a) => (
                      <li key={`${a.generation}-${a.attempt}`}>
                        {instant(lang, a.startedAt)}: {a.statusCode !== null ? t('webhooks.http', { code: a.statusCode }) : t('webhooks.noAnswer')} ·{' '}
                        {t('webhooks.latency', { ms: a.latencyMs })}
                        {a.error && a.statusCode === null ? <span className="muted"> ({a.error})</span> : null}
                      </li>
                    ))}
                  </ol>
                ),
            },
            { header: t('webhooks.nextRetry'), cell: (d) => (d.nextAttemptAt ? instant(lang, d.nextAttemptAt) : '—') },
            {
              header: t('keys.actions'),
              cell: (d) => (
                <Form method="post">
                  <input type="hidden" name="intent" value="replay" />
                  <input type="hidden" name="eventId" value={d.eventId} />
                  <button
                    type="submit"
                    className="secondary small"
                    disabled={loaded.endpoint.status !== 'enabled' || navigation.state === 'submitting'}
                    aria-label={t('webhooks.replayOf', { type: d.eventType, id: d.eventId })}
                  >
                    {t('webhooks.replay')}
                  </button>
                </Form>
              ),
            },
          ]}
        />
      )}
      {loaded.hasMore && last ? (
        <p>
          <Link to={`/merchant/webhooks/${loaded.endpoint.id}?after=${last.id}`}>{t('webhooks.older')}</Link>
        </p>
      ) : null}
      <h2 id="secret-title">{t('webhooks.secretTitle')}</h2>
      <p className="muted">
        {loaded.endpoint.previousSecretExpiresAt ? t('webhooks.previousSecretUntil', { at: instant(lang, loaded.endpoint.previousSecretExpiresAt) }) : t('webhooks.secretIntro')}
      </p>
      <Form method="post" className="row-actions" aria-labelledby="secret-title">
        <input type="hidden" name="intent" value="rotate-secret" />
        <label htmlFor="f-secret-grace">{t('webhooks.secretGrace')}</label>
        <select id="f-secret-grace" name="grace" defaultValue="86400">
          {GRACES.map((g) => (
            <option key={g} value={g}>
              {t(`keys.grace.${g}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary small">
          {t('webhooks.rotateSecret')}
        </button>
      </Form>
    </section>
  );
}
