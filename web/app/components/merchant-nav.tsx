// The merchant dashboard's sections: cases, escrow, API keys, webhooks. Plain links (no script needed);
// the current section is marked for screen readers with aria-current.
import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';

export function MerchantNav() {
  const { t } = useTranslation();
  return (
    <nav className="tabs merchant-nav" aria-label={t('merchant.sections')}>
      <NavLink to="/merchant" end>
        {t('merchant.navCases')}
      </NavLink>
      <NavLink to="/merchant/escrow">{t('merchant.navEscrow')}</NavLink>
      <NavLink to="/merchant/keys">{t('merchant.navKeys')}</NavLink>
      <NavLink to="/merchant/webhooks">{t('merchant.navWebhooks')}</NavLink>
    </nav>
  );
}

/** A secret shown once, right after it was made: selectable, with the warning next to it. */
export function OnceSecret({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="notice success secret" role="status">
      <p>
        <strong>{label}</strong>
      </p>
      <p>
        <code className="secret-value" data-testid="once-secret">
          {value}
        </code>
      </p>
      <p>{note}</p>
    </div>
  );
}
