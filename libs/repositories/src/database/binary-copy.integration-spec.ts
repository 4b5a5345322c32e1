import { BinaryCopyParser, copyOut } from './binary-copy';
import { createDataSource } from './create-data-source';
import { createTestDataSource, TestDataSource } from '../testing';

describe('copyOut (real PostgreSQL)', () => {
  let db: TestDataSource;
  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'copy_out' });
  });
  afterAll(() => db.drop());

  async function tuples(chunks: AsyncGenerator<Buffer>): Promise<string[][]> {
    const out: string[][] = [];
    const parser = new BinaryCopyParser((buf, f, count) => {
      const row: string[] = [];
      for (let i = 0; i < count; i++) row.push(f[2 * i + 1] === -1 ? 'NULL' : buf.toString('utf8', f[2 * i], f[2 * i] + f[2 * i + 1]));
      out.push(row);
    });
    for await (const chunk of chunks) parser.push(chunk);
    parser.finish();
    return out;
  }

  it('streams a binary COPY of a query on its own connection, in the data source’s schema', async () => {
    await db.dataSource.query(`CREATE TABLE copy_probe (t text)`);
    await db.dataSource.query(`INSERT INTO copy_probe VALUES ('a'), (NULL), ('ü')`);
    expect(await tuples(copyOut(db.dataSource, `SELECT t, current_schema()::text FROM copy_probe ORDER BY t NULLS LAST`))).toEqual([
      ['a', db.schema],
      ['ü', db.schema],
      ['NULL', db.schema],
    ]);
  });

  it('fails, instead of waiting forever, when the server sends nothing for the data source’s statement timeout', async () => {
    const short = createDataSource({ url: db.url, schema: db.schema, statementTimeoutMs: 300 });
    await short.initialize();
    try {
      const started = Date.now();
      // The server-side statement timeout is lifted as for a dataset read: only the idle timeout can stop it.
      await expect(tuples(copyOut(short, `SELECT pg_sleep(3)::text`, { settings: { statement_timeout: '0' } }))).rejects.toThrow(/no data from the server for 300 ms/);
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await short.destroy();
    }
  });
});
