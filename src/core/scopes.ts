/** Native API scopes and what each one grants: admin implies write, write implies read. */
import type { Scope } from './model.js';

export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** Whether a credential holding `held` may do what `needed` allows. */
export function scopesGrant(held: readonly string[], needed: Scope): boolean {
  if (held.includes('admin')) return true;
  if (needed === 'read') return held.includes('read') || held.includes('write');
  return held.includes(needed);
}
