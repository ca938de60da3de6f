// /v1/cases/:id/evidence: multipart upload (one `file` field) and listing.
import type { FastifyPluginAsync } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem, problemResponses } from '../errors.js';
import { CaseIdParams } from '../cases/resources.js';
import { EvidenceList, EvidenceUploaded, evidenceContentTypes } from './schemas.js';
import type { EvidenceService } from './service.js';

const UploadForm = Type.Object({
  file: Type.String({
    format: 'binary',
    description: `The evidence file. Its type is decided from its bytes: ${evidenceContentTypes.join(', ')}.`,
  }),
});

export const evidenceRoutes: FastifyPluginAsync<{ evidence: EvidenceService }> = async (root, { evidence }) => {
  // Scoped to this plugin: only the evidence route parses multipart bodies.
  await root.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: evidence.maxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
  });
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/cases/:id/evidence',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Attach an evidence file to a case (claimant, respondent merchant, admin)',
        description:
          `multipart/form-data with one field \`file\`. Stored content-addressed by sha256. The type is sniffed from the bytes (pdf, png, jpeg, plain text, eml); the filename and declared type are not trusted. Size limit: EVIDENCE_MAX_BYTES (default 10 MiB). Accepted only while the case is \`filed\`; each new file changes the case's recordHash (the hashed document gains \`evidenceSha256\`, the sorted list of evidence digests). Uploading the same bytes to the same case again answers 200 with the existing entry.`,
        consumes: ['multipart/form-data'],
        security: [{ bearer: [] }],
        params: CaseIdParams,
        body: UploadForm,
        response: { 201: EvidenceUploaded, 200: EvidenceUploaded, ...problemResponses(400, 401, 403, 404, 409, 413, 415) },
      },
      // The parsed multipart parts are checked by the handler and service, not by the doc schema.
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : TypeBoxValidatorCompiler(route)),
    },
    async (request, reply) => {
      const part = (request.body as unknown as Record<string, MultipartFile | undefined> | undefined)?.file;
      if (!part || part.type !== 'file') {
        throw Problem.validation([{ pointer: '/file', message: 'a multipart field "file" holding the evidence file is required' }]);
      }
      const result = evidence.upload(request.params.id, request.principal, { bytes: await part.toBuffer(), filename: part.filename });
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
};
