// /merchant/keys: the signed-in merchant's API keys, by prefix (the keys themselves are stored
// only hashed). Create a key (shown once), rotate one (the old key keeps working for the grace
// chosen) and revoke one, through the merchants service as that merchant. Every action is a plain
// form POST, so it all works without JavaScript. Rotating the key this session uses moves the
// session to the new key; revoking it ends the session.
import { data, Form, redirect, useActionData, useLoaderData, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { merchantCookie, merchantFrom, merchantKeyFrom, problemOf, signedOutCookie } from '../lib/merchant-session.server.js';
import { instant } from '../lib/format.js';
import { MerchantNav, OnceSecret } from '../components/merchant-nav.js';
import { DataTable } from '../components/data-table.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — API keys' }, { name: 'robots', content: 'noindex' }];

/** Grace periods offered when rotating, in seconds (the service allows up to 7 days). */
const GRACES = [0, 3600, 86_400, 7 * 86_400] as const;
const noStore = { 'Cache-Control': 'no-store' };

export function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const current = merchantKeyFrom(request) ?? '';
  const now = Date.now();
  const keys = ctx.services.merchants
    .listKeys(merchant.id)
    .data
    .map((k) => ({
      id: k.id,
      prefix: k.prefix,
      createdAt: k.createdAt,
      expiresAt: k.expiresAt,
      revokedAt: k.revokedAt,
      state: k.revokedAt ? ('revoked' as const) : k.expiresAt && Date.parse(k.expiresAt) <= now ? ('expired' as const) : k.expiresAt ? ('grace' as const) : ('active' as const),
      thisSession: current.startsWith(k.prefix),
    }));
  return data({ keys }, { headers: noStore });
}

type Acted = { intent: 'create' | 'rotate'; apiKey: string; prefix: string; replaced?: string } | { intent: string; error: 'limit' | 'lastKey' | 'notValid' | 'notFound' };

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const keyId = String(form.get('keyId') ?? '');
  const current = merchantKeyFrom(request) ?? '';
  const secure = new URL(request.url).protocol === 'https:';
  try {
    if (intent === 'create') {
      const made = ctx.services.merchants.createKey(merchant.id);
      return data<Acted>({ intent, apiKey: made.apiKey, prefix: made.prefix }, { headers: noStore });
    }
    if (intent === 'rotate') {
      const grace = Number(form.get('grace'));
      const graceSeconds = GRACES.includes(grace as never) ? grace : 86_400;
      const made = ctx.services.merchants.rotateKey(merchant.id, keyId, graceSeconds);
      // The session follows its key: rotating the key in use signs the session in with the new one.
      const headers: HeadersInit = current.startsWith(made.replaced.prefix) ? { ...noStore, 'Set-Cookie': merchantCookie(made.apiKey, secure) } : noStore;
      return data<Acted>({ intent, apiKey: made.apiKey, prefix: made.prefix, replaced: made.replaced.prefix }, { headers });
    }
    if (intent === 'revoke') {
      const revoked = ctx.services.merchants.revokeKey(merchant.id, keyId);
      if (current.startsWith(revoked.prefix)) return redirect('/merchant', { headers: { 'Set-Cookie': signedOutCookie } });
      return redirect('/merchant/keys');
    }
    return data<Acted>({ intent, error: 'notFound' }, { status: 400 });
  } catch (e) {
    const p = problemOf(e);
    const error = p.status === 404 ? 'notFound' : intent === 'create' ? 'limit' : intent === 'revoke' ? 'lastKey' : 'notValid';
    return data<Acted>({ intent, error }, { status: p.status });
  }
}

export default function MerchantKeys() {
  const { keys } = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>() as Acted | undefined;
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const graceLabel = (s: number) => t(`keys.grace.${s}`);
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t('keys.title')}</h1>
      <MerchantNav />
      <p className="muted">{t('keys.intro')}</p>
      {acted && 'apiKey' in acted ? (
        <OnceSecret label={acted.intent === 'rotate' ? t('keys.rotated', { prefix: acted.replaced }) : t('keys.created')} value={acted.apiKey} note={t('merchant.secretOnce')} />
      ) : null}
      {acted && 'error' in acted ? (
        <p className="notice problem" role="alert">
          {t(`keys.errors.${acted.error}`)}
        </p>
      ) : null}
      <Form method="post" className="row-actions">
        <button type="submit" name="intent" value="create" className="primary">
          {t('keys.create')}
        </button>
      </Form>
      <h2 id="keys-list">{t('keys.listTitle')}</h2>
      <DataTable
        labelledBy="keys-list"
        className="keys"
        rows={keys}
        rowKey={(k) => k.id}
        rowProps={(k) => ({ 'data-testid': 'api-key-row', 'data-prefix': k.prefix })}
        columns={[
          {
            header: t('keys.prefix'),
            cell: (k) => (
              <>
                <code>{k.prefix}…</code>
                {k.thisSession ? <span className="muted"> · {t('keys.thisSession')}</span> : null}
              </>
            ),
          },
          {
            header: t('keys.state'),
            cell: (k) => (
              <span className="badge" data-tone={k.state === 'active' ? 'ok' : k.state === 'grace' ? undefined : 'bad'}>
                {k.state === 'grace' && k.expiresAt ? t('keys.states.grace', { at: instant(lang, k.expiresAt) }) : t(`keys.states.${k.state}`)}
              </span>
            ),
          },
          { header: t('keys.createdAt'), cell: (k) => instant(lang, k.createdAt) },
          {
            header: t('keys.actions'),
            cell: (k) =>
              k.state === 'active' || k.state === 'grace' ? (
                <div className="row-actions">
                  {k.state === 'active' ? (
                    <Form method="post">
                      <input type="hidden" name="keyId" value={k.id} />
                      <label htmlFor={`grace-${k.id}`}>{t('keys.graceLabel')}</label>
                      <select id={`grace-${k.id}`} name="grace" defaultValue="86400">
                        {GRACES.map((g) => (
                          <option key={g} value={g}>
                            {graceLabel(g)}
                          </option>
                        ))}
                      </select>
                      <button type="submit" name="intent" value="rotate" className="secondary small" aria-label={t('keys.rotateKey', { prefix: k.prefix })}>
                        {t('keys.rotate')}
                      </button>
                    </Form>
                  ) : null}
                  <Form method="post">
                    <input type="hidden" name="keyId" value={k.id} />
                    <button type="submit" name="intent" value="revoke" className="secondary small danger" aria-label={t('keys.revokeKey', { prefix: k.prefix })}>
                      {t('keys.revoke')}
                    </button>
                  </Form>
                </div>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </section>
  );
}
