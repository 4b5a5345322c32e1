import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { ToInteger } from './query-rules';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;
/** Deeper pages cost the database a scan of every skipped row: narrow the filters (or the time window) instead. */
export const MAX_OFFSET = 100_000;

/** ?limit (1-1000, default 100) & offset (0-100,000, default 0). */
export class PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional() @ToInteger() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional() @ToInteger() @IsInt() @Min(0) @Max(MAX_OFFSET, { message: `offset must not be greater than ${MAX_OFFSET}; narrow the filters instead` })
  offset = 0;
}

/** { items, total, limit, offset } */
export interface PageDto<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
