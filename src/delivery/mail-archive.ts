/** The mail archive as the mail sink, the API and the CLI use it: each call one transaction (or read) on `tx.mails`. */
import type { Store } from '../core/ports.js';
import type { DeliveryTx, MailArchive } from './ports.js';

export function createMailArchive(store: Store<DeliveryTx>): MailArchive {
  return {
    keep: (mail) => store.transaction((tx) => tx.mails.keep(mail)),
    list: (tenantId, query) => store.read((tx) => tx.mails.list(tenantId, query)),
  };
}
