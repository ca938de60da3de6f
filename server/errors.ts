// One table of problem types (RFC 9457). Services throw a Problem; the single error handler in
// app.ts writes it as application/problem+json. `arbiter decide` maps the same errors to lines.
import { Type } from 'typebox';

export interface FieldError {
  /** RFC 6901 JSON pointer into the request body, e.g. `/flight/itinerary/0/from`. */
  pointer: string;
  message: string;
}

/** An error about a request header rather than the body: names the header instead of a pointer. */
export interface HeaderError {
  header: string;
  message: string;
}

export const problemTypes = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  bad_request: { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for this caller' },
  not_found: { status: 404, title: 'Not found' },
  illegal_transition: { status: 409, title: 'The case cannot make this transition from its current status' },
  idempotency_key_reused: { status: 409, title: 'Idempotency-Key reused with a different request' },
  idempotency_key_in_use: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  evidence_closed: { status: 409, title: 'The case no longer accepts evidence' },
  evidence_quota_exceeded: { status: 409, title: 'The evidence quota is used up' },
  request_timeout: { status: 408, title: 'The request did not arrive in time' },
  response_closed: { status: 409, title: 'The case no longer accepts a response' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  model_exists: { status: 409, title: 'This model version is already registered' },
  arbitrable_taken: { status: 409, title: 'Another merchant operates this arbitrable contract' },
  arbitrable_not_yours: { status: 422, title: 'The on-chain dispute is not one of your arbitrable contracts' },
  model_mismatch: { status: 422, title: 'The model does not match its card' },
  uri_too_long: { status: 414, title: 'URI too long' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  header_too_large: { status: 431, title: 'Request header fields too large' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'A component is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemSlug = keyof typeof problemTypes;

/** The `type` URI of a problem; relative so it resolves against whichever host serves the API. */
export function problemTypeUri(slug: ProblemSlug): string {
  return `/problems/${slug.replaceAll('_', '-')}`;
}

export class Problem extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly slug: ProblemSlug,
    detail?: string,
    readonly errors?: (FieldError | HeaderError)[],
    /** Extra members for the body, e.g. the case's current status on an illegal transition. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? problemTypes[slug].title);
    this.name = 'Problem';
    this.status = problemTypes[slug].status;
    this.title = problemTypes[slug].title;
  }

  static validation(errors: (FieldError | HeaderError)[], detail?: string): Problem {
    return new Problem(
      'validation_failed',
      detail ?? errors.map((e) => ('header' in e ? `${e.header} header: ${e.message}` : `${e.pointer || '/'}: ${e.message}`)).join('; '),
      errors,
    );
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: (FieldError | HeaderError)[];
  [extension: string]: unknown;
}

export function problemBody(problem: Problem, instance?: string): ProblemBody {
  return {
    ...(problem.extensions ?? {}),
    type: problemTypeUri(problem.slug),
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    ...(instance ? { instance } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

/** Find the problem slug for a status that did not come from our table (e.g. a Fastify error). */
export function slugForStatus(status: number): ProblemSlug {
  for (const [slug, t] of Object.entries(problemTypes)) {
    if (t.status === status && slug !== 'validation_failed') return slug as ProblemSlug;
  }
  return status >= 500 ? 'internal' : 'bad_request';
}

// ─── The problem document as a schema (responses and /docs) ──────────────────────────────────

export const ProblemDetails = Type.Object(
  {
    type: Type.String({ description: 'URI reference naming the problem type, e.g. /problems/validation-failed.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.Optional(
            Type.String({ description: 'RFC 6901 JSON pointer to the offending field of the body; an unknown field is named itself.' }),
          ),
          header: Type.Optional(Type.String({ description: 'The offending request header, when the error is about a header (e.g. Idempotency-Key).' })),
          message: Type.String(),
        }),
      ),
    ),
  },
  {
    // Problems may carry extension members (e.g. `status` of the case on an illegal transition).
    additionalProperties: true,
    description: 'RFC 9457 problem details, served as application/problem+json.',
    examples: [
      {
        type: '/problems/validation-failed',
        title: 'The request is not valid',
        status: 400,
        detail: '/flight/itinerary/0/from: unknown airport code "XXX"',
        instance: '/v1/cases',
        errors: [{ pointer: '/flight/itinerary/0/from', message: 'unknown airport code "XXX"' }],
      },
    ],
  },
);

const problemWhy: Record<number, string> = {
  400: 'The request is not valid: `errors` names each offending field by JSON pointer.',
  401: 'No bearer token, or one Arbiter does not know.',
  403: 'The caller is known but its role may not do this.',
  404: 'No such resource, or not one this caller may see.',
  409: 'Conflict: an illegal state transition, an Idempotency-Key reused with another request, an evidence quota used up, or a resource another caller holds.',
  413: 'The body or upload is larger than the limit.',
  422: 'The request is well-formed but what it names cannot be used: a model that does not match its card, or an on-chain dispute of an arbitrable contract the caller does not operate; `errors` names each field.',
  415: 'The content type is not accepted.',
  429: 'Too many requests from this caller or address: wait the seconds in Retry-After.',
};

/** Response entries `{ 400: …, 404: … }` documenting (and serializing) problem+json bodies. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: problemWhy[s] ?? 'A problem.', content: { 'application/problem+json': { schema: ProblemDetails } } },
    ]),
  );
}

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const escapeToken = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Fastify/TypeBox validation errors → field errors. An unknown property is reported at its own
 * pointer (`/flight/seat`), not at its parent; TypeBox's duplicate "schema is false" entry for
 * the same property is dropped. Query and path parameters are named by their own pointer.
 */
export function fieldErrorsFromValidation(issues: ValidationIssue[], context?: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const where = context && context !== 'body' ? `${context === 'querystring' ? 'query' : context} parameter: ` : '';
  for (const issue of issues) {
    const base = issue.instancePath ?? '';
    let pointer = base;
    let message = issue.message ?? 'is not valid';
    if (issue.keyword === 'additionalProperties') {
      const extra = (issue.params?.additionalProperties ?? issue.params?.additionalProperty) as string[] | string | undefined;
      for (const name of [extra ?? []].flat()) {
        const p = `${base}/${escapeToken(name)}`;
        if (!seen.has(p)) out.push({ pointer: p, message: `${where}unknown field "${name}"` });
        seen.add(p);
      }
      continue;
    }
    if (issue.keyword === 'required') {
      const missing = (issue.params?.requiredProperties ?? issue.params?.missingProperty) as string[] | string | undefined;
      for (const name of [missing ?? []].flat()) {
        const p = `${base}/${escapeToken(name)}`;
        if (!seen.has(p)) out.push({ pointer: p, message: `${where}required field "${name}" is missing` });
        seen.add(p);
      }
      continue;
    }
    if (issue.keyword === 'boolean') {
      // "schema is false": an unknown property; name it once.
      message = `unknown field "${base.split('/').pop()}"`;
    }
    if (seen.has(pointer)) continue;
    seen.add(pointer);
    out.push({ pointer, message: where + message });
  }
  return out;
}
