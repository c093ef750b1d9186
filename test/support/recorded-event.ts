/** A stored audit event read as its typed form (what the webhook renderers get), or the test fails. */
import { readAuditEvent, type RecordedAuditEvent } from '../../src/core/events/audit-events.js';
import type { AuditEvent } from '../../src/core/model.js';

export function recordedEvent(stored: AuditEvent): RecordedAuditEvent {
  const read = readAuditEvent(stored);
  if ('error' in read) throw new Error(`audit event ${stored.id} cannot be read: ${read.error}`);
  return read.value;
}
