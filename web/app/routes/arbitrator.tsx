// /arbitrator: the arbitrator console. Sign in with the arbitrator token the admin created; then
// the queue: cases waiting for a ruling (appealed to level 2) and cases in a level-1
// re-execution (or the dispute game it led to), read through the cases service as the arbitrator (who may read every case), and a
// field to open any case's trail by its id.
import { data, Form, Link, redirect, useActionData, useLoaderData, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { arbitratorCookie, arbitratorFrom, arbitratorSignedOutCookie } from '../lib/arbitrator-session.server.js';
import { instant } from '../lib/format.js';
import { DataTable } from '../components/data-table.js';
import { ConsoleTitle, SignInForm } from '../components/console.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — arbitrator console' }, { name: 'robots', content: 'noindex' }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const arbitrator = arbitratorFrom(request, ctx);
  const headers = { 'Cache-Control': 'no-store' };
  if (!arbitrator) return data({ signedIn: false as const }, { headers });
  const row = (c: ReturnType<WebContext['services']['cases']['list']>['data'][number]) => ({
    id: c.id,
    status: c.status,
    kind: c.kind,
    jurisdiction: c.jurisdiction,
    summary: c.record.kind === 'flight' ? c.record.flight.flightNumbers.join(', ') : (c.record.respondent.name ?? c.record.chargeback.reasonCode),
    level: ctx.pipeline.appeals.get(c.id, arbitrator).level,
    updatedAt: c.updatedAt,
  });
  const waiting = ctx.services.cases.list({ limit: 100, status: 'appealed' }, arbitrator).data.map(row);
  // Being re-checked: re-executing at level 1, or in a dispute game the re-execution led to.
  const reexecuting = (['re-executing', 'challenged', 'bisecting'] as const)
    .flatMap((status) => ctx.services.cases.list({ limit: 100, status }, arbitrator).data.map(row))
    .filter((c) => c.status === 're-executing' || c.level >= 1);
  return data({ signedIn: true as const, waiting: waiting.filter((c) => c.level >= 2), appealed: [...waiting.filter((c) => c.level < 2), ...reexecuting] }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'signout') return redirect('/arbitrator', { headers: { 'Set-Cookie': arbitratorSignedOutCookie } });
  if (intent === 'open') {
    const id = String(form.get('caseId') ?? '').trim();
    if (!/^cs_[0-9a-f]{28}$/.test(id)) return data({ error: 'caseId' as const }, { status: 400 });
    return redirect(`/arbitrator/case/${id}`);
  }
  const token = String(form.get('token') ?? '').trim();
  if (!token || !ctx.arbitratorFor(token)) return data({ error: 'token' as const }, { status: 400 });
  return redirect('/arbitrator', { headers: { 'Set-Cookie': arbitratorCookie(token, new URL(request.url).protocol === 'https:') } });
}

type Row = { id: string; status: string; jurisdiction: string; summary: string; level: number; updatedAt: string };

/** One queue: the cases, each linked to its page, under the heading `labelledBy` names. */
function Queue({ rows, labelledBy, testId }: { rows: Row[]; labelledBy: string; testId: string }) {
  const { t, i18n } = useTranslation();
  if (!rows.length) return <p className="muted">{t('arbitrator.empty')}</p>;
  return (
    <DataTable
      labelledBy={labelledBy}
      rows={rows}
      rowKey={(c) => c.id}
      tableProps={{ 'data-testid': testId }}
      columns={[
        {
          header: t('merchant.case'),
          cell: (c) => (
            <>
              <Link to={`/arbitrator/case/${c.id}`}>
                {t(`jurisdictions.${c.jurisdiction}`)} · {c.summary}
              </Link>{' '}
              <code className="hash">{c.id}</code>
            </>
          ),
        },
        { header: t('case.status'), cell: (c) => t(`status.${c.status}.label`) },
        { header: t('arbitrator.level'), cell: (c) => c.level },
        { header: t('arbitrator.updated'), cell: (c) => instant(i18n.language, c.updatedAt) },
      ]}
    />
  );
}

export default function ArbitratorConsole() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const { t } = useTranslation();
  if (!loaded.signedIn) {
    const error = acted?.error === 'token' ? t('arbitrator.invalidToken') : '';
    return <SignInForm titleId="arb-title" title={t('arbitrator.signInTitle')} body={t('arbitrator.signInBody')} inputId="f-arb-token" name="token" label={t('arbitrator.token')} error={error} />;
  }
  const openError = acted?.error === 'caseId' ? t('arbitrator.invalidCaseId') : '';
  return (
    <section aria-labelledby="arb-title">
      <ConsoleTitle titleId="arb-title" title={t('arbitrator.title')} />
      <h2 id="arb-waiting">{t('arbitrator.waiting')}</h2>
      <p className="small">{t('arbitrator.waitingBody')}</p>
      <Queue rows={loaded.waiting} labelledBy="arb-waiting" testId="queue-waiting" />
      <h2 id="arb-appealed">{t('arbitrator.appealed')}</h2>
      <Queue rows={loaded.appealed} labelledBy="arb-appealed" testId="queue-appealed" />
      <h2>{t('arbitrator.open')}</h2>
      <Form method="post" className="filters">
        <div className="field" data-invalid={openError ? 'true' : undefined}>
          <label htmlFor="f-open-case">{t('arbitrator.caseId')}</label>
          <input id="f-open-case" name="caseId" type="text" autoComplete="off" spellCheck={false} aria-invalid={openError ? true : undefined} aria-describedby="f-open-case-error" />
          <p className="error" id="f-open-case-error">
            {openError}
          </p>
        </div>
        <button type="submit" name="intent" value="open" className="secondary">
          {t('arbitrator.openButton')}
        </button>
      </Form>
    </section>
  );
}
