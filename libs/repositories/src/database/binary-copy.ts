import { Client, ClientConfig, Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** `PGCOPY\n\377\r\n\0`: the first 11 bytes of every binary COPY stream. */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
const EMPTY = Buffer.alloc(0);

/**
 * Splits PostgreSQL's binary COPY format (header, tuples, trailer) into tuples, across chunk boundaries.
 * Each tuple is handed over as the buffer holding it and, per field, its start and length in `fields`
 * (`fields[2i]`, `fields[2i + 1]`; length -1 for NULL). The views are valid only during the call.
 */
export class BinaryCopyParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private headerRead = false;
  private ended = false;
  private fields = new Int32Array(64);

  constructor(private readonly onTuple: (buf: Buffer, fields: Int32Array, count: number) => void) {}

  push(chunk: Buffer): void {
    if (this.ended) {
      if (chunk.length > 0) throw new Error('binary COPY: data after the trailer');
      return;
    }
    if (!this.headerRead) {
      this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
      this.pos = 0;
      if (this.readHeader()) this.parse(Number.POSITIVE_INFINITY);
      return;
    }
    let offset = 0;
    if (this.pos < this.buf.length) {
      // A tuple began in the previous chunk: complete it from the start of this one, copying only what it takes.
      const left = this.buf.subarray(this.pos);
      for (let take = 1024; ; take *= 4) {
        this.buf = Buffer.concat([left, chunk.subarray(0, take)]);
        this.pos = 0;
        const used = this.parse(1);
        if (used > 0) {
          offset = used - left.length;
          break;
        }
        if (take >= chunk.length) return; // still incomplete: all of it is kept for the next chunk
      }
      if (this.ended) {
        if (offset !== chunk.length) throw new Error('binary COPY: data after the trailer');
        return;
      }
    }
    this.buf = offset === 0 ? chunk : chunk.subarray(offset);
    this.pos = 0;
    this.parse(Number.POSITIVE_INFINITY);
  }

  /** Reads up to `max` tuples (or the trailer) from `buf` at `pos`; returns the bytes consumed from 0. */
  private parse(max: number): number {
    const buf = this.buf;
    const end = buf.length;
    let pos = this.pos;
    for (let done = 0; done < max && pos + 2 <= end; done++) {
      const count = buf.readInt16BE(pos);
      if (count === -1) {
        this.ended = true;
        pos += 2;
        if (pos !== end) throw new Error('binary COPY: data after the trailer');
        break;
      }
      if (count < 0) throw new Error(`binary COPY: bad field count ${count}`);
      if (this.fields.length < 2 * count) this.fields = new Int32Array(2 * count);
      const fields = this.fields;
      let p = pos + 2;
      let complete = true;
      for (let i = 0; i < count; i++) {
        if (p + 4 > end) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(p);
        p += 4;
        if (len < -1) throw new Error(`binary COPY: bad field length ${len}`);
        fields[2 * i] = p;
        fields[2 * i + 1] = len;
        if (len > 0) p += len;
        if (p > end) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      this.onTuple(buf, fields, count);
      pos = p;
    }
    this.pos = pos;
    return pos;
  }

  /** Throws unless the whole stream, trailer included, was read. */
  finish(): void {
    if (!this.ended) throw new Error('binary COPY: the stream ended before its trailer');
  }

  private readHeader(): boolean {
    const buf = this.buf;
    if (buf.length < 19) return false;
    if (buf.compare(SIGNATURE, 0, SIGNATURE.length, 0, SIGNATURE.length) !== 0) throw new Error('binary COPY: bad signature');
    const extension = buf.readUInt32BE(15);
    if (buf.length < 19 + extension) return false;
    this.pos = 19 + extension;
    this.headerRead = true;
    return true;
  }
}

export interface CopyOutOptions {
  /**
   * Fail when the server sends nothing for this long while the reader waits for it (the statement timeout of a
   * long COPY, whose length depends on the data, not on the server's health). Default: the data source's
   * statement timeout; 0 = never.
   */
  idleTimeoutMs?: number;
  /** Session settings for the COPY's connection (`SET name = value`; names and values are trusted code). */
  settings?: Record<string, string>;
}

/**
 * The raw output of `COPY (...) TO STDOUT`, chunk by chunk with backpressure (the server waits while the caller
 * works), from a connection of its own made with the data source's settings (URL, search_path, SSL, timeouts),
 * minus the client-side query time-out, which pg would fire on a long COPY after it succeeded. Stopping early
 * (break, throw) or a failure closes the connection, which ends the statement on the server.
 */
export async function* copyOut(dataSource: DataSource, sql: string, opts: CopyOutOptions = {}): AsyncGenerator<Buffer> {
  const pool = (dataSource.driver as PostgresDriver).master as (Pool & { options: ClientConfig }) | undefined;
  if (!pool) throw new Error('the data source is not initialized');
  const idleTimeoutMs = opts.idleTimeoutMs ?? (typeof pool.options.statement_timeout === 'number' ? pool.options.statement_timeout : 0);
  const client = new Client({ ...pool.options, query_timeout: undefined });
  client.on('error', () => undefined);
  await client.connect();
  let clean = false;
  try {
    for (const [name, value] of Object.entries(opts.settings ?? {})) await client.query(`SET ${name} = ${value}`);
    const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT binary)`));
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    for (;;) {
      const next = await withIdleTimeout(chunks.next(), idleTimeoutMs);
      if (next.done) break;
      yield next.value;
    }
    clean = true;
  } finally {
    if (clean) await client.end().catch(() => undefined);
    else {
      // Mid-COPY: the protocol cannot be resumed; drop the socket so the server ends the statement.
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      await client.end().catch(() => undefined);
    }
  }
}

function withIdleTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  if (ms <= 0) return p;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`COPY: no data from the server for ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
