// The blocks every case page shows the same way (the claimant's case page, the merchant's case,
// the arbitrator's case): the verdict panel and the timeline. One markup, so the three pages say
// the same thing the same way.
import { useTranslation } from 'react-i18next';
import { instant } from '../lib/format.js';
import { VerdictText, type VerdictTextProps } from './verdict-text.js';

/** The verdict, or that there is none yet, under its own heading. */
export function VerdictPanel({ titleId, title, verdict }: { titleId: string; title: string; verdict: VerdictTextProps['verdict'] | null }) {
  const { t } = useTranslation();
  return (
    <article className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {verdict ? <VerdictText verdict={verdict} /> : <p className="muted">{t('case.noVerdict')}</p>}
    </article>
  );
}

/** The case's timeline, oldest first, each event in the reader's words. */
export function TimelinePanel({ titleId, events }: { titleId: string; events: readonly { id: string | number; type: string; at: string }[] }) {
  const { t, i18n } = useTranslation();
  return (
    <article className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('case.timeline')}</h2>
      <ol className="timeline" data-testid="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{instant(i18n.language, e.at)}</time> <span>{t(`events.${e.type}`, { defaultValue: e.type.replaceAll('_', ' ') })}</span>
          </li>
        ))}
      </ol>
    </article>
  );
}
