// The languages the app speaks. Adding one: write i18n/catalogs/<code>.ts (every key of en.ts)
// and add it here and in catalogs.server.ts.
export const languages = [
  { code: 'en', label: 'English' },
  { code: 'de', label: 'Deutsch' },
] as const;

export type Lang = (typeof languages)[number]['code'];
export const fallbackLang: Lang = 'en';
export const isLang = (v: unknown): v is Lang => languages.some((l) => l.code === v);
