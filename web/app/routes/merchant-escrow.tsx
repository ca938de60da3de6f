// /merchant/escrow: the signed-in merchant's escrow account, through the escrow service as that
// merchant (the same calls as GET /v1/merchants/me/escrow, PUT …/escrow/account and POST
// …/escrow/deposits). The on-chain balance, what open cases reserve and what is free; what each
// open case reserves, with the cases whose award is owed but not escrowed flagged; naming the
// account (with the signature it needs, whose text is shown); and a deposit form that answers with
// the transaction to sign (on the embedded chain the dev funder sends it, and the page re-reads
// itself until the balance changes). Errors appear at their fields, from the problem pointers.
// Plain form POSTs: everything but the automatic re-reading works without JavaScript.
import { useEffect, useState } from 'react';
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation, useRevalidator, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { merchantFrom, problemOf } from '../lib/merchant-session.server.js';
import { ether } from '../lib/format.js';
import { weiFromEther } from '../lib/ether-amount.js';
import { MerchantNav } from '../components/merchant-nav.js';
import { DataTable } from '../components/data-table.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — escrow' }, { name: 'robots', content: 'noindex' }];

const noStore = { 'Cache-Control': 'no-store' };
/** How long the page keeps re-reading itself after a deposit the dev funder sends (ms), and how often. */
const WATCH_MS = 120_000;
const WATCH_EVERY_MS = 2_000;
/** Where the address goes in the text the account signs. */
const ADDRESS_SLOT = '<address>';

export function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const view = ctx.escrow.get(merchant.id);
  return data(
    {
      merchantId: merchant.id,
      account: view.account,
      contract: view.contract,
      chainId: view.chainId,
      asOfBlock: view.asOfBlock,
      balance: view.balance,
      reserved: view.reserved,
      free: view.free,
      cases: view.cases,
      message: ctx.escrow.accountMessage(merchant.id, ADDRESS_SLOT),
    },
    { headers: noStore },
  );
}

type Field = 'amount' | 'address' | 'signature';
type Acted =
  | { intent: 'deposit'; deposit: { status: 'to_sign' | 'pending'; amount: string; to: string; data: string; value: string; chainId: string }; balanceBefore: string; at: number }
  | { intent: 'account'; named: string }
  | { intent: string; fieldErrors: Partial<Record<Field, true>>; error?: 'noAccount' | 'noChain' | 'failed'; values: Record<string, string> };

/** The form fields named by a problem's pointers (/amount, /address, /signature). */
function fieldsOf(pointers: string[]): Partial<Record<Field, true>> {
  const out: Partial<Record<Field, true>> = {};
  for (const p of pointers) {
    const f = p.split('/')[1];
    if (f === 'amount' || f === 'address' || f === 'signature') out[f] = true;
  }
  return out;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const merchant = merchantFrom(request, ctx);
  if (!merchant) return redirect('/merchant');
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const text = (name: string) => String(form.get(name) ?? '').trim();
  if (intent === 'deposit') {
    const values = { amount: text('amount') };
    // The page takes ether; the service takes wei. Text that is no amount at all is refused here,
    // at the same pointer the service uses for amounts out of range.
    const wei = weiFromEther(values.amount);
    if (wei === undefined) return data<Acted>({ intent, fieldErrors: { amount: true }, values }, { status: 400 });
    const balanceBefore = ctx.escrow.get(merchant.id).balance;
    try {
      const d = await ctx.escrow.deposit(merchant.id, wei);
      return data<Acted>({ intent, deposit: { status: d.status, amount: d.amount, to: d.to, data: d.data, value: d.value, chainId: d.chainId }, balanceBefore, at: Date.now() }, { headers: noStore });
    } catch (e) {
      const p = problemOf(e);
      const fieldErrors = fieldsOf(p.pointers);
      const error = Object.keys(fieldErrors).length ? undefined : p.status === 503 ? ('noChain' as const) : p.status === 400 ? ('noAccount' as const) : ('failed' as const);
      return data<Acted>({ intent, fieldErrors, ...(error ? { error } : {}), values }, { status: p.status });
    }
  }
  if (intent === 'account') {
    const values = { address: text('address'), signature: text('signature') };
    const missing: Partial<Record<Field, true>> = { ...(values.address ? {} : { address: true }), ...(values.signature ? {} : { signature: true }) };
    if (Object.keys(missing).length) return data<Acted>({ intent, fieldErrors: missing, values }, { status: 400 });
    try {
      const named = ctx.escrow.setAccount(merchant.id, values.address, values.signature);
      return data<Acted>({ intent, named: named.account ?? values.address }, { headers: noStore });
    } catch (e) {
      const p = problemOf(e);
      const fieldErrors = fieldsOf(p.pointers);
      return data<Acted>({ intent, fieldErrors, ...(Object.keys(fieldErrors).length ? {} : { error: 'failed' as const }), values }, { status: p.status });
    }
  }
  return data<Acted>({ intent, fieldErrors: {}, error: 'failed', values: {} }, { status: 400 });
}

export default function MerchantEscrow() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>() as Acted | undefined;
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const busy = navigation.state === 'submitting';
  // The last deposit stays shown while the page re-reads itself (a revalidation drops the action's data).
  const answered = acted && 'deposit' in acted ? acted : undefined;
  const [deposit, setDeposit] = useState(answered);
  useEffect(() => {
    if (answered) setDeposit(answered);
  }, [answered]);
  const failed = acted && 'fieldErrors' in acted ? acted : undefined;
  const depositFailed = failed?.intent === 'deposit' ? failed : undefined;
  const accountFailed = failed?.intent === 'account' ? failed : undefined;
  const pending = deposit?.deposit.status === 'pending';
  const watching = pending && loaded.balance === deposit.balanceBefore;

  // After a deposit the dev funder sends, re-read the page until the balance moves (or give up).
  useEffect(() => {
    if (!watching || !deposit) return;
    const timer = setInterval(() => {
      if (Date.now() - deposit.at > WATCH_MS) clearInterval(timer);
      else if (revalidator.state === 'idle') void revalidator.revalidate();
    }, WATCH_EVERY_MS);
    return () => clearInterval(timer);
  }, [watching, deposit, revalidator]);

  const owed = loaded.cases.filter((c) => c.funding === 'owed_not_escrowed');
  const amountError = depositFailed?.fieldErrors.amount ? t('escrow.errors.amount') : '';
  const addressError = accountFailed?.fieldErrors.address ? t('escrow.errors.address') : '';
  const signatureError = accountFailed?.fieldErrors.signature ? t('escrow.errors.signature') : '';
  return (
    <section aria-labelledby="escrow-title">
      <h1 id="escrow-title">{t('escrow.title')}</h1>
      <MerchantNav />
      <p className="muted">{t('escrow.intro')}</p>

      {loaded.account ? (
        <p>
          {t('escrow.account')} <code className="hash" data-testid="escrow-account">{loaded.account}</code>
        </p>
      ) : (
        <p className="notice" data-testid="escrow-no-account">
          {t('escrow.noAccount')}
        </p>
      )}
      <dl className="figures" data-testid="escrow-figures">
        <div>
          <dt>{t('escrow.balance')}</dt>
          <dd data-testid="escrow-balance">{ether(lang, loaded.balance)}</dd>
        </div>
        <div>
          <dt>{t('escrow.reserved')}</dt>
          <dd data-testid="escrow-reserved">{ether(lang, loaded.reserved)}</dd>
        </div>
        <div>
          <dt>{t('escrow.free')}</dt>
          <dd data-testid="escrow-free">{ether(lang, loaded.free)}</dd>
        </div>
      </dl>
      <p className="small muted">
        {loaded.asOfBlock !== null ? t('escrow.asOf', { block: new Intl.NumberFormat(lang).format(loaded.asOfBlock) }) : t('escrow.noChain')}{' '}
        {loaded.contract ? (
          <>
            {t('escrow.contract')} <code className="hash">{loaded.contract}</code>
          </>
        ) : null}
      </p>

      <h2 id="escrow-cases">{t('escrow.casesTitle')}</h2>
      {owed.length > 0 ? (
        <p className="notice problem" role="note" data-testid="escrow-owed">
          {t('escrow.owedNotice', { count: owed.length })}
        </p>
      ) : null}
      {loaded.cases.length === 0 ? (
        <p className="muted">{t('escrow.noCases')}</p>
      ) : (
        <DataTable
          labelledBy="escrow-cases"
          className="escrow"
          rows={loaded.cases}
          rowKey={(c) => c.caseId}
          rowProps={(c) => ({ 'data-testid': 'escrow-case', 'data-funding': c.funding })}
          columns={[
            { header: t('merchant.case'), cell: (c) => <Link to={`/merchant/case/${c.caseId}`}>{c.caseId}</Link> },
            { header: t('case.status'), cell: (c) => t(`status.${c.status}.label`, { defaultValue: c.status }) },
            {
              header: t('escrow.funding'),
              cell: (c) => (
                <span className="badge" data-tone={c.funding === 'reserved' ? 'ok' : c.funding === 'owed_not_escrowed' ? 'bad' : undefined}>
                  {t(`escrow.fundings.${c.funding}`)}
                </span>
              ),
            },
            { header: t('escrow.caseReserves'), cell: (c) => ether(lang, c.reserved) },
            { header: t('escrow.largestAward'), cell: (c) => ether(lang, c.deposit) },
          ]}
        />
      )}

      <h2 id="escrow-deposit">{t('escrow.depositTitle')}</h2>
      {deposit ? (
        <div className="notice success" role="status" data-testid="escrow-deposit-result">
          <p>
            <strong>{deposit.deposit.status === 'pending' ? t('escrow.depositPending', { amount: ether(lang, deposit.deposit.amount) }) : t('escrow.depositToSign', { amount: ether(lang, deposit.deposit.amount) })}</strong>
          </p>
          <dl className="tx">
            <dt>{t('escrow.txTo')}</dt>
            <dd>
              <code className="hash">{deposit.deposit.to}</code>
            </dd>
            <dt>{t('escrow.txValue')}</dt>
            <dd>
              {ether(lang, deposit.deposit.value)} (<code>{deposit.deposit.value}</code> wei)
            </dd>
            <dt>{t('escrow.txData')}</dt>
            <dd>
              <code className="hash">{deposit.deposit.data}</code>
            </dd>
            <dt>{t('escrow.txChain')}</dt>
            <dd>
              <code>{deposit.deposit.chainId}</code>
            </dd>
          </dl>
          {watching ? <p className="small live">{t('escrow.watching')}</p> : pending ? <p data-testid="escrow-deposit-arrived">{t('escrow.arrived', { balance: ether(lang, loaded.balance) })}</p> : null}
        </div>
      ) : null}
      {depositFailed?.error ? (
        <p className="notice problem" role="alert">
          {t(`escrow.errors.${depositFailed.error}`)}
        </p>
      ) : null}
      <EscrowForm
        labelledBy="escrow-deposit"
        intent="deposit"
        button={t('escrow.depositButton')}
        primary
        disabled={busy || !loaded.account}
        fields={[{ name: 'amount', label: t('escrow.amount'), hint: t('escrow.amountHint'), inputMode: 'decimal', value: depositFailed?.values.amount, error: amountError }]}
      />

      <h2 id="escrow-name">{loaded.account ? t('escrow.renameTitle') : t('escrow.nameTitle')}</h2>
      {acted && 'named' in acted ? (
        <p className="notice success" role="status" data-testid="escrow-named">
          {t('escrow.named', { address: acted.named })}
        </p>
      ) : null}
      {accountFailed?.error ? (
        <p className="notice problem" role="alert">
          {t('escrow.errors.failed')}
        </p>
      ) : null}
      <p>{t('escrow.nameIntro')}</p>
      <p>
        <code className="hash" data-testid="escrow-message">
          {loaded.message}
        </code>
      </p>
      <p className="small muted">{t('escrow.nameHow', { slot: ADDRESS_SLOT })}</p>
      <EscrowForm
        labelledBy="escrow-name"
        intent="account"
        button={t('escrow.nameButton')}
        disabled={busy}
        fields={[
          { name: 'address', label: t('escrow.address'), hex: true, value: accountFailed?.values.address, error: addressError },
          { name: 'signature', label: t('escrow.signature'), hex: true, value: accountFailed?.values.signature, error: signatureError },
        ]}
      />
    </section>
  );
}

interface EscrowField {
  name: Field;
  label: string;
  hint?: string;
  inputMode?: 'decimal';
  /** A 0x… value: no spell checking, a 0x… placeholder. */
  hex?: boolean;
  /** The value sent last time (the action gives it back with the errors). */
  value?: string;
  error: string;
}

/**
 * The page's two forms (a deposit, naming the account): labelled text fields, each with its hint and
 * a line for its error kept under it (no layout shift), posted with the button's intent.
 */
function EscrowForm({ labelledBy, intent, button, primary, disabled, fields }: { labelledBy: string; intent: string; button: string; primary?: boolean; disabled: boolean; fields: EscrowField[] }) {
  return (
    <Form method="post" className="claim-form escrow-form" aria-labelledby={labelledBy} noValidate>
      {fields.map((f) => {
        const id = `f-escrow-${f.name}`;
        return (
          <div key={f.name} className="field" data-invalid={f.error ? 'true' : undefined}>
            <label htmlFor={id}>{f.label}</label>
            {f.hint ? (
              <p className="hint" id={`${id}-hint`}>
                {f.hint}
              </p>
            ) : null}
            <input
              id={id}
              name={f.name}
              type="text"
              inputMode={f.inputMode}
              autoComplete="off"
              spellCheck={f.hex ? false : undefined}
              placeholder={f.hex ? '0x…' : undefined}
              defaultValue={f.value ?? ''}
              aria-invalid={f.error ? true : undefined}
              aria-describedby={f.hint ? `${id}-hint ${id}-error` : `${id}-error`}
            />
            <p className="error" id={`${id}-error`} data-error-for={f.name}>
              {f.error}
            </p>
          </div>
        );
      })}
      <div className="actions">
        <button type="submit" name="intent" value={intent} className={primary ? 'primary' : 'secondary'} disabled={disabled}>
          {button}
        </button>
      </div>
    </Form>
  );
}
