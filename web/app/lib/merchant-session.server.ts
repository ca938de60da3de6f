// A merchant signs in to the dashboard with its API key. The key travels once in a POST body and
// then in an HttpOnly, SameSite=Strict cookie: never in a URL, never readable by scripts, never
// sent by another site's links or forms. Path=/ because React Router reads a page's data from
// `/merchant.data`, which a Path=/merchant cookie would not reach (paths are no boundary within
// one origin anyway; the API reads only the Authorization header, never this cookie).

const COOKIE = 'arbiter_merchant';

export function merchantCookie(apiKey: string, secure: boolean): string {
  return `${COOKIE}=${encodeURIComponent(apiKey)}; Path=/; Max-Age=${8 * 3600}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export const signedOutCookie = `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;

export function merchantKeyFrom(request: Request): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE && rest.length) return decodeURIComponent(rest.join('=')) || undefined;
  }
  return undefined;
}

/** The merchant the request's session cookie opens, or undefined (signed out, or the key no longer live). */
export function merchantFrom(request: Request, ctx: { merchantFor(apiKey: string): { kind: 'merchant'; id: string } | undefined }) {
  const key = merchantKeyFrom(request);
  return key ? ctx.merchantFor(key) : undefined;
}

/** A service error's HTTP status and field errors (RFC 6901 pointers), for showing it on the form. */
export function problemOf(e: unknown): { status: number; pointers: string[] } {
  const p = e as { status?: number; errors?: { pointer?: string }[] };
  if (typeof p?.status !== 'number') throw e;
  return { status: p.status, pointers: (p.errors ?? []).map((x) => x.pointer ?? '').filter(Boolean) };
}
