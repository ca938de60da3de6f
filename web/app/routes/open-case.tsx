// /c#<token>: the claimant's private link. The browser sends the fragment in a POST body; without
// JavaScript the claimant pastes the link or code. See lib/case-access.server.ts.
import { useEffect, useRef } from 'react';
import { data, Form, redirect, useActionData, useNavigation, type ActionFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import { caseCookieHeader, tokenFromInput } from '../lib/case-access.server.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — open your case' }, { name: 'referrer', content: 'same-origin' }];

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const form = await request.formData();
  const token = tokenFromInput(String(form.get('link') ?? ''));
  const claimant = token ? ctx.claimantFor(token) : undefined;
  if (!token || !claimant) return data({ error: 'invalid' as const }, { status: 400 });
  return redirect(`/case/${claimant.caseId}`, {
    headers: { 'Set-Cookie': caseCookieHeader(claimant.caseId, token, new URL(request.url).protocol === 'https:') },
  });
}

export default function OpenCase() {
  const { t } = useTranslation();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const hash = window.location.hash.slice(1);
    if (!hash.startsWith('ct_') || !inputRef.current || !formRef.current) return;
    // Take the token out of the address bar before anything else can read or share it.
    window.history.replaceState(null, '', '/c');
    inputRef.current.value = hash;
    formRef.current.requestSubmit();
  }, []);
  const error = acted && 'error' in acted ? t('open.invalid') : '';
  return (
    <section className="narrow">
      <h1>{t('open.title')}</h1>
      <p>{t('open.body')}</p>
      <Form method="post" ref={formRef} className="claim-form">
        <div className="field" data-invalid={error ? 'true' : undefined}>
          <label htmlFor="f-link">{t('open.label')}</label>
          <input id="f-link" name="link" ref={inputRef} autoComplete="off" aria-invalid={error ? true : undefined} aria-describedby="f-link-error" />
          <p className="error" id="f-link-error">
            {error}
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
            {t('open.submit')}
          </button>
        </div>
      </Form>
    </section>
  );
}
