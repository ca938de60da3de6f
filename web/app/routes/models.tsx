// /models: the marketplace of decision models, from the shipped models' cards.
import { useLoaderData, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — decision models' }];

interface Evaluation {
  cases?: number;
  agreed?: number;
  accuracy?: number;
  sha256?: string;
  byNote?: Record<string, { cases: number; agreed: number }>;
}

export function loader({ context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  return {
    models: ctx.modelCards().map((c) => {
      const e = c.evaluation as Evaluation;
      return {
        id: c.id,
        version: c.version,
        jurisdiction: c.jurisdiction,
        kind: c.kind,
        sha256: c.sha256,
        modelRoot: c.modelRoot,
        steps: c.steps,
        classes: c.classes.length,
        featurizer: `${c.featurizer.id}@${c.featurizer.version}`,
        evaluation: { cases: e.cases ?? 0, agreed: e.agreed ?? 0, sha256: e.sha256 ?? '', byNote: e.byNote ?? {} },
      };
    }),
  };
}

export default function Models() {
  const { models } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const pct = (agreed: number, cases: number) =>
    cases ? new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(agreed / cases) : '—';
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">{t('models.title')}</h1>
      <p className="lede">{t('models.lede')}</p>
      <ul className="cards">
        {models.map((m) => (
          <li key={m.id} className="panel model" aria-labelledby={`model-${m.id}`}>
            <h2 id={`model-${m.id}`}>
              {t(`jurisdictions.${m.jurisdiction}`)} <span className="version">v{m.version}</span>
            </h2>
            <dl className="facts">
              <dt>{t('models.id')}</dt>
              <dd>
                <code>
                  {m.id}@{m.version}
                </code>
              </dd>
              <dt>{t('models.creator')}</dt>
              <dd>{t('models.shipped')}</dd>
              <dt>{t('models.price')}</dt>
              <dd>{t('models.priceUnset')}</dd>
              <dt>{t('models.evaluation')}</dt>
              <dd>
                {t('models.agreed', { agreed: m.evaluation.agreed, cases: m.evaluation.cases, pct: pct(m.evaluation.agreed, m.evaluation.cases) })}
                {Object.entries(m.evaluation.byNote).map(([note, r]) => (
                  <span key={note} className="small block">
                    {t(`models.note.${note}`, { defaultValue: note })}: {r.agreed}/{r.cases}
                  </span>
                ))}
              </dd>
              <dt>{t('models.steps')}</dt>
              <dd>{t('models.stepsValue', { steps: m.steps, classes: m.classes })}</dd>
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
              <code>npx arbiter model verify arbitration-models/{m.id}</code>
            </pre>
          </li>
        ))}
      </ul>
    </section>
  );
}
