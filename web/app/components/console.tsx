// The two signed-in consoles (the merchant dashboard, the arbitrator console) open the same way:
// a sign-in form taking one secret (an API key, an arbitrator token) whose refusal appears at its
// field, then a title row with the sign-out button. Plain form posts: no script needed.
import { Form } from 'react-router';
import { useTranslation } from 'react-i18next';

export function SignInForm({ titleId, title, body, inputId, name, label, error }: { titleId: string; title: string; body: string; inputId: string; name: string; label: string; error: string }) {
  const { t } = useTranslation();
  return (
    <section className="narrow" aria-labelledby={titleId}>
      <h1 id={titleId}>{title}</h1>
      <p>{body}</p>
      <Form method="post" className="claim-form">
        <div className="field" data-invalid={error ? 'true' : undefined}>
          <label htmlFor={inputId}>{label}</label>
          <input id={inputId} name={name} type="password" autoComplete="off" aria-invalid={error ? true : undefined} aria-describedby={`${inputId}-error`} />
          <p className="error" id={`${inputId}-error`}>
            {error}
          </p>
        </div>
        <div className="actions">
          <button type="submit" name="intent" value="signin" className="primary">
            {t('merchant.signIn')}
          </button>
        </div>
      </Form>
    </section>
  );
}

/** The console's heading with the sign-out button beside it. */
export function ConsoleTitle({ titleId, title }: { titleId: string; title: string }) {
  const { t } = useTranslation();
  return (
    <div className="title-row">
      <h1 id={titleId}>{title}</h1>
      <Form method="post">
        <button type="submit" name="intent" value="signout" className="secondary">
          {t('merchant.signOut')}
        </button>
      </Form>
    </div>
  );
}
