import { Client } from 'pg';

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/** The database name of a postgres:// URL (decoded), and the same URL pointing at another database. */
export function splitDatabaseUrl(url: string, otherDatabase = 'postgres'): { database: string; adminUrl: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${redactUrl(url)}`);
  parsed.pathname = `/${encodeURIComponent(otherDatabase)}`;
  return { database, adminUrl: parsed.toString() };
}

/** The URL with its password replaced, for log lines and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

/**
 * Creates the database named in `url` if it does not exist, by connecting to the `postgres`
 * database of the same server. Returns true when it created it. Safe when several processes race.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const { database, adminUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount && found.rowCount > 0) return false;
    try {
      // An identifier cannot be a bind parameter; escapeIdentifier quotes it safely.
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
      throw err;
    }
  } finally {
    await client.end();
  }
}
