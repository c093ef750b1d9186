/**
 * Keep-alive connections for webhook posts (see postWebhook's `pool`). A new TCP (and TLS)
 * connection per post capped the worker at a few hundred posts a second.
 */
import type { Agent } from 'undici';
import { pinnedAgent, type WebhookConnectionPool } from './outbound-http.js';

/**
 * An agent is shared only by posts to the same origin whose host resolved to the same checked
 * addresses, so pinning holds: a new DNS answer gets a new agent. Idle sockets close after
 * undici's keep-alive timeout and do not keep the process alive.
 */
export function createConnectionPool(
  options: { maxOrigins?: number; connectionsPerOrigin?: number } = {},
): WebhookConnectionPool {
  const maxOrigins = options.maxOrigins ?? 256;
  const agents = new Map<string, Agent>(); // insertion order = least recently used first
  return {
    agentFor(url, addresses, timeoutMs) {
      const key = `${url.origin}|${addresses.map(({ address }) => address).join(',')}|${timeoutMs}`;
      const existing = agents.get(key);
      if (existing) {
        agents.delete(key);
        agents.set(key, existing);
        return existing;
      }
      const agent = pinnedAgent(addresses, timeoutMs, options.connectionsPerOrigin ?? 16);
      agents.set(key, agent);
      for (const [oldest, evicted] of agents) {
        if (agents.size <= maxOrigins) break;
        agents.delete(oldest);
        void evicted.close().catch(() => undefined); // lets posts in flight on it finish
      }
      return agent;
    },
    async close() {
      const all = [...agents.values()];
      agents.clear();
      await Promise.all(all.map((agent) => agent.destroy().catch(() => undefined)));
    },
  };
}
