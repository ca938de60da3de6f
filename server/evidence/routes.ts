// /v1/cases/:id/evidence: multipart upload (one `file` field), listing, and serving a file.
//
// An upload is authorized, its case checked and its quota computed before the body is read;
// the file is then streamed to a temporary file with the limit enforced while it arrives
// (issue 9, Medium 3–5). A body that is not well-formed multipart is a 400 problem.
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem, problemResponses } from '../errors.js';
import { CaseIdParams } from '../cases/resources.js';
import { strictValidatorCompiler } from '../http/validator.js';
import { stageUpload, UploadTooLarge } from './blob-store.js';
import { EvidenceList, EvidenceUploaded, evidenceContentTypes } from './schemas.js';
import type { EvidenceService } from './service.js';

const UploadForm = Type.Object({
  file: Type.String({
    format: 'binary',
    description: `The evidence file. Its type is decided from its bytes: ${evidenceContentTypes.join(', ')}.`,
  }),
});

const EvidenceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), evidenceId: Type.String({ minLength: 1, maxLength: 100 }) });

/** RFC 6266 attachment with an ASCII fallback name and the UTF-8 name (RFC 8187). */
export function attachmentDisposition(filename: string | null, fallback: string): string {
  const name = filename ?? fallback;
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Errors of the multipart stream: a malformed body, or a client that went away mid-upload. */
function uploadFailure(err: unknown, request: FastifyRequest, evidence: EvidenceService, ticket: Parameters<EvidenceService['tooLarge']>[0]): Error {
  if (err instanceof Problem) return err;
  if (err instanceof UploadTooLarge || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return evidence.tooLarge(ticket);
  if (request.raw.destroyed || request.raw.socket?.destroyed) {
    return new Problem('bad_request', 'The client closed the connection before the upload was complete');
  }
  return new Problem('bad_request', `The multipart body is malformed: ${(err as Error).message}`, [
    { pointer: '/file', message: 'send multipart/form-data with one field "file" holding the file' },
  ]);
}

export const evidenceRoutes: FastifyPluginAsync<{ evidence: EvidenceService }> = async (root, { evidence }) => {
  // Scoped to this plugin: only the evidence route parses multipart bodies, and only when the
  // handler asks for the file (after its checks).
  await root.register(multipart, {
    limits: { fileSize: evidence.maxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 20 },
  });
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/cases/:id/evidence',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Attach an evidence file to a case (claimant, respondent merchant, admin)',
        description:
          `multipart/form-data with one field \`file\`. Stored content-addressed by sha256. The type is sniffed from the bytes and their structure (pdf, png, jpeg, plain text, eml); the filename and declared type are not trusted. Size limit: EVIDENCE_MAX_BYTES (default 10 MiB) per file; quotas per case (files and bytes) and per caller (bytes per 24 h: a merchant or arbitrator by its key, a claimant by its client address) answer 409 \`evidence-quota-exceeded\` when used up, 413 when this file does not fit what is left. Accepted only while the case is \`filed\`; each new file changes the case's recordHash (the hashed document gains \`evidenceSha256\`, the sorted list of evidence digests). Uploading the same bytes to the same case again answers 200 with the existing entry. With an \`Idempotency-Key\`, a retry of the same file replays the first answer and another file under the same key is a 409.`,
        consumes: ['multipart/form-data'],
        security: [{ bearer: [] }],
        params: CaseIdParams,
        body: UploadForm,
        response: { 201: EvidenceUploaded, 200: EvidenceUploaded, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429) },
      },
      // The multipart body is read by the handler, after its checks; the doc schema is not a validator.
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : strictValidatorCompiler(route)),
      // The Idempotency-Key is claimed once the file is staged: its fingerprint covers the file's sha256.
      config: { idempotency: 'after-body' },
    },
    async (request, reply) => {
      const ticket = evidence.prepareUpload(request.params.id, request.principal, request.ip);
      if (!request.isMultipart()) {
        throw new Problem('unsupported_media_type', 'Send the file as multipart/form-data with one field "file"', [
          { pointer: '/file', message: 'a multipart field "file" holding the evidence file is required' },
        ]);
      }
      let staged;
      let filename: string | undefined;
      try {
        const part = await request.file({ limits: { fileSize: ticket.maxBytes + 1 } });
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          throw Problem.validation([{ pointer: '/file', message: 'a multipart field "file" holding the evidence file is required' }]);
        }
        filename = part.filename;
        staged = await stageUpload(part.file, evidence.tmpDir, ticket.maxBytes);
      } catch (err) {
        throw uploadFailure(err, request, evidence, ticket);
      }
      const replayed = await request.server
        .claimIdempotency(request, reply, { file: { sha256: staged.sha256 }, filename: filename ?? null })
        .catch((err: unknown) => {
          evidence.discard(staged);
          throw err;
        });
      if (replayed) {
        evidence.discard(staged);
        return reply;
      }
      const result = evidence.commitUpload(ticket, request.principal, staged, filename);
      return reply.code(result.duplicate ? 200 : 201).send(result);
    },
  );

  app.get(
    '/cases/:id/evidence',
    {
      schema: {
        tags: ['evidence'],
        summary: "List a case's evidence with the sha256 of each file",
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: { 200: EvidenceList, ...problemResponses(401, 404) },
      },
    },
    async (request) => ({ object: 'list' as const, data: evidence.list(request.params.id, request.principal), has_more: false }),
  );

  app.get(
    '/cases/:id/evidence/:evidenceId/content',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Download one evidence file (whoever may read the case)',
        description:
          'The bytes as uploaded, with the sniffed type, always as an attachment, with `X-Content-Type-Options: nosniff` and a Content-Security-Policy that runs nothing: a browser never renders evidence as a page.',
        security: [{ bearer: [] }],
        params: EvidenceParams,
        response: { 200: { description: 'The file', content: Object.fromEntries(evidenceContentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) }, ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const { path, item } = evidence.content(request.params.id, request.params.evidenceId, request.principal);
      return reply
        .type(item.contentType.startsWith('text/') || item.contentType === 'message/rfc822' ? `${item.contentType}; charset=utf-8` : item.contentType)
        .header('content-length', item.size)
        .header('content-disposition', attachmentDisposition(item.filename, `${item.sha256.slice(0, 16)}`))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'private, no-store')
        .send(createReadStream(path));
    },
  );
};
