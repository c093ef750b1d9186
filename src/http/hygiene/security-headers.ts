/**
 * Security headers on every answer (@fastify/helmet), whatever scope or error handler sends it.
 * API answers are JSON and PDF, never pages: their CSP allows nothing to load and no one to frame
 * them. The one HTML page, /docs (swagger-ui), gets its own CSP allowing only its own assets.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** 180 days; sent only when the public URL is https (see below). */
const HSTS_MAX_AGE_SECONDS = 180 * 86_400;

/** swagger-ui loads its scripts, styles and images from /docs/static and the document from /docs/json. */
export const DOCS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where clients are known to reach us over TLS: a browser ignores it over plain http,
    // and sent from a server whose public URL is http it would promise TLS that may not exist.
    // No includeSubDomains: the server cannot know what else runs under its parent domain.
    hsts: publicUrl.startsWith('https://') ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false } : false,
  });
}
