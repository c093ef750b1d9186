/**
 * Who the people outside a tenant are told acted (a signer's cancellation mail, the owner's copy,
 * the VOID stamp): the person the caller named (the native `actor`, KAiZEN `recalledBy`, Auco
 * `email`, Taktikal `User`), or nobody, and then the tenant, the sender the signer knows. Never a
 * credential's label ("default", "Lumin API key (Primary)", a Taktikal company key, a Singpass
 * client id): it means nothing to a signer and tells them about the tenant's internals. The audit
 * trail keeps the full actor either way.
 */
import type { Actor } from './model.js';

/** The name to show for `actor`, or null when the tenant's name should be shown instead. */
export function personNamed(actor: Actor | undefined): string | null {
  if (actor?.type !== 'user') return null;
  const name = (actor.display ?? actor.id).trim();
  return name === '' ? null : name;
}
