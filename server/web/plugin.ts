// Serves the web app (web/, React Router 7 framework mode) from the API's Fastify server, on the
// same port: a small adapter, one catch-all route that turns the Fastify request into a Fetch
// Request, runs React Router's handler with the web load context (context.ts) and streams the
// Response back through Fastify's reply (so the server's onSend/onResponse hooks still apply).
// Routes of the API (/v1, /docs, /health) are more specific and win; an unknown /v1 path still
// gets the API's problem+json 404, never an HTML page.
//
// Modes: `on` serves the production build in web/build (built by `npm start`, see build.ts; the
// server build is imported on the first page request, so API-only tests never load React), `dev`
// runs Vite in middleware mode with HMR over this same server.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { ServerBuild } from 'react-router';
import type { WebContext } from './context.js';
import { BUILD_DIR, WEB_ROOT } from './build.js';
import { MAX_PARAM_LENGTH, sendUriTooLong } from '../http/protections.js';

export interface WebPluginOptions {
  context: WebContext;
  mode: 'on' | 'dev';
  /** Largest form body (the evidence upload rides on the filing form). */
  bodyLimit: number;
}

type Handler = (request: Request, context: WebContext) => Promise<Response>;

const API_PREFIXES = ['/v1/', '/docs/', '/health/'];
const isApiPath = (url: string): boolean => url === '/v1' || API_PREFIXES.some((p) => url.startsWith(p));

/** The Fetch Request for a Fastify request; the body is the buffer our content-type parser kept. */
function toFetchRequest(request: FastifyRequest, signal: AbortSignal): Request {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && Buffer.isBuffer(request.body);
  return new Request(url, { method: request.method, headers, signal, ...(hasBody ? { body: new Uint8Array(request.body as Buffer) } : {}) });
}

async function sendFetchResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  for (const [name, value] of response.headers) if (name !== 'set-cookie') reply.header(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header('set-cookie', cookies);
  if (!response.body) return reply.send();
  return reply.send(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream));
}

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Arbiter</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>The web app is not built yet</h1><p>Run <code>npm start</code> (it builds <code>web/</code> when needed) or <code>npm run build:web</code>, then reload.</p>`;

export const webApp: FastifyPluginAsync<WebPluginOptions> = async (app, opts) => {
  // Form bodies (urlencoded, multipart) reach React Router as bytes, bounded like any body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_request, body, done) => done(null, body));

  let handle: Handler;
  let devMiddlewares: ((req: unknown, res: unknown, next: (err?: unknown) => void) => void) | undefined;

  if (opts.mode === 'dev') {
    // Vite starts in the background (it can take longer than Fastify gives a plugin); the first
    // request waits for it.
    const starting = import('vite').then(({ createServer }) =>
      createServer({
        root: WEB_ROOT,
        configFile: join(WEB_ROOT, 'vite.config.ts'),
        appType: 'custom',
        server: { middlewareMode: true, hmr: { server: app.server } },
      }),
    );
    starting.catch((err) => app.log.error({ err }, 'Vite dev server failed to start'));
    app.addHook('onClose', async () => (await starting.catch(() => undefined))?.close());
    devMiddlewares = (req, res, next) => {
      starting.then((vite) => vite.middlewares(req as never, res as never, next), next);
    };
    handle = async (request, context) => {
      const vite = await starting;
      const { createRequestHandler } = await import('react-router');
      const devHandler = createRequestHandler(() => vite.ssrLoadModule('virtual:react-router/server-build') as Promise<ServerBuild>, 'development') as Handler;
      return devHandler(request, context);
    };
  } else {
    // Hashed file names under /assets/: cached for a year, sent brotli/gzip-compressed from the
    // files build.ts wrote beside them. Looked up per request (the build may appear after start).
    await app.register(fastifyStatic, { root: join(BUILD_DIR, 'client'), serve: false, maxAge: '365d', immutable: true, preCompressed: true });
    let production: Handler | undefined;
    handle = async (request, context) => {
      if (!production) {
        const entry = join(BUILD_DIR, 'server', 'index.js');
        if (!existsSync(entry)) return new Response(notBuilt, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
        // React picks its production or development build from NODE_ENV when first loaded, which
        // is here (react-router and the build are imported only now, never at start): the
        // development build renders a page ~4x slower. Unset means production for a built app.
        process.env.NODE_ENV ??= 'production';
        const { createRequestHandler } = await import('react-router');
        const build = (await import(pathToFileURL(entry).href)) as ServerBuild;
        production = createRequestHandler(build, 'production') as Handler;
      }
      return production(request, context);
    };
  }

  const render = async (request: FastifyRequest, reply: FastifyReply) => {
    const abort = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    // The shared context, plus this request's client address (a claimant's evidence quota counts by it).
    const context = { ...opts.context, clientAddress: request.ip, log: request.log };
    const response = await handle(toFetchRequest(request, abort.signal), context);
    return sendFetchResponse(reply, response);
  };

  app.route({
    method: ['GET', 'POST'],
    url: '/*',
    handler: async (request, reply) => {
      const path = request.url.split('?')[0];
      if (isApiPath(path)) {
        // The router refuses a parameter over maxParamLength by not matching its route, and this
        // catch-all then matches instead: answer as the API would have (414, no route is that long).
        if (path.split('/').some((segment) => segment.length > MAX_PARAM_LENGTH)) return sendUriTooLong(request, reply);
        return reply.callNotFound();
      }
      if (devMiddlewares) {
        // Vite serves its modules and the HMR client itself; everything else falls through.
        reply.hijack();
        devMiddlewares(request.raw, reply.raw, async (err?: unknown) => {
          try {
            if (err) throw err;
            const response = await handle(toFetchRequest(request, new AbortController().signal), { ...opts.context, clientAddress: request.ip, log: request.log });
            reply.raw.statusCode = response.status;
            for (const [name, value] of response.headers) if (name !== 'set-cookie') reply.raw.setHeader(name, value);
            const cookies = response.headers.getSetCookie();
            if (cookies.length) reply.raw.setHeader('set-cookie', cookies);
            if (!response.body) return void reply.raw.end();
            Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(reply.raw);
          } catch (e) {
            request.log.error({ err: e }, 'web dev render failed');
            if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'text/plain' });
            reply.raw.end(String((e as Error).stack ?? e));
          }
        });
        return reply;
      }
      if (path.startsWith('/assets/') && request.method === 'GET') {
        const file = path.slice(1);
        if (!/^assets\/[A-Za-z0-9._-]+$/.test(file) || !existsSync(join(BUILD_DIR, 'client', file))) return reply.code(404).type('text/plain').send('Not found');
        return reply.sendFile(file, join(BUILD_DIR, 'client'));
      }
      return render(request, reply);
    },
  });
};
