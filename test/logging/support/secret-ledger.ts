/** The secrets a test sent to a server, each with the distinctive parts that must not be logged either. */

export interface LedgerEntry {
  readonly label: string;
  readonly needle: string;
}

export class SecretLedger {
  readonly entries: LedgerEntry[] = [];

  /** Records `value` and its `parts` (e.g. the signature of a JWT, the secret half of a key); returns `value`. */
  add(label: string, value: string, ...parts: string[]): string {
    for (const needle of [value, ...parts]) {
      // Short needles would match by chance (and none of our secrets is that short).
      if (needle.length < 12) throw new Error(`${label}: "${needle}" is too short to search for`);
      if (!this.entries.some((entry) => entry.needle === needle)) this.entries.push({ label, needle });
    }
    return value;
  }

  /** The entries whose needle occurs in `text`. */
  foundIn(text: string): LedgerEntry[] {
    return this.entries.filter((entry) => text.includes(entry.needle));
  }

  /** How many distinct secrets (labels) were recorded. */
  get secretCount(): number {
    return new Set(this.entries.map((entry) => entry.label)).size;
  }
}

/** The secret part of `<prefix>_<lookup>.<secret>` keys (native csk_, Lumin lmk_/lmt_) and of signing tokens. */
export function afterLastDot(value: string): string {
  return value.slice(value.lastIndexOf('.') + 1);
}

/** A random base64url string, for made-up credentials. */
export function randomSecret(bytes = 24): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');
}
