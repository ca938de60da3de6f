// /arbitrator/case/:id: one case's full verdict trail for the signed-in arbitrator (the trail
// service behind GET /v1/cases/:id/trail: record and hash, model card, each node's commitment and
// reveal, the dispute game as a picture), its timeline, and, when the case waits for a level-2
// ruling, the ruling form: the output class from the model card's classes and a written reason
// (the appeal service's rule(), as POST /v1/cases/:id/ruling; its keccak256 goes on chain).
import { useEffect } from 'react';
import { data, Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { arbitratorFrom } from '../lib/arbitrator-session.server.js';
import { readTrail, toTrailView } from '../lib/trail-view.js';
import { detectLang } from '../i18n/detect.server.js';
import { localizeExplanation, localizeVerdict, type VerdictLike } from '../i18n/explanations.server.js';
import { TrailPanel } from '../components/trail.js';
import { TimelinePanel, VerdictPanel } from '../components/case-parts.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — arbitrator: case' }, { name: 'robots', content: 'noindex' }];

const TERMINAL = ['paid', 'rejected', 'withdrawn', 'final'];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const arbitrator = arbitratorFrom(request, ctx);
  const headers = { 'Cache-Control': 'no-store' };
  if (!arbitrator) return data({ state: 'signed-out' as const }, { status: 401, headers });
  let view;
  try {
    view = ctx.services.cases.get(params.id ?? '', arbitrator);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return data({ state: 'not-found' as const }, { status: 404, headers });
    throw e;
  }
  const timeline = ctx.services.cases.timeline(view.id, arbitrator);
  const raw = readTrail(() => ctx.pipeline.trails.trail(view.id, arbitrator));
  const trail = raw ? toTrailView(raw) : null;
  const lang = await detectLang(request);
  const appeal = ctx.pipeline.appeals.get(view.id, arbitrator);
  // The trail carries the case's card, a registered (marketplace) model's included: the ruling form lists its classes.
  const card = trail ? (ctx.modelCards().find((c) => `${c.id}@${c.version}` === trail.model.ref) ?? ((raw?.model.card ?? undefined) as ReturnType<WebContext['modelCards']>[number] | undefined)) : undefined;
  const submitted = timeline.filter((e) => e.type === 'ruling_submitted').at(-1);
  const record = view.record;
  return data(
    {
      state: 'ok' as const,
      id: view.id,
      status: view.status,
      kind: view.kind,
      jurisdiction: view.jurisdiction,
      claimant: record.claimant.name,
      respondent: record.respondent.name ?? null,
      narrative: record.narrative ?? null,
      level: appeal.level,
      awaitingRuling: view.status === 'appealed' && appeal.level >= 2 && !submitted,
      submitted: submitted ? { output: Number((submitted.data as { output?: number }).output), reason: String((submitted.data as { reason?: string }).reason ?? '') } : null,
      verdict: raw?.verdict ? localizeVerdict(raw.verdict as VerdictLike & Record<string, unknown>, lang) : null,
      classes: (card?.classes ?? []).map((c) => ({ index: c.index, outcome: c.outcome, explanation: localizeExplanation(c.explanation, lang), grounds: c.grounds })),
      trail,
      timeline: timeline.map((e) => ({ id: e.id, type: e.type, at: e.createdAt })),
    },
    { headers },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const arbitrator = arbitratorFrom(request, ctx);
  if (!arbitrator) return data({ result: 'signed-out' as const, errors: {} as Record<string, true> }, { status: 401 });
  const form = await request.formData();
  const outputText = String(form.get('output') ?? '');
  const reason = String(form.get('reason') ?? '').trim();
  const errors: Record<string, true> = {};
  if (!/^\d+$/.test(outputText)) errors.output = true;
  if (!reason) errors.reason = true;
  if (reason.length > 20_000) errors.reason = true;
  if (Object.keys(errors).length) return data({ result: 'invalid' as const, errors }, { status: 400 });
  try {
    await ctx.pipeline.appeals.rule(params.id ?? '', arbitrator, Number(outputText), reason);
    return { result: 'ruled' as const, errors: {} as Record<string, true> };
  } catch (e) {
    const p = e as { status?: number; errors?: { pointer?: string }[] };
    if (p.status === 400) {
      for (const x of p.errors ?? []) errors[(x.pointer ?? '/output').slice(1) || 'output'] = true;
      return data({ result: 'invalid' as const, errors }, { status: 400 });
    }
    if (p.status === 409 || p.status === 404) return data({ result: 'conflict' as const, errors }, { status: p.status });
    throw e;
  }
}

export default function ArbitratorCase() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t } = useTranslation();
  const moving = loaded.state === 'ok' && !TERMINAL.includes(loaded.status);
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') void revalidator.revalidate();
    }, 4000);
    return () => clearInterval(timer);
  }, [moving, revalidator]);

  if (loaded.state !== 'ok') {
    return (
      <section className="narrow">
        <h1>{loaded.state === 'signed-out' ? t('arbitrator.signInTitle') : t('notFound.title')}</h1>
        <p>
          <Link to="/arbitrator">{t('arbitrator.back')}</Link>
        </p>
      </section>
    );
  }
  const errors = acted?.errors ?? {};
  return (
    <section className="case" aria-labelledby="arb-case-title">
      <p>
        <Link to="/arbitrator">{t('arbitrator.back')}</Link>
      </p>
      <h1 id="arb-case-title">{t('arbitrator.caseTitle', { claimant: loaded.claimant, respondent: loaded.respondent ?? '—' })}</h1>
      <p className="meta">
        {t(`kinds.${loaded.kind}`)} · {t(`jurisdictions.${loaded.jurisdiction}`)} · <code className="hash">{loaded.id}</code>
      </p>
      <div className="status-card" data-status={loaded.status}>
        <p className="label">{t('case.status')}</p>
        <p className="value" data-testid="case-status">
          {t(`status.${loaded.status}.label`)}
        </p>
        <p>{t('arbitrator.levelReached', { level: loaded.level })}</p>
      </div>

      <div className="grid">
        <VerdictPanel titleId="arb-verdict-title" title={t('arbitrator.committeeVerdict')} verdict={loaded.verdict} />
        <article className="panel" aria-labelledby="ruling-title">
          <h2 id="ruling-title">{t('arbitrator.ruling')}</h2>
          {loaded.submitted || acted?.result === 'ruled' ? (
            <div className="notice success" role="status" data-testid="ruling-submitted">
              <p>{t('arbitrator.submitted')}</p>
              {loaded.submitted ? <p className="small">{loaded.submitted.reason}</p> : null}
            </div>
          ) : loaded.awaitingRuling ? (
            <Form method="post" className="claim-form">
              <div className="field" data-invalid={errors.output ? 'true' : undefined}>
                <label htmlFor="f-output">{t('arbitrator.output')}</label>
                <select id="f-output" name="output" required defaultValue="" aria-invalid={errors.output ? true : undefined} aria-describedby="f-output-error">
                  <option value="" disabled>
                    {t('arbitrator.choose')}
                  </option>
                  {loaded.classes.map((c) => (
                    <option key={c.index} value={c.index}>
                      {t('arbitrator.classLabel', { index: c.index, outcome: t(`arbitrator.outcome.${c.outcome}`) })} — {c.explanation}
                    </option>
                  ))}
                </select>
                <p className="error" id="f-output-error">
                  {errors.output ? t('arbitrator.outputError') : ''}
                </p>
              </div>
              <div className="field" data-invalid={errors.reason ? 'true' : undefined}>
                <label htmlFor="f-reason">{t('arbitrator.reason')}</label>
                <p className="hint" id="f-reason-hint">
                  {t('arbitrator.reasonHint')}
                </p>
                <textarea id="f-reason" name="reason" rows={5} maxLength={20_000} required aria-invalid={errors.reason ? true : undefined} aria-describedby="f-reason-hint f-reason-error" />
                <p className="error" id="f-reason-error">
                  {errors.reason ? t('arbitrator.reasonError') : ''}
                </p>
              </div>
              <p role="status" className="form-status">
                {acted?.result === 'conflict' ? t('arbitrator.conflict') : ''}
              </p>
              <div className="actions">
                <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
                  {t('arbitrator.rule')}
                </button>
              </div>
            </Form>
          ) : (
            <p className="muted">{t('arbitrator.notAwaiting')}</p>
          )}
        </article>
      </div>

      {loaded.narrative ? (
        <article className="panel">
          <h2>{t('merchant.claimantSays')}</h2>
          <p>{loaded.narrative}</p>
        </article>
      ) : null}

      <article className="panel" aria-label={t('trail.title')}>
        {loaded.trail ? <TrailPanel trail={loaded.trail} /> : <p className="muted">{t('trail.notYet')}</p>}
      </article>

      <TimelinePanel titleId="arb-timeline-title" events={loaded.timeline} />
    </section>
  );
}
