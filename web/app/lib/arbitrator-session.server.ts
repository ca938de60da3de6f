// An arbitrator signs in to the console with the bearer token the admin created. As for the
// merchant dashboard (merchant-session.server.ts): the token travels once in a POST body, then in
// an HttpOnly, SameSite=Strict cookie; never in a URL, never readable by scripts.

const COOKIE = 'arbiter_arbitrator';

export function arbitratorCookie(token: string, secure: boolean): string {
  return `${COOKIE}=${encodeURIComponent(token)}; Path=/; Max-Age=${8 * 3600}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export const arbitratorSignedOutCookie = `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;

/** The arbitrator the request's session cookie opens, or undefined (signed out, or an unknown token). */
export function arbitratorFrom(request: Request, ctx: { arbitratorFor(token: string): { kind: 'arbitrator'; id: string } | undefined }) {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE && rest.length) {
      const token = decodeURIComponent(rest.join('='));
      return token ? ctx.arbitratorFor(token) : undefined;
    }
  }
  return undefined;
}
