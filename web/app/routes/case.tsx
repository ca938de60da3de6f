// The claimant's case page, opened through the private link (cookie set by /c or by filing):
// status, timeline, the verdict with its explanation and grounds, award and payout, the payout
// wallet and the appeal terms. It reads the cases service and re-reads it every few seconds while
// the case is moving. Verdict, payout and appeal facts come from the timeline events' data that
// the pipeline writes (verdict_proposed {verdict, appeal}, paid {txHash, …}); absent facts are
// shown as not yet known. The appeal's level, bond and deadline come from the appeal service
// (GET /v1/cases/:id/appeal), shown before anything is paid; the verdict trail from the trail
// service (GET /v1/cases/:id/trail); the claimant appeals and names a payout wallet here, through
// the same services as POST /v1/cases/:id/appeal and /payout-address.
import { useEffect } from 'react';
import {
  data,
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useSearchParams,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { caseTokenFrom, privateLink } from '../lib/case-access.server.js';
import { calendarDate, ether, instant, money, wallTime } from '../lib/format.js';
import { readTrail, toTrailView } from '../lib/trail-view.js';
import { TrailPanel } from '../components/trail.js';
import { TimelinePanel, VerdictPanel } from '../components/case-parts.js';
import { latestVerdict, type Money } from '../lib/case-verdict.server.js';
import { detectLang } from '../i18n/detect.server.js';
import { localizeVerdict } from '../i18n/explanations.server.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — your case' }, { name: 'referrer', content: 'same-origin' }, { name: 'robots', content: 'noindex' }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const TERMINAL = ['paid', 'rejected', 'withdrawn'];
const WITHDRAWABLE = ['filed', 'executing', 'proposed', 'appealed', 're-executing', 'challenged', 'bisecting'];
const STAGES = ['filed', 'executing', 'proposed', 'final', 'paid'] as const;

const isMoney = (v: unknown): v is Money => typeof v === 'object' && v !== null && typeof (v as Money).amount === 'number' && typeof (v as Money).currency === 'string';
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const record0 = (v: { record: { claimant: { wallet?: string | null } } }) => v.record;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const noStore = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' };
  const token = params.id ? caseTokenFrom(request, params.id) : undefined;
  const claimant = token ? ctx.claimantFor(token) : undefined;
  if (!token || !claimant || claimant.caseId !== params.id) {
    return data({ locked: true as const }, { status: 404, headers: noStore });
  }
  const view = ctx.services.cases.get(claimant.caseId, claimant);
  const timeline = ctx.services.cases.timeline(claimant.caseId, claimant);
  const verdict = latestVerdict(timeline);
  let payout: { txHash?: string; amount?: Money; claimable?: boolean } | undefined;
  for (const e of timeline) {
    const d = e.data as Record<string, unknown>;
    if (e.type === 'paid') payout = { txHash: asString(d.txHash), amount: isMoney(d.amount) ? d.amount : undefined, claimable: d.claimable === true };
  }
  const lang = await detectLang(request);
  const appealState = ctx.pipeline.appeals.get(claimant.caseId, claimant);
  const rawTrail = readTrail(() => ctx.pipeline.trails.trail(claimant.caseId, claimant));
  // Owed but not escrowed: the verdict says so, or, before any verdict, the case opened so (timeline).
  const owedNotEscrowed = verdict?.escrow?.status === 'owed_not_escrowed' || timeline.some((e) => e.type === 'award_not_escrowed' || e.type === 'award_owed');
  const claimable = view.status === 'final' && !record0(view).claimant.wallet && timeline.some((e) => e.type === 'award_claimable');
  const url = new URL(request.url);
  const record = view.record;
  const appeal = appealState.open && appealState.bond && appealState.deadline ? { bond: appealState.bond, deadline: appealState.deadline, level: appealState.nextLevel ?? 1 } : null;
  return data(
    {
      locked: false as const,
      id: view.id,
      status: view.status,
      kind: view.kind,
      jurisdiction: view.jurisdiction,
      recordHash: view.recordHash,
      createdAt: view.createdAt,
      wallet: record.claimant.wallet ?? null,
      summary:
        record.kind === 'flight'
          ? {
              kind: 'flight' as const,
              route: record.flight.itinerary.map((l) => l.from).concat(record.flight.itinerary.at(-1)!.to).join(' → '),
              flights: record.flight.flightNumbers.join(', '),
              disruption: record.flight.disruption,
              scheduledArrival: record.flight.scheduledArrival,
              actualArrival: record.flight.actualArrival,
            }
          : {
              kind: 'chargeback' as const,
              amount: record.chargeback.amount,
              transactionDate: record.chargeback.transactionDate,
              merchant: record.respondent.name ?? null,
            },
      evidence: view.evidence.map((e) => ({ id: e.id, filename: e.filename, contentType: e.contentType, sha256: e.sha256 })),
      timeline: timeline.map((e) => ({ id: e.id, type: e.type, toStatus: e.toStatus, at: e.createdAt })),
      verdict: verdict ? localizeVerdict(verdict, lang) : null,
      appeal,
      appealLevel: appealState.level,
      claimable,
      trail: rawTrail ? toTrailView(rawTrail) : null,
      payout: payout ?? null,
      owedNotEscrowed,
      link: privateLink(url.origin, token),
      justFiled: url.searchParams.get('filed') === '1',
      rejectedFiles: Number(url.searchParams.get('rejected') ?? 0) || 0,
    },
    { headers: noStore },
  );
}

/**
 * The claimant's actions on their case: attach more evidence (while filed) and withdraw (before
 * final). Only with the case's own cookie; a POST from another site carries no cookie
 * (SameSite=Lax), and React Router refuses an action whose Origin is not this site (400).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const token = params.id ? caseTokenFrom(request, params.id) : undefined;
  const claimant = token ? ctx.claimantFor(token) : undefined;
  if (!claimant || claimant.caseId !== params.id) return data({ result: 'locked' as const }, { status: 404 });
  const form = await request.formData();
  const intent = form.get('intent');
  try {
    if (intent === 'appeal') {
      await ctx.pipeline.appeals.appeal(claimant.caseId, claimant);
      return { result: 'appealed' as const };
    }
    if (intent === 'payout') {
      const address = String(form.get('address') ?? '').trim();
      if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return data({ result: 'payout-invalid' as const, address }, { status: 400 });
      try {
        const named = await ctx.pipeline.payouts.namePayoutAddress(claimant.caseId, claimant, address);
        return { result: 'payout' as const, address: named.address };
      } catch (e) {
        if ((e as { status?: number }).status === 400) return data({ result: 'payout-invalid' as const, address }, { status: 400 });
        if ((e as { status?: number }).status === 409) return data({ result: 'payout-conflict' as const }, { status: 409 });
        throw e;
      }
    }
    if (intent === 'withdraw') {
      const reason = String(form.get('reason') ?? '').trim().slice(0, 2000);
      ctx.services.cases.withdrawByClaimant(claimant.caseId, claimant, reason || undefined);
      return { result: 'withdrawn' as const };
    }
    if (intent === 'evidence') {
      let added = 0;
      let rejected = 0;
      for (const file of form.getAll('evidence')) {
        if (typeof file === 'string' || file.size === 0) continue;
        try {
          ctx.services.evidence.upload(claimant.caseId, claimant, { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name }, ctx.clientAddress);
          added += 1;
        } catch (e) {
          if ((e as { status?: number }).status === 409) throw e;
          rejected += 1;
        }
      }
      return { result: 'evidence' as const, added, rejected };
    }
  } catch (e) {
    // The case moved on meanwhile (409): say so; the page re-reads its status.
    if ((e as { status?: number }).status === 409) return data({ result: 'conflict' as const }, { status: 409 });
    throw e;
  }
  return data({ result: 'unknown' as const }, { status: 400 });
}

export default function CasePage() {
  const loaded = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const revalidator = useRevalidator();
  const [search] = useSearchParams();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const moving = !loaded.locked && !TERMINAL.includes(loaded.status);

  // Live: re-read the case every 4 s while it is moving and the page is visible.
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') void revalidator.revalidate();
    }, 4000);
    return () => clearInterval(timer);
  }, [moving, revalidator]);

  if (loaded.locked) {
    return (
      <section className="narrow">
        <h1>{t('case.lockedTitle')}</h1>
        <p>{t('case.lockedBody')}</p>
        <p>
          <Link to="/c">{t('case.lockedAction')}</Link>
        </p>
      </section>
    );
  }
  const stage = STAGES.indexOf(loaded.status as (typeof STAGES)[number]);
  return (
    <section className="case" aria-labelledby="case-title">
      {loaded.justFiled || search.get('filed') ? (
        <div className="notice success" role="status">
          <p>
            <strong>{t('case.filedTitle')}</strong> {t('case.filedBody')}
          </p>
          {loaded.rejectedFiles ? <p>{t('case.rejectedFiles', { count: loaded.rejectedFiles })}</p> : null}
        </div>
      ) : null}
      <h1 id="case-title">{t('case.title')}</h1>
      <p className="meta">
        <span>{t(`kinds.${loaded.kind}`)}</span> · <span>{t(`jurisdictions.${loaded.jurisdiction}`)}</span> · <span>{t('case.filedOn', { date: instant(lang, loaded.createdAt) })}</span>
      </p>

      <div className="status-card" data-status={loaded.status}>
        <p className="label">{t('case.status')}</p>
        <p className="value" data-testid="case-status">
          {t(`status.${loaded.status}.label`)}
        </p>
        <p>{t(`status.${loaded.status}.body`)}</p>
        <ol className="progress" aria-label={t('case.progress')}>
          {STAGES.map((s, i) => (
            <li key={s} data-done={stage >= 0 && i <= stage ? 'true' : undefined} aria-current={i === stage ? 'step' : undefined}>
              {t(`status.${s}.label`)}
            </li>
          ))}
        </ol>
        {moving ? <p className="small live">{t('case.live')}</p> : null}
      </div>

      <div className="grid">
        <VerdictPanel titleId="verdict-title" title={t('case.verdict')} verdict={loaded.verdict} />

        <article className="panel" aria-labelledby="payout-title">
          <h2 id="payout-title">{t('case.payout')}</h2>
          {loaded.owedNotEscrowed ? (
            <p className="notice problem" data-testid="owed-not-escrowed">
              {t('case.owedNotEscrowed')}
            </p>
          ) : null}
          {loaded.payout ? (
            <p>
              {loaded.payout.amount ? t('case.paidAmount', { amount: money(lang, loaded.payout.amount.amount, loaded.payout.amount.currency) }) : t('case.paid')}
              {loaded.payout.txHash ? (
                <>
                  {' '}
                  <code className="hash">{loaded.payout.txHash}</code>
                </>
              ) : null}
            </p>
          ) : loaded.claimable || loaded.owedNotEscrowed ? null : (
            <p className="muted">{t('case.noPayout')}</p>
          )}
          <h3>{t('case.wallet')}</h3>
          {loaded.wallet ? <p><code className="hash">{loaded.wallet}</code></p> : <p className="muted">{t('case.noWallet')}</p>}
          {acted?.result === 'payout' ? (
            <p className="notice success" role="status" data-testid="payout-named">
              {t('caseActions.payoutSent', { address: acted.address })}
            </p>
          ) : loaded.claimable ? (
            <Form method="post" className="claim-form" aria-labelledby="claimable-title">
              <h3 id="claimable-title">{t('caseActions.claimableTitle')}</h3>
              <p>{t('caseActions.claimableBody')}</p>
              <div className="field" data-invalid={acted?.result === 'payout-invalid' ? 'true' : undefined}>
                <label htmlFor="f-payout-address">{t('caseActions.payoutAddress')}</label>
                <p className="hint" id="f-payout-address-hint">
                  {t('caseActions.payoutHint')}
                </p>
                <input
                  id="f-payout-address"
                  name="address"
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  defaultValue={acted?.result === 'payout-invalid' ? acted.address : ''}
                  aria-invalid={acted?.result === 'payout-invalid' ? true : undefined}
                  aria-describedby="f-payout-address-hint f-payout-address-error"
                />
                <p className="error" id="f-payout-address-error" data-error-for="address">
                  {acted?.result === 'payout-invalid' ? t('caseActions.payoutError') : acted?.result === 'payout-conflict' ? t('caseActions.payoutConflict') : ''}
                </p>
              </div>
              <div className="actions">
                <button type="submit" name="intent" value="payout" className="primary" disabled={busy}>
                  {t('caseActions.payoutButton')}
                </button>
              </div>
            </Form>
          ) : null}
        </article>

        <article className="panel" aria-labelledby="appeal-title">
          <h2 id="appeal-title">{t('case.appeal')}</h2>
          {acted?.result === 'appealed' ? (
            <p className="notice success" role="status" data-testid="appeal-sent">
              {t('caseActions.appealSent')}
            </p>
          ) : loaded.appeal ? (
            <Form method="post">
              <p data-testid="appeal-terms">
                {t('caseActions.appealOpen', { deadline: instant(lang, loaded.appeal.deadline), bond: ether(lang, loaded.appeal.bond), level: loaded.appeal.level })}
              </p>
              <div className="actions">
                <button type="submit" name="intent" value="appeal" className="secondary" disabled={busy}>
                  {t('caseActions.appealButton', { bond: ether(lang, loaded.appeal.bond) })}
                </button>
              </div>
            </Form>
          ) : (
            // Closed only after level 2 or once final (or ended): a level-1 re-execution, or a dispute game,
            // ends in a verdict proposed again with its own window (and the next level's bond).
            <p className="muted">
              {t(loaded.status === 'proposed' && loaded.appealLevel < 2 ? 'case.appealPending' : loaded.appealLevel >= 2 || loaded.status === 'final' || TERMINAL.includes(loaded.status) ? 'caseActions.appealClosed' : 'case.appealNotOpen')}
            </p>
          )}
        </article>
      </div>

      <article className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('case.facts')}</h2>
        {loaded.summary.kind === 'flight' ? (
          <dl className="facts">
            <dt>{t('case.route')}</dt>
            <dd>{loaded.summary.route}</dd>
            <dt>{t('case.flights')}</dt>
            <dd>{loaded.summary.flights}</dd>
            <dt>{t('case.disruption')}</dt>
            <dd>{t(`disruption.${loaded.summary.disruption}`)}</dd>
            <dt>{t('flight.scheduledArrival')}</dt>
            <dd>{wallTime(lang, loaded.summary.scheduledArrival)}</dd>
            <dt>{t('flight.actualArrival')}</dt>
            <dd>{loaded.summary.actualArrival ? wallTime(lang, loaded.summary.actualArrival) : t('case.didNotTravel')}</dd>
          </dl>
        ) : (
          <dl className="facts">
            <dt>{t('card.merchant')}</dt>
            <dd>{loaded.summary.merchant ?? '—'}</dd>
            <dt>{t('card.amount')}</dt>
            <dd>{money(lang, loaded.summary.amount.amount, loaded.summary.amount.currency)}</dd>
            <dt>{t('card.transactionDate')}</dt>
            <dd>{calendarDate(lang, loaded.summary.transactionDate)}</dd>
          </dl>
        )}
        <p className="small">
          {t('case.recordHash')} <code className="hash">{loaded.recordHash}</code>
        </p>
        {loaded.evidence.length ? (
          <>
            <h3>{t('form.evidence')}</h3>
            <ul className="evidence">
              {loaded.evidence.map((e) => (
                <li key={e.id}>
                  {e.filename ?? e.contentType} <code className="hash">sha256 {e.sha256.slice(0, 16)}…</code>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </article>

      <TimelinePanel titleId="timeline-title" events={loaded.timeline} />

      {loaded.status === 'filed' ? (
        <article className="panel" aria-labelledby="more-evidence-title">
          <h2 id="more-evidence-title">{t('case.moreEvidence')}</h2>
          <Form method="post" encType="multipart/form-data" className="claim-form">
            <div className="field">
              <label htmlFor="f-more-evidence">{t('form.evidenceFiles')}</label>
              <p className="hint" id="f-more-evidence-hint">
                {t('case.moreEvidenceHint')}
              </p>
              <input id="f-more-evidence" type="file" name="evidence" multiple aria-describedby="f-more-evidence-hint f-more-evidence-result" />
            </div>
            <p id="f-more-evidence-result" role="status" className="form-status ok">
              {acted && 'added' in acted ? t('case.evidenceResult', { added: acted.added, rejected: acted.rejected }) : ''}
            </p>
            <div className="actions">
              <button type="submit" name="intent" value="evidence" className="secondary" disabled={busy}>
                {t('case.attach')}
              </button>
            </div>
          </Form>
        </article>
      ) : null}

      {WITHDRAWABLE.includes(loaded.status) ? (
        <details className="panel">
          <summary>{t('case.withdrawTitle')}</summary>
          <Form method="post" className="claim-form">
            <p>{t('case.withdrawBody')}</p>
            <div className="field">
              <label htmlFor="f-withdraw-reason">{t('case.withdrawReason')}</label>
              <textarea id="f-withdraw-reason" name="reason" rows={2} maxLength={2000} />
            </div>
            <div className="actions">
              <button type="submit" name="intent" value="withdraw" className="secondary" disabled={busy}>
                {t('case.withdraw')}
              </button>
            </div>
          </Form>
        </details>
      ) : null}
      {loaded.trail ? (
        <details className="panel" data-testid="trail-details">
          <summary>{t('trail.show')}</summary>
          <TrailPanel trail={loaded.trail} headingLevel={3} />
        </details>
      ) : null}

      {acted && acted.result === 'conflict' ? (
        <p className="notice" role="alert">
          {t('case.conflict')}
        </p>
      ) : null}

      <details className="panel link-box">
        <summary>{t('case.linkTitle')}</summary>
        <p>{t('case.linkBody')}</p>
        <p>
          <code className="hash" data-testid="private-link">
            {loaded.link}
          </code>
        </p>
      </details>
    </section>
  );
}
