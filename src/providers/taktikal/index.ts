/**
 * The Taktikal-compatible surface (docs/compat/taktikal.md): signing processes and sequences,
 * their cancellation (seed 002), activity logs and Taktikal-format webhooks, under `/taktikal/api`
 * and `/taktikal`, with Basic auth and ServiceStack-style errors.
 */
import type { Surface, SurfaceContext } from '../surface.js';
import { activityRoutes } from './activity-routes.js';
import { CREDENTIAL_KIND, issueTaktikalCredentials, mintTaktikalKeys } from './auth.js';
import { ProcessCreator } from './create-process.js';
import { ProcessReader } from './processes.js';
import { createTaktikalWebhookRenderer } from './render-webhook.js';
import { mountTaktikal } from './routing.js';
import { signingRoutes } from './signing-routes.js';
import { createTaktikalStore } from './taktikal-store.js';
import { webhookRoutes } from './webhook-routes.js';

export const taktikalSurface: Surface = {
  name: 'taktikal',

  async register(app, context: SurfaceContext, http) {
    const store = createTaktikalStore(context);
    const reader = new ProcessReader(context, store);
    const creator = new ProcessCreator(context, store, reader);
    await mountTaktikal(app, context.deps, http.throttle, [
      ...signingRoutes(context, reader, creator),
      ...activityRoutes(context, reader),
      ...webhookRoutes(context),
    ]);
  },

  issueTenantCredentials: ({ ids }) => issueTaktikalCredentials(ids),

  credentialKinds: [
    {
      kind: CREDENTIAL_KIND,
      description: 'Taktikal company key and API key, sent as HTTP Basic (companyKey:apiKey)',
      mint: ({ ids }, { label, expiresAt }) => mintTaktikalKeys(ids, label ?? 'taktikal', expiresAt),
    },
  ],

  webhookRenderer: createTaktikalWebhookRenderer,
};
