import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * TypeORM's QueryDeepPartialEntity recurses into jsonb properties typed `Record<string, unknown>` and
 * then rejects them; the values are plain JSON objects, which insert()/update() store as jsonb.
 */
export function asQueryPartial<T>(value: Partial<T>): QueryDeepPartialEntity<T> {
  return value as QueryDeepPartialEntity<T>;
}
