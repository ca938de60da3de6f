// GET /lookup/airports?q=… and /lookup/airlines?q=…: suggestions for the portal's fields (JSON).
import type { LoaderFunctionArgs } from 'react-router';
import type { WebContext } from '../context.js';

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context as WebContext;
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 60);
  const headers = { 'Cache-Control': 'public, max-age=3600' };
  if (params.what === 'airports') return Response.json(ctx.airports.search(q, 8), { headers });
  if (params.what === 'airlines') return Response.json(ctx.airlines.search(q, 8), { headers });
  return Response.json([], { status: 404 });
}
