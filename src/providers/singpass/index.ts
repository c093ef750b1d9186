/**
 * The Singpass Sign v3 surface, mounted at /singpass/api/v3 in place of
 * https://staging.sign.singpass.gov.sg/api/v3 (docs/compat/singpass.md).
 */
import type { FastifyInstance } from 'fastify';
import type { Surface } from '../surface.js';
import { singpassAdminRoutes } from './admin-routes.js';
import { registerCancelSignRequest } from './cancel-sign-request.js';
import { registerSingpassCli } from './cli.js';
import { installSingpassErrorHandling } from './errors.js';
import { registerGetSigningResult } from './get-signing-result.js';
import { registerInitiateSignRequest } from './initiate-sign-request.js';
import { createSingpassWebhookRenderer } from './render-webhook.js';
import { singpassSignKey } from './sign-key.js';
import { createSingpassServices, SINGPASS_JWKS_MOUNT, SINGPASS_MOUNT } from './singpass-services.js';

/**
 * Only the bodies Singpass clients send: the raw PDF, and on cancel an empty body that clients
 * label application/json (whatever JSON is sent there is ignored: the token carries everything).
 */
function installBodyParsers(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, _body, done) =>
    done(null, undefined),
  );
}

export const singpassSurface: Surface = {
  name: 'singpass',
  async register(app, context, http) {
    const services = createSingpassServices(context, http);
    await app.register(
      async (scope) => {
        installSingpassErrorHandling(scope);
        installBodyParsers(scope);
        registerInitiateSignRequest(scope, services);
        registerGetSigningResult(scope, services);
        registerCancelSignRequest(scope, services);
      },
      { prefix: SINGPASS_MOUNT },
    );
    // Sign's own public keys, which RPs use to check the webhook token (Singpass serves them on another host).
    await app.register(
      async (scope) => {
        installSingpassErrorHandling(scope);
        scope.get('/keys.json', async (_request, reply) => {
          const key = await singpassSignKey(context.deps.settings.linkKey);
          return reply.header('cache-control', 'public, max-age=3600').send({ keys: [key.publicJwk] });
        });
      },
      { prefix: SINGPASS_JWKS_MOUNT },
    );
  },
  nativeRoutes: (context) => singpassAdminRoutes(context),
  webhookRenderer: createSingpassWebhookRenderer,
  registerCli: registerSingpassCli,
};
