// The language of a request: the `lng` cookie the switcher sets, else the browser's
// Accept-Language (q-values honoured, region stripped), else English.
import { createCookie } from 'react-router';
import { LanguageDetector } from 'remix-i18next/server';
import { fallbackLang, isLang, languages, type Lang } from './languages.js';

export const langCookie = createCookie('lng', { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });

const detector = new LanguageDetector({
  supportedLanguages: languages.map((l) => l.code),
  fallbackLanguage: fallbackLang,
  cookie: langCookie,
  order: ['cookie', 'header'],
});

export async function detectLang(request: Request): Promise<Lang> {
  const lang = await detector.detect(request);
  return isLang(lang) ? lang : fallbackLang;
}
