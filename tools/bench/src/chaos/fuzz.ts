import { seededRandom } from '@model-service/util';

/**
 * Invalid messages for a consumed queue, each certain to be refused by the consumer (never a valid one by
 * chance): random bytes, non-JSON, deep nesting, wrong types, huge strings in every field (trace_id too),
 * `__proto__` keys, and — at most `bigBodies` times in a whole run — a 10 MB body.
 */
export class Fuzzer {
  private readonly next: () => number;
  private bigLeft: number;

  constructor(seed: number, bigBodies = 2) {
    this.next = seededRandom(seed);
    this.bigLeft = bigBodies;
  }

  /** The i-th poison message built from a valid example body of the queue's contract. */
  body(i: number, valid: Record<string, unknown>): Buffer {
    const kind = i % 8;
    if (kind === 0 && this.bigLeft > 0 && i % 4000 === 0) {
      this.bigLeft--;
      return Buffer.alloc(10 * 1024 * 1024, 0x61);
    }
    const keys = Object.keys(valid);
    const key = keys[Math.floor(this.next() * keys.length)] ?? 'x';
    switch (kind) {
      case 0:
        return Buffer.from(Array.from({ length: 1 + Math.floor(this.next() * 512) }, () => Math.floor(this.next() * 256)));
      case 1:
        return Buffer.from(`{"${key}": ${JSON.stringify(valid[key])}, "truncated`);
      case 2: {
        let deep: unknown = 1;
        for (let d = 0; d < 200; d++) deep = { d: deep };
        return Buffer.from(JSON.stringify({ ...valid, [key]: deep, nested: deep }));
      }
      case 3:
        // Wrong types in every field: numbers become strings, strings arrays, objects numbers.
        return Buffer.from(JSON.stringify(Object.fromEntries(keys.map((k) => [k, wrongType(valid[k])]))));
      case 4:
        return Buffer.from(JSON.stringify({ ...Object.fromEntries(keys.map((k) => [k, 'x'.repeat(20_000)])), trace_id: 't'.repeat(70_000) }));
      case 5:
        return Buffer.from(`{"__proto__": {"polluted": true}, "constructor": {"prototype": {"p": 1}}, ${JSON.stringify(valid).slice(1, -1)}, "${key}": null}`);
      case 6:
        return Buffer.from(JSON.stringify([valid, valid]));
      default:
        return Buffer.from(this.next() < 0.5 ? '' : 'null');
    }
  }
}

function wrongType(v: unknown): unknown {
  if (typeof v === 'number') return String(v) + 'x';
  if (typeof v === 'string') return [v];
  if (typeof v === 'boolean') return 'yes';
  if (v === null) return { unexpected: true };
  return 42;
}
