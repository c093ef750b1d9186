/**
 * Field schemas that several audit events and outbox payloads share. Each mirrors a core type
 * (tsc checks that it does), so a value the core holds can be written without a conversion.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { NOTIFY_POLICIES, WEBHOOK_FORMATS, type Retention } from '../model.js';
import { REQUEST_STATUSES } from '../state-machine.js';

export const id = z.string().min(1);
/** Milliseconds since the epoch, as every time in the core. */
export const millis = z.number();
export const requestStatus = z.enum(REQUEST_STATUSES);
export const notifyPolicy = z.enum(NOTIFY_POLICIES);
export const errorCode = z.enum(Object.keys(ERROR_CODES) as ErrorCode[]);

export const retention = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('retain') }),
  z.object({ mode: z.literal('purge') }),
  z.object({ mode: z.literal('purge_after'), days: z.number() }),
]) satisfies z.ZodType<Retention>;

export const webhookEndpointFormat = z.enum(WEBHOOK_FORMATS);

/** On a cancel (or its refusal) that carried out a deferred one (ADR 7): which, and since when. */
export const deferredMark = z.object({ pending_cancellation_id: id, requested_at: millis });
