// A verdict as a person reads it: who it favours and the award, the plain explanation (already in
// the page's language: explanations.server.ts) and the grounds, as codes of the rules applied.
import { useTranslation } from 'react-i18next';
import { money } from '../lib/format.js';

export interface VerdictTextProps {
  verdict: { outcome: string; award: { amount: number; currency: string } | null; explanation: string; grounds: string[]; model?: { id: string } };
}

export function VerdictText({ verdict }: VerdictTextProps) {
  const { t, i18n } = useTranslation();
  return (
    <div data-testid="verdict">
      <p className="headline">
        {verdict.outcome === 'claimant' && verdict.award ? t('case.verdictClaimant', { amount: money(i18n.language, verdict.award.amount, verdict.award.currency) }) : t('case.verdictRespondent')}
      </p>
      <p data-testid="verdict-explanation">{verdict.explanation}</p>
      <p className="small">{t('case.grounds')}</p>
      <ul className="grounds">
        {verdict.grounds.map((g) => (
          <li key={g}>
            <code>{g}</code>
          </li>
        ))}
      </ul>
      {verdict.model ? <p className="small">{t('case.decidedBy', { model: verdict.model.id })}</p> : null}
    </div>
  );
}
