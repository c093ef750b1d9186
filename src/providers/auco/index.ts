/**
 * The Auco surface, mounted at /auco/v1.5/ext: upload, query and (batch) cancel documents, and the
 * company's webhook list. The key in `Authorization` is checked before the body is read. Errors
 * use Auco's statuses with our `{message, code, requestId}` body. See docs/compat/auco.md.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CoreError, isCoreError } from '../../core/errors.js';
import type { CredentialRecord } from '../../core/ports.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import { parseOrThrow } from '../../http/route.js';
import { wireErrorFor } from '../../http/server.js';
import type { Surface, SurfaceContext, SurfaceHttp } from '../surface.js';
import { cancelDocuments } from './cancel-documents.js';
import { normaliseCode } from './codes.js';
import { readCompanyWebhooks, replaceCompanyWebhooks } from './company-webhooks.js';
import { aucoError } from './errors.js';
import { authenticateAucoKey, issueKey, issueKeyPair, PRIVATE_KEY_KIND, PUBLIC_KEY_KIND, type KeyUse } from './keys.js';
import { documentView } from './present.js';
import { createAucoWebhookRenderer } from './render-webhook.js';
import { uploadDocument } from './upload-document.js';

export const AUCO_MOUNT = '/auco/v1.5/ext';

const documentQuery = z.object({
  code: z.string().trim().min(1).max(100).optional(),
  package: z.string().optional(),
});

type Handler = (request: FastifyRequest, credential: CredentialRecord) => Promise<unknown>;

function sendError(reply: FastifyReply, error: CoreError): FastifyReply {
  const { status, body } = aucoError(error, reply.request.id);
  return reply.code(status).send(body);
}

function registerRoutes(scope: FastifyInstance, context: SurfaceContext, { throttle }: SurfaceHttp): void {
  const credentials = new WeakMap<FastifyRequest, CredentialRecord>();
  const route = (method: 'GET' | 'POST' | 'PUT', url: string, use: KeyUse, bodyLimit: number, handler: Handler) => {
    scope.route({
      method,
      url,
      bodyLimit,
      onRequest: async (request) => {
        credentials.set(request, await authenticateAucoKey(context.deps, throttle, request, use));
      },
      handler: async (request, reply) => reply.code(200).send(await handler(request, credentials.get(request)!)),
    });
  };

  route('POST', '/document/upload', 'write', 16 * 1024 * 1024, (request, credential) =>
    uploadDocument(context.deps, request, credential),
  );
  route('GET', '/document', 'read', 1024, async (request, credential) => {
    const query = parseOrThrow(documentQuery, request.query, 'query');
    if (query.package !== undefined)
      throw new CoreError('validation_failed', 'Packages are not supported by this server.', {
        issues: [{ path: 'query.package', message: 'not supported' }],
      });
    if (query.code === undefined)
      throw new CoreError('validation_failed', 'code is required (listing templates is not supported).', {
        issues: [{ path: 'query.code', message: 'required' }],
      });
    return documentView(
      context.publicUrl,
      await getSignatureRequest(context.deps, credential.tenantId, normaliseCode(query.code)),
    );
  });
  route('POST', '/document/cancel', 'write', 1024 * 1024, (request, credential) =>
    cancelDocuments(context.deps, request, credential),
  );
  route('PUT', '/company', 'write', 64 * 1024, (request, credential) =>
    replaceCompanyWebhooks(context, request, credential),
  );
  route('GET', '/company', 'read', 1024, (_request, credential) => readCompanyWebhooks(context, credential));
}

export const aucoSurface: Surface = {
  name: 'auco',

  async register(app, context, http) {
    await app.register(
      async (scope) => {
        scope.setErrorHandler(async (error: FastifyError, request, reply) => {
          const coreError = isCoreError(error) ? error : wireErrorFor(error);
          if (coreError) return sendError(reply, coreError);
          request.log.error({ err: error }, 'unhandled error');
          return sendError(reply, new CoreError('internal'));
        });
        scope.setNotFoundHandler(async (request, reply) =>
          sendError(
            reply,
            new CoreError('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`),
          ),
        );
        registerRoutes(scope, context, http);
      },
      { prefix: AUCO_MOUNT },
    );
  },

  issueTenantCredentials({ ids }) {
    const pair = issueKeyPair(ids);
    return { credentials: pair.credentials, display: { private_key: pair.privateKey, public_key: pair.publicKey } };
  },

  credentialKinds: [
    {
      kind: PRIVATE_KEY_KIND,
      description: 'Auco private key (prk_…), sent raw in Authorization; writes and reads',
      mint({ ids }, { label, expiresAt }) {
        const { key, credential } = issueKey(ids, 'prk', label, expiresAt);
        return { credential, display: { private_key: key } };
      },
    },
    {
      kind: PUBLIC_KEY_KIND,
      description: 'Auco public key (puk_…), sent raw in Authorization; reads only',
      mint({ ids }, { label, expiresAt }) {
        const { key, credential } = issueKey(ids, 'puk', label, expiresAt);
        return { credential, display: { public_key: key } };
      },
    },
  ],

  webhookRenderer: (context) => createAucoWebhookRenderer(context.publicUrl),
};
