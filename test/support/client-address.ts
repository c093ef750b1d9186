/**
 * Requests from another client address: the whole 127.0.0.0/8 is loopback on Linux, so binding
 * the client socket to 127.0.0.2, 127.0.0.3, … gives the server (trustProxy off) a different
 * request.ip per "client" without any proxy header.
 */
import { Agent, fetch } from 'undici';

const agents = new Map<string, Agent>();

function agentFor(address: string): Agent {
  let agent = agents.get(address);
  if (!agent) {
    agent = new Agent({ localAddress: address });
    agents.set(address, agent);
  }
  return agent;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Like harness `call`, from `address`; a JSON `body` is sent as application/json, `rawBody` as is. */
export async function callFrom(
  address: string,
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Uint8Array | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    dispatcher: agentFor(address),
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers as unknown as Headers, body: parsed };
}

export async function closeClientAddresses(): Promise<void> {
  await Promise.all([...agents.values()].map((agent) => agent.close()));
  agents.clear();
}
