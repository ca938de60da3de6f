// Installs authentication on the root instance: every request, in every feature plugin, carries
// `request.principal`. Root-level hooks need no fastify-plugin wrapper.
import type { FastifyInstance } from 'fastify';
import type { Principal } from './principal.js';
import type { Authenticate } from './authenticate.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export function installAuthentication(app: FastifyInstance, authenticate: Authenticate): void {
  // Fastify 5 forbids object defaults on request decorators (they would be shared); start null.
  app.decorateRequest('principal', null as never);
  // Callback style, not async: every request (the trivial ones too) passes here, and an async
  // hook costs a promise and a microtask turn per request.
  app.addHook('onRequest', (request, _reply, done) => {
    let principal: Principal;
    try {
      principal = authenticate(request.headers.authorization);
    } catch (error) {
      done(error as Error);
      return;
    }
    request.principal = principal;
    done();
  });
}
