/**
 * The KAiZEN eSign surface (AYAN Softwares), mounted at /kaizen/api: Azure Functions style
 * `POST /InitiateSignRequest` and `POST /RecallSignRequest`, the appToken in the JSON body, every
 * answer in the `{FailRules, Data}` envelope. See docs/compat/kaizen.md.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CoreError, isCoreError } from '../../core/errors.js';
import { wireErrorFor } from '../../http/server.js';
import type { CredentialRecord } from '../../core/ports.js';
import type { Surface, SurfaceContext, SurfaceHttp } from '../surface.js';
import { APP_TOKEN_KIND, appTokenLookup, authenticateAppToken, issueAppToken } from './app-token.js';
import { failRulesFor, httpStatusFor, INVALID_APP_TOKEN, type KaizenEnvelope } from './envelope.js';
import { initiateSignRequest } from './initiate-sign-request.js';
import { recallSignRequest } from './recall-sign-request.js';
import { readBody } from './request-body.js';
import { kaizenNativeRoutes } from './native-routes.js';

export const KAIZEN_MOUNT = '/kaizen/api';

type Operation = (
  request: FastifyRequest,
  credential: CredentialRecord,
  body: Record<string, unknown>,
) => Promise<KaizenEnvelope<unknown>>;

/** Route options: the body limit and the `Data` a failure carries (.NET's default for the type). */
interface FunctionRoute {
  readonly name: string;
  readonly bodyLimit: number;
  readonly failData: unknown;
  readonly run: Operation;
}

function sendFailure(reply: FastifyReply, error: CoreError, failData: unknown): FastifyReply {
  return reply
    .code(httpStatusFor(error.code))
    .send({ FailRules: failRulesFor(error, reply.request.id), Data: failData });
}

function registerFunction(
  scope: FastifyInstance,
  context: SurfaceContext,
  http: SurfaceHttp,
  route: FunctionRoute,
): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = readBody(request.body);
    // The token is checked before anything else is read, so a caller without one learns nothing more.
    // A wrong one is answered by the error handler ("Invalid App Token", HTTP 200) and counted by the throttle.
    const credential = await http.throttle.guard(request, appTokenLookup(body.apptoken), async () => {
      const found = await authenticateAppToken(context.deps, body.apptoken);
      if (!found) throw new CoreError('unauthorized', INVALID_APP_TOKEN.Message);
      return found;
    });
    return reply.code(200).send(await route.run(request, credential, body));
  };
  // Azure Functions routes are case-insensitive; the documented spelling and all-lowercase are served.
  // `?code=<function key>` (Azure's own key) is accepted and ignored: the appToken authenticates.
  for (const url of new Set([`/${route.name}`, `/${route.name.toLowerCase()}`])) {
    scope.post(
      url,
      { bodyLimit: route.bodyLimit, config: { failData: route.failData } as Record<string, unknown> },
      handler,
    );
  }
}

export const kaizenSurface: Surface = {
  name: 'kaizen',

  async register(app, context, http) {
    await app.register(
      async (scope) => {
        scope.setErrorHandler(async (error: FastifyError, request, reply) => {
          const failData = (request.routeOptions.config as { failData?: unknown } | undefined)?.failData ?? null;
          const coreError = isCoreError(error) ? error : wireErrorFor(error);
          if (coreError) return sendFailure(reply, coreError, failData);
          request.log.error({ err: error }, 'unhandled error');
          return sendFailure(reply, new CoreError('internal'), failData);
        });
        scope.setNotFoundHandler(async (request, reply) =>
          sendFailure(
            reply,
            new CoreError('route_not_found', `No function ${request.method} ${request.url.split('?')[0]}.`),
            null,
          ),
        );
        registerFunction(scope, context, http, {
          name: 'InitiateSignRequest',
          bodyLimit: 16 * 1024 * 1024,
          failData: null,
          run: (request, credential, body) => initiateSignRequest(context, request, credential, body),
        });
        registerFunction(scope, context, http, {
          name: 'RecallSignRequest',
          bodyLimit: 64 * 1024,
          failData: false,
          run: (request, credential, body) => recallSignRequest(context, request, credential, body),
        });
      },
      { prefix: KAIZEN_MOUNT },
    );
  },

  issueTenantCredentials({ ids }) {
    const issued = issueAppToken(ids, 'KAiZEN app token (default)');
    return { credentials: [issued.credential], display: { app_token: issued.token } };
  },

  credentialKinds: [
    {
      kind: APP_TOKEN_KIND,
      description: 'KAiZEN app token, sent as appToken in the JSON body',
      mint({ ids }, { label, expiresAt }) {
        const issued = issueAppToken(ids, label ?? 'KAiZEN app token', expiresAt);
        return { credential: issued.credential, display: { app_token: issued.token } };
      },
    },
  ],

  nativeRoutes: (context) => kaizenNativeRoutes(context),
};
