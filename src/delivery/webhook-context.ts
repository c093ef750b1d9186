/** What the webhook handlers and endpoint management share, handed in by the composition root. */
import type { CoreDeps } from '../core/ports.js';
import type { SecretSealer } from '../security/sealed-secrets.js';

export interface WebhookContext {
  readonly deps: CoreDeps;
  /** Seals and opens the endpoints' secrets and static headers (bound to the endpoint id). */
  readonly sealer: SecretSealer;
}
