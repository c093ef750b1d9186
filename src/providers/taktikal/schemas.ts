/**
 * The request shapes, from the swagger's definitions (CreateSigningProcess, CreateSignee,
 * CreateSequentialSigning) and the cancel/activity query parameters. Enum values are accepted in
 * any case (ServiceStack binds C# enums that way) and come out in their C# spelling.
 */
import { z } from 'zod';
import { MAX_SIGNERS } from '../../core/use-cases/create-signature-request.js';
import { DELIVERY_TYPES } from './taktikal-store.js';

export const LANGUAGES = ['Is', 'En', 'Da', 'Nb', 'Sv', 'De', 'Fr', 'Es', 'Cs', 'Pl', 'Hu'] as const;
export const SIGNATURE_TYPES = ['Qualified', 'Simple'] as const;
export const SIGNATURE_LOCATIONS = ['TopFirstPage', 'BottomLastPage'] as const;
/** Each document is at most 10 MiB; its base64 is 4/3 of that. */
export const MAX_PDF_BASE64_CHARS = Math.ceil((10 * 1024 * 1024) / 3) * 4;
export const MAX_SEQUENCE_PROCESSES = 20;

function anyCase<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((given, context): T[number] => {
    const match = values.find((value) => value.toLowerCase() === given.trim().toLowerCase());
    if (match === undefined) {
      context.addIssue({
        code: 'custom',
        message: `Must be one of: ${values.join(', ')}.`,
        params: { errorCode: 'Enum' },
      });
      return z.NEVER;
    }
    return match;
  });
}

const text = (max: number) => z.string().max(max).nullish();
/** `""` and null both mean "not given" (the docs: the owner "can be empty"). */
const optionalEmail = z.union([z.literal(''), z.email().max(254)]).nullish();

const reminderRule = z.string().refine(
  (rule) => {
    if (rule === '') return true;
    const match = /^(\d{1,2}):(\d{1,2})$/.exec(rule);
    return match !== null && Number(match[1]) <= 30 && Number(match[2]) <= 15;
  },
  {
    message: 'Use "first:every", first 0-30 days and every 0-15 days (e.g. "1:3").',
    params: { errorCode: 'InvalidFormat' },
  },
);

const notSupported = (what: string) =>
  z
    .array(z.unknown())
    .nullish()
    .refine((list) => !list || list.length === 0, {
      message: `${what} are not supported by Countersign; send an empty list or leave it out.`,
      params: { errorCode: 'NotSupported' },
    });

export const createSigneeSchema = z
  .strictObject({
    // Accepted because the C# model has it; the process is always the one being created.
    processKey: text(64),
    name: z.string().trim().min(1).max(200),
    ssn: text(32),
    phoneNumber: text(32),
    email: optionalEmail,
    address: text(200),
    postalCode: text(20),
    city: text(100),
    reason: text(200),
    hidePersonalCode: z.boolean().nullish(),
    communicationDeliveryType: anyCase(DELIVERY_TYPES).nullish(),
    customSmsText: text(200),
    signatureType: anyCase(SIGNATURE_TYPES).nullish(),
    language: anyCase(LANGUAGES).nullish(),
    // The C# CreateSignee carries the owner too; the process-level `user` is the one used.
    user: optionalEmail,
  })
  .superRefine((signee, context) => {
    if (signee.communicationDeliveryType === 'Email' && !signee.email) {
      context.addIssue({
        code: 'custom',
        path: ['email'],
        message: 'An email is required when communicationDeliveryType is email.',
        params: { errorCode: 'NotEmpty' },
      });
    }
  });

export type CreateSigneeInput = z.infer<typeof createSigneeSchema>;

/** The delivery type a signee ends up with: as given, else email when there is an address to send to. */
export function deliveryTypeOf(signee: CreateSigneeInput): (typeof DELIVERY_TYPES)[number] {
  return signee.communicationDeliveryType ?? (signee.email ? 'Email' : 'None');
}

export const createSigningProcessSchema = z
  .strictObject({
    flowKey: z.string().trim().min(1).max(64),
    // Countersign has no flows that build the document, so the PDF is always needed.
    pdfDocument: z
      .string()
      .min(1, 'Countersign has no flows that build documents: send pdfDocument (base64).')
      .max(MAX_PDF_BASE64_CHARS),
    pdfFileName: z.string().trim().min(1).max(255),
    createSignees: z.array(createSigneeSchema).min(1).max(MAX_SIGNERS),
    meta: z
      .record(z.string().max(200), z.string().max(4000))
      .nullish()
      .refine((meta) => !meta || Object.keys(meta).length <= 50, {
        message: 'At most 50 meta entries.',
        params: { errorCode: 'Length' },
      }),
    attachments: notSupported('Attachments'),
    attachmentReferences: notSupported('Attachment references'),
    requiresAuth: z.boolean().nullish(),
    signInOrder: z.boolean().nullish(),
    signatureLocation: anyCase(SIGNATURE_LOCATIONS).nullish(),
    user: optionalEmail,
    sequenceKey: text(64),
    activityDisplayName: text(200),
    flattenDocument: z.boolean().nullish(),
    reminderRule: reminderRule.nullish(),
  })
  .superRefine((process, context) => {
    // The core refuses two signers with one email; said here so that a sequence is refused whole.
    const seen = new Set<string>();
    process.createSignees.forEach((signee, index) => {
      if (deliveryTypeOf(signee) !== 'Email' || !signee.email) return;
      const email = signee.email.toLowerCase();
      if (seen.has(email)) {
        context.addIssue({
          code: 'custom',
          path: ['createSignees', index, 'email'],
          message: 'Each signee with email delivery needs a distinct email.',
          params: { errorCode: 'Duplicate' },
        });
      }
      seen.add(email);
    });
  });

export type CreateSigningProcessInput = z.infer<typeof createSigningProcessSchema>;

export const createSequentialSigningSchema = z
  .strictObject({
    user: z.email().max(254),
    requiresAuth: z.boolean().nullish(),
    signInOrder: z.boolean().nullish(),
    createSigningProcesses: z.array(createSigningProcessSchema).min(1).max(MAX_SEQUENCE_PROCESSES),
  })
  .superRefine((sequence, context) => {
    sequence.createSigningProcesses.forEach((process, index) => {
      if (process.sequenceKey) {
        context.addIssue({
          code: 'custom',
          path: ['createSigningProcesses', index, 'sequenceKey'],
          message: 'The processes of a new sequence join it; leave sequenceKey out.',
          params: { errorCode: 'NotSupported' },
        });
      }
    });
  });

export type CreateSequentialSigningInput = z.infer<typeof createSequentialSigningSchema>;

const key = z.string().trim().min(1).max(100);
const queryEmail = z.union([z.literal(''), z.email().max(254)]).optional();

/** Query strings: unknown parameters are ignored (as ServiceStack does), repeated ones refused. */
export const cancelQuerySchema = z.object({ ProcessKey: key, User: queryEmail });
export const cancelSequenceQuerySchema = z.object({ SequenceKey: key, User: z.email().max(254) });

/** ISO 8601; without a zone it is UTC. Seven fractional digits (.NET) are accepted. */
const dateTime = z.string().transform((given, context) => {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    given.trim(),
  );
  const time = match
    ? Date.parse(
        `${match[1]}T${match[2] ?? '00:00:00'}${match[3] ? `.${match[3].slice(0, 3).padEnd(3, '0')}` : ''}${match[4] ?? 'Z'}`,
      )
    : NaN;
  if (Number.isNaN(time)) {
    context.addIssue({
      code: 'custom',
      message: 'Must be an ISO 8601 date-time.',
      params: { errorCode: 'InvalidFormat' },
    });
    return z.NEVER;
  }
  return time;
});
const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'Must be a whole number.')
    .transform(Number)
    .refine((value) => value <= max, `At most ${max}.`)
    .optional();

export const MAX_ACTIVITY_TAKE = 10_000;

export const activityQuerySchema = z
  .object({
    StartDate: dateTime,
    EndDate: dateTime,
    Take: count(MAX_ACTIVITY_TAKE),
    Skip: count(100_000),
    User: queryEmail,
    FlowKey: z.string().max(64).optional(),
    // Countersign has no flow types; accepted so that clients sending it are not refused.
    FlowType: z.string().max(64).optional(),
    ProcessKey: z.string().max(100).optional(),
  })
  .superRefine((query, context) => {
    if (query.StartDate >= query.EndDate) {
      context.addIssue({
        code: 'custom',
        path: ['EndDate'],
        message: 'EndDate must be later than StartDate.',
        params: { errorCode: 'GreaterThan' },
      });
    }
  });

export type ActivityQuery = z.infer<typeof activityQuerySchema>;

export const registerWebhookSchema = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  description: text(200),
});
