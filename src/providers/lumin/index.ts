/**
 * The Lumin-compatible surface: a Lumin client works against `<server>/lumin/v1` by changing only
 * its base URL (https://api.luminpdf.com/v1). docs/compat/lumin.md records every choice.
 */
import type { FastifyInstance } from 'fastify';
import type { Surface, SurfaceContext } from '../surface.js';
import { luminAdminRoutes } from './admin-routes.js';
import { luminCallbackRoutes } from './callback-routes.js';
import { registerLuminCli } from './cli.js';
import { issuePrimaryApiKey, LUMIN_API_KEY_KIND, LUMIN_APP_KIND, LUMIN_TOKEN_KIND, mintApiKey } from './credentials.js';
import { installLuminErrorHandling } from './errors.js';
import { registerOAuthRoutes } from './oauth.js';
import { registerLuminRoutes } from './routes.js';
import { createLuminWebhookRenderer } from './webhook.js';

export const LUMIN_MOUNT = '/lumin/v1';

/**
 * Lumin takes JSON and multipart only (text/plain is 415), and an empty JSON body is no body
 * (a PUT cancel sent with a JSON content type).
 */
function acceptJsonAndMultipartOnly(scope: FastifyInstance): void {
  const parseJson = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser(['application/json', 'text/plain']);
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') return done(null, undefined);
    void parseJson(request, text, done); // completes through `done`
  });
}

export const luminSurface: Surface = {
  name: 'lumin',
  async register(app, context, http) {
    await app.register(
      async (scope) => {
        installLuminErrorHandling(scope);
        acceptJsonAndMultipartOnly(scope);
        registerLuminRoutes(scope, context, http);
      },
      { prefix: LUMIN_MOUNT },
    );
    await app.register(async (scope) => registerOAuthRoutes(scope, context, http.throttle), {
      prefix: '/lumin/oauth2',
    });
  },
  issueTenantCredentials(tools) {
    const { credential, apiKey } = issuePrimaryApiKey(tools);
    return { credentials: [credential], display: { api_key: apiKey } };
  },
  credentialKinds: [
    {
      kind: LUMIN_API_KEY_KIND,
      description: 'Lumin API key (lmk_…), sent as X-API-Key; the oldest live one signs the Lumin webhooks',
      mint(tools, { label, expiresAt }) {
        const { credential, apiKey } = mintApiKey(tools, label ?? 'API key', expiresAt);
        return { credential, display: { api_key: apiKey } };
      },
    },
    {
      kind: LUMIN_TOKEN_KIND,
      description: 'Lumin Bearer access token (lmt_…), minted by POST /v1/admin/lumin/tokens or the OAuth flow',
    },
    {
      kind: LUMIN_APP_KIND,
      description: 'Lumin OAuth app (client credentials), registered by POST /v1/admin/lumin/apps',
    },
  ],
  nativeRoutes: (context: SurfaceContext) => [...luminAdminRoutes(context), ...luminCallbackRoutes(context)],
  registerCli: registerLuminCli,
  webhookRenderer: createLuminWebhookRenderer,
};
