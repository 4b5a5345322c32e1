import { UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';

/** Throws 401 unless `header` equals `expected`; no key configured = no check (as the neighbours in development). */
export function requireApiKey(header: string | string[] | undefined, expected: string | undefined): void {
  if (expected === undefined || expected === '') return;
  const given = Array.isArray(header) ? header[0] : header;
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new UnauthorizedException({ error: 'unauthorized', message: given ? 'invalid X-API-Key' : 'X-API-Key header required' });
  }
}
