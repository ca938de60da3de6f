// Installs authentication on the root instance: every request, in every feature plugin, carries
// `request.principal`. Root-level hooks need no fastify-plugin wrapper.
//
// A request with a token Arbiter does not know is answered 401, but only in preParsing: until
// then it counts as anonymous, so the rate limit (an onRequest hook of each route, which runs
// after this one) counts it against its client address. Guessing tokens costs the guesser its
// address's budget, and still nothing has read the body.
import type { FastifyInstance } from 'fastify';
import { anonymous, type Principal } from './principal.js';
import type { Authenticate } from './authenticate.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** Why the bearer token was refused; answered in preParsing. */
    authError: Error | null;
  }
}

export function installAuthentication(app: FastifyInstance, authenticate: Authenticate): void {
  // Fastify 5 forbids object defaults on request decorators (they would be shared); start null.
  app.decorateRequest('principal', null as never);
  app.decorateRequest('authError', null);
  // Callback style, not async: every request (the trivial ones too) passes here, and an async
  // hook costs a promise and a microtask turn per request.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      request.principal = authenticate(request.headers.authorization);
    } catch (error) {
      request.principal = anonymous;
      request.authError = error as Error;
    }
    done();
  });
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (request.authError) done(request.authError);
    else done(null, payload);
  });
}
