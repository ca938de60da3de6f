// One i18next instance per rendered language, from the catalog the root loader sent.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

export function createI18n(lang: string, messages: object): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: lang,
    fallbackLng: false,
    resources: { [lang]: { translation: messages as Record<string, unknown> } },
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
