import { BinaryCopyParser } from './binary-copy';

/** A binary COPY stream of `tuples` (null = SQL NULL), as PostgreSQL writes it, with a header extension. */
function stream(tuples: Array<Array<Buffer | null>>): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4), Buffer.from([0, 0, 0, 3, 9, 9, 9])];
  for (const t of tuples) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(t.length);
    parts.push(count);
    for (const f of t) {
      const len = Buffer.alloc(4);
      len.writeInt32BE(f === null ? -1 : f.length);
      parts.push(len);
      if (f) parts.push(f);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function parse(chunks: Buffer[]): string[][] {
  const out: string[][] = [];
  const parser = new BinaryCopyParser((buf, fields, count) => {
    const row: string[] = [];
    for (let i = 0; i < count; i++) row.push(fields[2 * i + 1] === -1 ? 'NULL' : buf.toString('latin1', fields[2 * i], fields[2 * i] + fields[2 * i + 1]));
    out.push(row);
  });
  for (const c of chunks) parser.push(c);
  parser.finish();
  return out;
}

function split(buf: Buffer, sizes: (i: number) => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < buf.length; i++) {
    const n = Math.max(1, sizes(i));
    chunks.push(buf.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

describe('BinaryCopyParser', () => {
  const long = 'x'.repeat(5000); // longer than the first completion attempt (1,024 bytes)
  const tuples = Array.from({ length: 300 }, (_, i) => [
    Buffer.from(`row-${i}`),
    i % 7 === 0 ? null : Buffer.from(i % 50 === 0 ? long : String(i * 3)),
    Buffer.alloc(0),
  ]);
  const expected = tuples.map((t) => t.map((f) => (f === null ? 'NULL' : f.toString('latin1'))));
  const whole = stream(tuples);

  it.each<[string, (i: number) => number]>([
    ['one chunk', () => whole.length],
    ['1-byte chunks', () => 1],
    ['3-byte chunks', () => 3],
    ['chunks of 1,000', () => 1000],
    ['irregular chunks', (i) => [5, 700, 1, 64 * 1024, 13, 2, 4097][i % 7]],
  ])('gives every tuple, NULLs and empty values included, whatever the chunks: %s', (_, sizes) => {
    expect(parse(split(whole, sizes))).toEqual(expected);
  });

  it('refuses a stream that is not binary COPY, that ends early, or that goes on after its trailer', () => {
    expect(() => parse([Buffer.from('COPY 1\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n')])).toThrow(/signature/);
    expect(() => parse([whole.subarray(0, whole.length - 2)])).toThrow(/before its trailer/);
    expect(() => parse([whole.subarray(0, whole.length - 1)])).toThrow(/before its trailer/);
    expect(() => parse([whole, Buffer.from([0])])).toThrow(/after the trailer/);
    expect(() => parse([Buffer.concat([whole, Buffer.from([0])])])).toThrow(/after the trailer/);
  });
});
