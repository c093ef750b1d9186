/**
 * The one policy for webhook URLs that tenants register, through any surface (the core's
 * WebhookUrlPolicy port; every registration use case checks with it): checkWebhookUrl's rules,
 * which every send applies again (http or https, no user name or password, every address the host
 * resolves to public unless the operator allows private targets), and no fragment. A fragment is
 * never sent, so a URL with one would be stored and shown as something other than what is posted
 * to; send time does not refuse it, so that endpoints registered before this rule keep working.
 */
import type { WebhookUrlPolicy } from '../core/ports.js';
import { checkWebhookUrl, type ResolveHost } from './outbound-http.js';

export interface WebhookUrlPolicyOptions {
  /** COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS: receivers on the operator's own network. */
  readonly allowPrivateNetworks: boolean;
  readonly resolveHost?: ResolveHost;
}

export function createWebhookUrlPolicy(options: WebhookUrlPolicyOptions): WebhookUrlPolicy {
  return {
    async check(raw) {
      if (URL.canParse(raw) && new URL(raw).href.includes('#'))
        return { ok: false, code: 'fragment_in_url', message: 'a fragment (#…) is never sent; remove it' };
      const check = await checkWebhookUrl(raw, options);
      return check.ok ? { ok: true, url: check.url.href } : { ok: false, ...check.error };
    },
  };
}
