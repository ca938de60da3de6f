import { useMemo } from 'react';
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
  type LinksFunction,
  type LoaderFunctionArgs,
  type ShouldRevalidateFunction,
} from 'react-router';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { catalogs } from './i18n/catalogs.server.js';
import { detectLang } from './i18n/detect.server.js';
import { createI18n } from './i18n/instance.js';
import { languages, type Lang } from './i18n/languages.js';
import stylesheet from './styles/app.css?url';
import './context.js';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22%3E%3Ccircle cx=%228%22 cy=%228%22 r=%227%22 fill=%22%231f4e5f%22/%3E%3C/svg%3E' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = await detectLang(request);
  return { lang, messages: catalogs[lang] };
}

// The catalog travels once per page load; only a language change needs the root loader again.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction }) => formAction === '/lang';

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root');
  const lang: Lang = data?.lang ?? 'en';
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const returnTo = `${location.pathname}${location.search}`;
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site">
        <div className="inner">
          <NavLink to="/" className="brand" end>
            <span aria-hidden="true" className="logo" />
            Arbiter
          </NavLink>
          <nav aria-label={t('nav.label')}>
            <NavLink to="/" end>
              {t('nav.claim')}
            </NavLink>
            <NavLink to="/c">{t('nav.myCase')}</NavLink>
            <NavLink to="/models">{t('nav.models')}</NavLink>
          </nav>
          <Form method="post" action="/lang" className="lang" aria-label={t('nav.language')}>
            <input type="hidden" name="returnTo" value={returnTo} />
            {languages.map((l) => (
              <button key={l.code} type="submit" name="lng" value={l.code} lang={l.code} aria-pressed={i18n.language === l.code} className="lang-btn">
                {l.label}
              </button>
            ))}
          </Form>
        </div>
      </header>
      <main id="main" className="inner">
        {children}
      </main>
      <footer className="site">
        <div className="inner">
          <p>{t('footer.text')}</p>
          <p className="footer-links">
            <NavLink to="/merchant">{t('footer.merchant')}</NavLink>
            <a href="/docs">{t('footer.api')}</a>
          </p>
        </div>
      </footer>
    </>
  );
}

function WithI18n({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root');
  const lang = data?.lang ?? 'en';
  const messages = data?.messages;
  const i18n = useMemo(() => createI18n(lang, messages ?? {}), [lang, messages]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

export default function App() {
  return (
    <WithI18n>
      <Shell>
        <Outlet />
      </Shell>
    </WithI18n>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <WithI18n>
      <Shell>
        <ErrorText status={status} />
      </Shell>
    </WithI18n>
  );
}

function ErrorText({ status }: { status: number }) {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <h1>{status === 404 ? t('notFound.title') : t('error.title')}</h1>
      <p>{status === 404 ? t('notFound.body') : t('error.body')}</p>
    </section>
  );
}
