// POST /lang {lng, returnTo}: remembers the chosen language (cookie) and goes back.
import { redirect, type ActionFunctionArgs } from 'react-router';
import { langCookie } from '../i18n/detect.server.js';
import { isLang } from '../i18n/languages.js';

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lng = form.get('lng');
  const back = String(form.get('returnTo') ?? '/');
  // Only a path on this site: never an open redirect.
  const returnTo = back.startsWith('/') && !back.startsWith('//') && !back.startsWith('/\\') ? back : '/';
  if (!isLang(lng)) return redirect(returnTo);
  return redirect(returnTo, { headers: { 'Set-Cookie': await langCookie.serialize(lng) } });
}

export function loader() {
  return redirect('/');
}
