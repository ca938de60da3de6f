// Server rendering: the whole document at once (no streamed Suspense boundaries on these pages),
// so crawlers and slow clients get the same complete HTML.
import { PassThrough } from 'node:stream';
import type { EntryContext, HandleErrorFunction } from 'react-router';
import { isRouteErrorResponse, ServerRouter } from 'react-router';
import { createReadableStreamFromReadable } from '@react-router/node';
import { renderToPipeableStream } from 'react-dom/server';

export const streamTimeout = 5_000;

/** React Router's refusals of an action whose Origin is another site (or not a URL): throwIfPotentialCSRFAttack. */
const REFUSED_CROSS_SITE = /Aborting the action\.$/;

/**
 * Errors of loaders, actions and rendering. A cross-site post refused by React Router's origin
 * check (answered 400, the action never ran) is one warn line without a stack: anyone can send
 * those, and a stack each would let them flood the log. Anything else is logged as React Router
 * does by default (console.error, the route error's cause when it has one).
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  if (error instanceof Error && REFUSED_CROSS_SITE.test(error.message)) {
    const line = { method: request.method, path: new URL(request.url).pathname, origin: (request.headers.get('origin') ?? '').slice(0, 200) };
    const log = (context as { log?: { warn(obj: object, msg: string): void } } | undefined)?.log; // plugin.ts: request.log
    if (log) log.warn(line, 'cross-site action refused: its Origin is not this site');
    else console.warn(`cross-site action refused: ${line.method} ${line.path} from Origin ${JSON.stringify(line.origin)}`);
    return;
  }
  const cause = (error as { error?: unknown } | null)?.error;
  console.error(isRouteErrorResponse(error) && cause ? cause : error);
};

export default function handleRequest(request: Request, status: number, headers: Headers, routerContext: EntryContext) {
  if (request.method.toUpperCase() === 'HEAD') return new Response(null, { status, headers });
  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} />, {
      onAllReady() {
        const body = new PassThrough();
        headers.set('Content-Type', 'text/html; charset=utf-8');
        // No page of ours may be framed or leak its URL to another site.
        headers.set('X-Frame-Options', 'DENY');
        headers.set('Referrer-Policy', 'same-origin');
        headers.set('X-Content-Type-Options', 'nosniff');
        resolve(new Response(createReadableStreamFromReadable(body), { status, headers }));
        pipe(body);
      },
      onShellError: reject,
      onError(error) {
        status = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
