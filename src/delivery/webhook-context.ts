/** What the webhook handlers and endpoint management share, handed in by the composition root. */
import type { CoreDeps } from '../core/ports.js';
import type { DeliveryTx } from './ports.js';
import type { SecretSealer } from '../security/sealed-secrets.js';

export interface WebhookContext {
  /** Its store reaches delivery's own tables (the attempt log) too. */
  readonly deps: CoreDeps<DeliveryTx>;
  /** Seals and opens the endpoints' secrets and static headers (bound to the endpoint id). */
  readonly sealer: SecretSealer;
}
