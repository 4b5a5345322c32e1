import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { ToInteger } from './query-rules';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

/** ?limit (1-1000, default 100) & offset (>= 0, default 0). */
export class PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional() @ToInteger() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional() @ToInteger() @IsInt() @Min(0) @Max(1_000_000_000)
  offset = 0;
}

/** { items, total, limit, offset } */
export interface PageDto<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
