/**
 * POST /document/upload (private key): a base64 PDF and its signProfile -> `{document: "<CODE>"}`.
 * Documented options we cannot honour are refused when they would promise something (compress
 * upload, OTP, camera), and accepted and ignored when they only tune delivery (folder, remember,
 * webhooks, positions). Anything undocumented is a 400.
 */
import { z } from 'zod';
import { CoreError, isCoreError } from '../../core/errors.js';
import type { CoreDeps, CredentialRecord } from '../../core/ports.js';
import { createSignatureRequest } from '../../core/use-cases/create-signature-request.js';
import type { FastifyRequest } from 'fastify';
import { parseOrThrow } from '../../http/route.js';
import { decodeBase64Pdf } from '../base64-document.js';
import { surfaceCallContext } from '../call-context.js';
import { AUCO_CODE_ALIAS, newAucoCode } from './codes.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const refused = (what: string) => `${what} is not supported by this server`;

const signProfile = z.strictObject({
  name: text(200),
  email: z.email().max(320),
  phone: z.string().max(30).optional(),
  role: z.enum(['SIGNER', 'APPROVER']).optional(),
  order: z.number().int().min(0).max(100).optional(),
  position: z.unknown().optional(),
  positions: z.unknown().optional(),
});

export const uploadBody = z.strictObject({
  email: z.email().max(320),
  name: text(255),
  subject: text(255),
  message: text(2000),
  file: z.string().min(1),
  signProfile: z.array(signProfile).min(1).max(100),
  expiredDate: z.string().max(40).optional(),
  compress: z.literal(false, refused('compress (signed-URL upload); send the PDF in file')).optional(),
  otpCode: z.literal(false, refused('otpCode')).optional(),
  camera: z.literal(false, refused('camera')).optional(),
  folder: z.string().max(255).optional(),
  remember: z.number().int().min(0).max(8760).optional(),
  webhooks: z.array(z.string().max(100)).max(20).optional(),
});

/** Auco documents without expiredDate never expire; the core needs a deadline, so it is far away. */
const NO_EXPIRY_MS = 10 * 365 * 86_400_000;
const CODE_ATTEMPTS = 5;

/** `2025-03-31` means the end of that day (UTC); a full date-time is taken as given. */
function parseExpiredDate(value: string): number {
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = Date.parse(isDateOnly ? `${value}T23:59:59.999Z` : value);
  if (Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new CoreError('validation_failed', 'expiredDate must be an ISO 8601 date or date-time.', {
      issues: [{ path: 'body.expiredDate', message: 'not an ISO 8601 date' }],
    });
  }
  return parsed;
}

/** A fresh code, checked against the tenant's ids (a clash is a 1-in-10^15 event, but costs nothing to avoid). */
async function unusedCode(deps: CoreDeps, tenantId: string): Promise<string> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = newAucoCode(deps.ids);
    if ((await deps.store.read((tx) => tx.requests.resolveId(tenantId, code))) === undefined) return code;
  }
  throw new Error('could not draw an unused Auco code');
}

const CORE_FIELD_NAMES: Readonly<Record<string, string>> = {
  title: 'body.name',
  signers: 'body.signProfile',
  expires_at: 'body.expiredDate',
};

export async function uploadDocument(
  deps: CoreDeps,
  request: FastifyRequest,
  credential: CredentialRecord,
): Promise<{ document: string }> {
  const body = parseOrThrow(uploadBody, request.body ?? null, 'body');
  const expiresAt =
    body.expiredDate === undefined ? deps.clock.now() + NO_EXPIRY_MS : parseExpiredDate(body.expiredDate);
  const bytes = decodeBase64Pdf(body.file);
  const code = await unusedCode(deps, credential.tenantId);
  try {
    await createSignatureRequest(deps, {
      tenantId: credential.tenantId,
      title: body.name,
      message: body.message,
      ownerEmail: body.email,
      expiresAt,
      document: { filename: `${body.name.slice(0, 200)}.pdf`, bytes },
      // APPROVERs approve by signing: Countersign has one kind of participant.
      signers: body.signProfile.map((profile) => ({
        name: profile.name,
        email: profile.email,
        order: profile.order ?? 1,
      })),
      aliases: { [AUCO_CODE_ALIAS]: code },
      origin: 'auco',
      context: surfaceCallContext(request, credential, 'auco', body.email),
    });
  } catch (error) {
    // The core names its own fields; the caller knows Auco's.
    if (isCoreError(error) && error.details.issues) {
      const issues = error.details.issues.map((issue) => ({
        ...issue,
        path: CORE_FIELD_NAMES[issue.path] ?? issue.path,
      }));
      throw new CoreError(error.code, error.message, { ...error.details, issues });
    }
    throw error;
  }
  return { document: code };
}
