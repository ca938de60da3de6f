// /models: the marketplace of decision models, as the marketplace service lists them (the same
// service GET /v1/models and /v1/models/:id read): shipped and registered models, each with its
// jurisdiction, version, creator, price and royalty, status, public evaluation and hashes, and
// how to re-verify it against this service.
import { useLoaderData, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { ether } from '../lib/format.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — decision models' }];

interface Evaluation {
  cases?: number;
  agreed?: number;
  sha256?: string;
  byNote?: Record<string, { cases: number; agreed: number }>;
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const views = await ctx.market.list();
  // One jurisdiction's models side by side (in the service's order: shipped first, then by registration).
  const order = [...new Set(views.map((v) => v.jurisdiction))];
  const sorted = views.map((v, i) => ({ v, i })).sort((a, b) => order.indexOf(a.v.jurisdiction) - order.indexOf(b.v.jurisdiction) || a.i - b.i);
  const models = await Promise.all(
    sorted.map(async ({ v }) => {
      const { card } = await ctx.market.get(v.id);
      // A registered card's evaluation was checked equal to the one the service measured (market/measure.ts).
      const e = card.evaluation as Evaluation;
      return {
        id: v.id,
        ref: v.ref,
        name: v.name,
        version: v.version,
        jurisdiction: v.jurisdiction,
        featurizer: v.featurizer,
        sha256: v.sha256,
        modelRoot: v.modelRoot,
        steps: v.steps,
        classes: card.classes.length,
        price: v.price,
        royaltyBps: v.royaltyBps,
        status: v.status,
        source: v.source,
        creator: v.creator,
        isDefault: v.default,
        evaluation: { cases: e.cases ?? 0, agreed: e.agreed ?? 0, sha256: e.sha256 ?? '', byNote: e.byNote ?? {} },
      };
    }),
  );
  return { api: new URL(request.url).origin, models };
}

export default function Models() {
  const { api, models } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const pct = (agreed: number, cases: number) => (cases ? new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(agreed / cases) : '—');
  const share = (bps: number) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000);
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">{t('models.title')}</h1>
      <p className="lede">{t('models.lede')}</p>
      {models.length === 0 ? <p>{t('models.none')}</p> : null}
      <ul className="cards">
        {models.map((m) => {
          const path = `/v1/models/${m.id}`;
          const jurisdiction = t(`jurisdictions.${m.jurisdiction}`, { defaultValue: m.jurisdiction });
          return (
            <li key={m.id} className="panel model" aria-labelledby={`model-${m.id}`} data-model={m.ref}>
              <h2 id={`model-${m.id}`}>
                <span>{`${jurisdiction} · ${m.name}`}</span> <span className="version">{`v${m.version}`}</span>
              </h2>
              <p className="badges">
                <span className="badge" data-tone={m.status === 'approved' ? 'ok' : 'bad'}>
                  {t(`models.status.${m.status}`)}
                </span>{' '}
                {m.isDefault ? <span className="badge">{t('models.default', { jurisdiction })}</span> : null}
              </p>
              <dl className="facts">
                <dt>{t('models.id')}</dt>
                <dd>
                  <code>{m.ref}</code>
                  <code className="hash small block">{m.id}</code>
                </dd>
                <dt>{t('models.creator')}</dt>
                <dd>{m.source === 'shipped' || !m.creator ? t('models.shipped') : <code className="hash">{m.creator}</code>}</dd>
                <dt>{t('models.price')}</dt>
                <dd data-testid="price">{ether(lang, m.price)}</dd>
                <dt>{t('models.royalty')}</dt>
                <dd>{t('models.royaltyValue', { share: share(m.royaltyBps) })}</dd>
                <dt>{t('models.evaluation')}</dt>
                <dd>
                  {t('models.agreed', { agreed: m.evaluation.agreed, cases: m.evaluation.cases, pct: pct(m.evaluation.agreed, m.evaluation.cases) })}
                  {Object.entries(m.evaluation.byNote).map(([note, r]) => (
                    <span key={note} className="small block">
                      {t(`models.note.${note}`, { defaultValue: note })}: {r.agreed}/{r.cases}
                    </span>
                  ))}
                </dd>
                <dt>{t('models.evaluationSet')}</dt>
                <dd>
                  <code className="hash">{m.evaluation.sha256}</code>
                </dd>
                <dt>{t('models.steps')}</dt>
                <dd>{t('models.stepsValue', { steps: m.steps, classes: m.classes, featurizer: m.featurizer })}</dd>
                <dt>{t('models.fileHash')}</dt>
                <dd>
                  <code className="hash">{m.sha256}</code>
                </dd>
                <dt>{t('models.root')}</dt>
                <dd>
                  <code className="hash">{m.modelRoot}</code>
                </dd>
              </dl>
              <p className="small">{t('models.verify')}</p>
              <pre className="cmd">
                <code>{`npx arbiter model verify ${m.ref} --api ${api}`}</code>
              </pre>
              <p className="small">
                {t('models.api')} <a href={path}>{t('models.cardLink')}</a> · <a href={`${path}/evaluation`}>{t('models.evaluationLink')}</a> · <a href={`${path}/onnx`}>{t('models.fileLink')}</a>
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
