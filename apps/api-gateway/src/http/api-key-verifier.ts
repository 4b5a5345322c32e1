import { createHash, timingSafeEqual } from 'node:crypto';

/** Splits MODEL_SERVICE_API_KEY ("k1,k2") into keys; blanks are dropped. */
export function parseApiKeys(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/** A short, stable, non-secret name for a key (safe to log, used as the rate-limit bucket). */
export function apiKeyId(key: string): string {
  return `key_${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12)}`;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Checks a presented X-API-Key against the configured keys in constant time: both sides are hashed to
 * 32 bytes (so the comparison never depends on the key's length) and every configured key is compared,
 * with no early exit on a match.
 */
export class ApiKeyVerifier {
  private readonly keys: ReadonlyArray<{ id: string; digest: Buffer }>;

  constructor(keys: readonly string[]) {
    this.keys = keys.map((k) => ({ id: apiKeyId(k), digest: digest(k) }));
  }

  /** False when no key is configured (development mode without authentication). */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The matching key's id, or null. */
  verify(presented: string | undefined): string | null {
    if (presented === undefined || presented.length === 0 || presented.length > 4096) return null;
    const candidate = digest(presented);
    let match: string | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(candidate, key.digest) && match === null) match = key.id;
    }
    return match;
  }
}
