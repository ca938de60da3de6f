// /merchant/webhooks: the signed-in merchant's webhook endpoints, through the webhooks service as
// that merchant (another merchant's endpoint ids answer not found). Create one (its signing secret
// is shown once), enable or disable it, delete it, and open its delivery log. Plain form POSTs:
// everything works without JavaScript.
import { data, Form, Link, redirect, useActionData, useLoaderData, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { merchantFrom, problemOf } from '../lib/merchant-session.server.js';
import { MerchantNav, OnceSecret } from '../components/merchant-nav.js';
import { DataTable } from '../components/data-table.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — webhooks' }, { name: 'robots', content: 'noindex' }];

const noStore = { 'Cache-Control': 'no-store' };

export function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const endpoints = ctx.services.webhooks.endpoints.list(merchant.id).map((e) => ({
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    status: e.status,
    disabledReason: e.disabledReason,
  }));
  return data({ endpoints, eventTypes: [...ctx.webhookEventTypes] }, { headers: noStore });
}

type Acted =
  | { intent: 'create'; secret: string; url: string }
  | { intent: 'create'; fieldErrors: { url?: 'url'; events?: 'events' }; error?: 'limit'; values: { url: string; description: string; events: string[] } }
  | { intent: string; error: 'notFound' };

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const id = String(form.get('endpointId') ?? '');
  const { endpoints } = ctx.services.webhooks;
  if (intent === 'create') {
    const url = String(form.get('url') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    const chosen = form.getAll('events').map(String);
    const events = chosen.includes('*') ? ['*'] : chosen;
    const values = { url, description, events: chosen };
    if (!url || events.length === 0) {
      return data<Acted>({ intent, fieldErrors: { ...(url ? {} : { url: 'url' as const }), ...(events.length ? {} : { events: 'events' as const }) }, values }, { status: 400 });
    }
    try {
      const made = endpoints.create(merchant.id, { url, events, ...(description ? { description } : {}) });
      return data<Acted>({ intent, secret: made.secret, url: made.url }, { headers: noStore });
    } catch (e) {
      const p = problemOf(e);
      const onUrl = p.pointers.some((x) => x.startsWith('/url'));
      const onEvents = p.pointers.some((x) => x.startsWith('/events'));
      return data<Acted>(
        {
          intent,
          fieldErrors: { ...(onUrl ? { url: 'url' as const } : {}), ...(onEvents ? { events: 'events' as const } : {}) },
          ...(onUrl || onEvents ? {} : { error: 'limit' as const }),
          values,
        },
        { status: p.status },
      );
    }
  }
  try {
    if (intent === 'enable' || intent === 'disable') endpoints.update(merchant.id, id, { status: intent === 'enable' ? 'enabled' : 'disabled' });
    else if (intent === 'delete') endpoints.remove(merchant.id, id);
    else return data<Acted>({ intent, error: 'notFound' }, { status: 400 });
  } catch (e) {
    return data<Acted>({ intent, error: 'notFound' }, { status: problemOf(e).status });
  }
  return redirect('/merchant/webhooks');
}

export default function MerchantWebhooks() {
  const { endpoints, eventTypes } = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>() as Acted | undefined;
  const { t } = useTranslation();
  const failed = acted && 'fieldErrors' in acted ? acted : undefined;
  const urlError = failed?.fieldErrors.url ? t('webhooks.errors.url') : '';
  const eventsError = failed?.fieldErrors.events ? t('webhooks.errors.events') : '';
  const chosen = new Set(failed?.values.events ?? ['*']);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t('webhooks.title')}</h1>
      <MerchantNav />
      <p className="muted">{t('webhooks.intro')}</p>
      {acted && 'secret' in acted ? <OnceSecret label={t('webhooks.created', { url: acted.url })} value={acted.secret} note={t('webhooks.secretOnce')} /> : null}
      {acted && 'error' in acted && acted.error ? (
        <p className="notice problem" role="alert">
          {t(`webhooks.errors.${acted.error}`)}
        </p>
      ) : null}

      <h2 id="endpoints-list">{t('webhooks.listTitle')}</h2>
      {endpoints.length === 0 ? (
        <p className="muted">{t('webhooks.none')}</p>
      ) : (
        <DataTable
          labelledBy="endpoints-list"
          className="endpoints"
          rows={endpoints}
          rowKey={(e) => e.id}
          rowProps={() => ({ 'data-testid': 'endpoint-row' })}
          columns={[
            {
              header: t('webhooks.url'),
              cellProps: () => ({ className: 'url-cell' }),
              cell: (e) => (
                <div>
                  <Link to={`/merchant/webhooks/${e.id}`} aria-label={t('webhooks.logOf', { url: e.url })}>
                    {e.url}
                  </Link>
                  {e.description ? <div className="muted">{e.description}</div> : null}
                </div>
              ),
            },
            { header: t('webhooks.events'), cell: (e) => (e.events.includes('*') ? t('webhooks.allEvents') : e.events.join(', ')) },
            {
              header: t('webhooks.state'),
              cell: (e) => (
                <>
                  <span className="badge" data-tone={e.status === 'enabled' ? 'ok' : 'bad'}>
                    {t(`webhooks.states.${e.status}`)}
                  </span>
                  {e.status === 'disabled' ? (
                    <div className="muted">{t(e.disabledReason === 'disabled by the merchant' ? 'webhooks.disabledByYou' : 'webhooks.disabledByFailures')}</div>
                  ) : null}
                </>
              ),
            },
            {
              header: t('keys.actions'),
              cell: (e) => (
                <div className="row-actions">
                  <Form method="post">
                    <input type="hidden" name="endpointId" value={e.id} />
                    <button
                      type="submit"
                      name="intent"
                      value={e.status === 'enabled' ? 'disable' : 'enable'}
                      className="secondary small"
                      aria-label={t(e.status === 'enabled' ? 'webhooks.disableOf' : 'webhooks.enableOf', { url: e.url })}
                    >
                      {t(e.status === 'enabled' ? 'webhooks.disable' : 'webhooks.enable')}
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="endpointId" value={e.id} />
                    <button type="submit" name="intent" value="delete" className="secondary small danger" aria-label={t('webhooks.deleteOf', { url: e.url })}>
                      {t('webhooks.delete')}
                    </button>
                  </Form>
                </div>
              ),
            },
          ]}
        />
      )}

      <h2 id="endpoint-new">{t('webhooks.newTitle')}</h2>
      {/* A new form (fields emptied) after an endpoint was added. */}
      <Form method="post" className="claim-form" aria-labelledby="endpoint-new" noValidate key={acted && 'secret' in acted ? acted.secret : 'new'}>
        <fieldset className="group">
          <div className="field" data-invalid={urlError ? 'true' : undefined}>
            <label htmlFor="f-webhook-url">{t('webhooks.url')}</label>
            <input
              id="f-webhook-url"
              name="url"
              type="url"
              inputMode="url"
              placeholder="https://example.com/arbiter/webhooks"
              defaultValue={failed?.values.url ?? ''}
              aria-invalid={urlError ? true : undefined}
              aria-describedby="f-webhook-url-error"
            />
            <p className="error" id="f-webhook-url-error">
              {urlError}
            </p>
          </div>
          <div className="field">
            <label htmlFor="f-webhook-description">{t('webhooks.description')}</label>
            <input id="f-webhook-description" name="description" type="text" maxLength={500} defaultValue={failed?.values.description ?? ''} />
            <p className="error" />
          </div>
          <fieldset className="field choice" aria-describedby="f-webhook-events-error" data-invalid={eventsError ? 'true' : undefined}>
            <legend>{t('webhooks.events')}</legend>
            <div className="events">
              {['*', ...eventTypes].map((type) => (
                <div className="checkbox" key={type}>
                  <input id={`f-event-${type}`} type="checkbox" name="events" value={type} defaultChecked={chosen.has(type)} />
                  <label htmlFor={`f-event-${type}`}>{type === '*' ? t('webhooks.allEvents') : <code>{type}</code>}</label>
                </div>
              ))}
            </div>
            <p className="error" id="f-webhook-events-error">
              {eventsError}
            </p>
          </fieldset>
          <div className="actions">
            <button type="submit" name="intent" value="create" className="primary">
              {t('webhooks.create')}
            </button>
          </div>
        </fieldset>
      </Form>
    </section>
  );
}
