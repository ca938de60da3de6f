// How a claimant's private link opens their case without the token ever entering a URL the
// server sees (and so its logs, proxies' logs, Referer headers or browser history):
//   - the link is /c#<token>: a fragment is never sent to the server;
//   - /c reads the fragment in the browser and POSTs it (body, not URL), or the claimant pastes it;
//   - the server answers with an HttpOnly cookie named after the case (`arbiter_case_<id>`), on
//     Path=/case/ (its pages and their `.data` requests), never readable by scripts, and
//     (SameSite=Lax) never sent with a cross-site POST. Each case has its own cookie, so one
//     browser can hold several; a page uses only the cookie of its own case.
// Filing sets the same cookie, so the claimant lands on their case straight away.

const COOKIE = 'arbiter_case_';
const YEAR = 365 * 24 * 3600;

export function caseCookieHeader(caseId: string, token: string, secure: boolean): string {
  return `${COOKIE}${caseId}=${encodeURIComponent(token)}; Path=/case/; Max-Age=${YEAR}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The token in this request's cookie for that case, if any. */
export function caseTokenFrom(request: Request, caseId: string): string | undefined {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === `${COOKIE}${caseId}`) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** A token out of whatever the claimant pasted: the whole link, the fragment, or the token. */
export function tokenFromInput(text: string): string | undefined {
  return /ct_[0-9a-f]{28}\.[A-Za-z0-9_-]{43}/.exec(text)?.[0];
}

/** The private link to show the claimant (the token only in the fragment). */
export function privateLink(origin: string, token: string): string {
  return `${origin}/c#${token}`;
}
