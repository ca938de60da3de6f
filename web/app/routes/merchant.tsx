// /merchant: the merchant dashboard. Sign in with the API key; then the cases against the
// merchant, newest first, with filters (status, kind) and pages, read through the cases service
// as that merchant (it sees its own cases only).
import { data, Form, Link, redirect, useActionData, useLoaderData, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { merchantCookie, merchantKeyFrom, signedOutCookie } from '../lib/merchant-session.server.js';
import { ether, instant, money } from '../lib/format.js';
import { MerchantNav } from '../components/merchant-nav.js';
import { DataTable } from '../components/data-table.js';
import { ConsoleTitle, SignInForm } from '../components/console.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — merchant dashboard' }, { name: 'robots', content: 'noindex' }];

const STATUSES = ['filed', 'executing', 'proposed', 'appealed', 're-executing', 'challenged', 'bisecting', 'final', 'paid', 'rejected', 'withdrawn'] as const;

export function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const key = merchantKeyFrom(request);
  const merchant = key ? ctx.merchantFor(key) : undefined;
  const headers = { 'Cache-Control': 'no-store' };
  if (!merchant) return data({ signedIn: false as const }, { headers });
  const url = new URL(request.url);
  const status = url.searchParams.get('status') ?? '';
  const kind = url.searchParams.get('kind') ?? '';
  const after = url.searchParams.get('after') ?? '';
  const list = ctx.services.cases.list(
    {
      limit: 20,
      ...(STATUSES.includes(status as never) ? { status: status as (typeof STATUSES)[number] } : {}),
      ...(kind === 'flight' || kind === 'chargeback' ? { kind } : {}),
      ...(/^cs_[0-9a-f]+$/.test(after) ? { starting_after: after } : {}),
    },
    merchant,
  );
  return data(
    {
      signedIn: true as const,
      name: ctx.services.merchants.find(merchant.id)?.name ?? merchant.id,
      escrow: escrowSummary(ctx, merchant.id),
      filters: { status, kind },
      hasMore: list.has_more,
      cases: list.data.map((c) => ({
        id: c.id,
        status: c.status,
        kind: c.kind,
        jurisdiction: c.jurisdiction,
        claimant: c.record.claimant.name,
        amount: c.record.kind === 'chargeback' ? c.record.chargeback.amount : c.record.flight.fare ?? null,
        summary: c.record.kind === 'flight' ? c.record.flight.flightNumbers.join(', ') : c.record.chargeback.reasonCode,
        createdAt: c.createdAt,
      })),
    },
    { headers },
  );
}

/** The escrow line at the top of the dashboard: what is free of the balance, and the cases owed but not escrowed. */
function escrowSummary(ctx: WebContext, merchantId: string) {
  const e = ctx.escrow.get(merchantId);
  return { account: e.account, balance: e.balance, free: e.free, owed: e.cases.filter((c) => c.funding === 'owed_not_escrowed').length };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const form = await request.formData();
  if (form.get('intent') === 'signout') return redirect('/merchant', { headers: { 'Set-Cookie': signedOutCookie } });
  const key = String(form.get('apiKey') ?? '').trim();
  if (!key || !ctx.merchantFor(key)) return data({ error: true }, { status: 400 });
  return redirect('/merchant', { headers: { 'Set-Cookie': merchantCookie(key, new URL(request.url).protocol === 'https:') } });
}

export default function MerchantDashboard() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (!loaded.signedIn) {
    const error = acted?.error ? t('merchant.invalidKey') : '';
    return <SignInForm titleId="merchant-title" title={t('merchant.signInTitle')} body={t('merchant.signInBody')} inputId="f-api-key" name="apiKey" label={t('merchant.apiKey')} error={error} />;
  }
  const last = loaded.cases.at(-1);
  return (
    <section aria-labelledby="merchant-title">
      <ConsoleTitle titleId="merchant-title" title={t('merchant.title', { name: loaded.name })} />
      <MerchantNav />
      <p data-testid="escrow-summary" className={loaded.escrow.owed ? 'notice problem' : undefined}>
        {loaded.escrow.account ? t('escrow.summary', { free: ether(lang, loaded.escrow.free), balance: ether(lang, loaded.escrow.balance) }) : t('escrow.summaryNoAccount')}{' '}
        {loaded.escrow.owed ? t('escrow.summaryOwed', { count: loaded.escrow.owed }) + ' ' : ''}
        <Link to="/merchant/escrow">{t('escrow.details')}</Link>
      </p>
      <Form method="get" className="filters" aria-label={t('merchant.filters')}>
        <div className="field">
          <label htmlFor="f-status">{t('case.status')}</label>
          <select id="f-status" name="status" defaultValue={loaded.filters.status}>
            <option value="">{t('merchant.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}.label`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-kind">{t('merchant.kind')}</label>
          <select id="f-kind" name="kind" defaultValue={loaded.filters.kind}>
            <option value="">{t('merchant.any')}</option>
            <option value="flight">{t('kinds.flight')}</option>
            <option value="chargeback">{t('kinds.chargeback')}</option>
          </select>
        </div>
        <button type="submit" className="secondary">
          {t('merchant.apply')}
        </button>
      </Form>
      {loaded.cases.length === 0 ? (
        <p className="muted">{t('merchant.none')}</p>
      ) : (
        <DataTable
          labelledBy="merchant-title"
          rows={loaded.cases}
          rowKey={(c) => c.id}
          columns={[
            {
              header: t('merchant.case'),
              cell: (c) => (
                <Link to={`/merchant/case/${c.id}`}>
                  {t(`jurisdictions.${c.jurisdiction}`)} · {c.summary}
                </Link>
              ),
            },
            { header: t('case.status'), cell: (c) => t(`status.${c.status}.label`), cellProps: () => ({ 'data-testid': 'merchant-case-status' }) },
            { header: t('merchant.claimant'), cell: (c) => c.claimant },
            { header: t('merchant.amount'), cell: (c) => (c.amount ? money(lang, c.amount.amount, c.amount.currency) : '—') },
            { header: t('merchant.filed'), cell: (c) => instant(lang, c.createdAt) },
          ]}
        />
      )}
      {loaded.hasMore && last ? (
        <p>
          <Link to={`/merchant?${new URLSearchParams({ ...loaded.filters, after: last.id }).toString()}`}>{t('merchant.older')}</Link>
        </p>
      ) : null}
    </section>
  );
}
