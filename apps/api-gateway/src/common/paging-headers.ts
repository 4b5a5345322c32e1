import type { Request, Response } from 'express';

/**
 * Paging of an endpoint that answers a bare array (as the original service did): X-Total-Count,
 * X-Limit, X-Offset and a Link header with next/prev (RFC 8288), exposed to browsers.
 */
export function setPagingHeaders(req: Request, res: Response, page: { total: number; limit: number; offset: number }): void {
  res.setHeader('X-Total-Count', String(page.total));
  res.setHeader('X-Limit', String(page.limit));
  res.setHeader('X-Offset', String(page.offset));
  const links: string[] = [];
  const at = (offset: number): string => {
    const url = new URL(req.originalUrl, 'http://localhost');
    url.searchParams.set('limit', String(page.limit));
    url.searchParams.set('offset', String(offset));
    return `${url.pathname}${url.search}`;
  };
  if (page.offset + page.limit < page.total) links.push(`<${at(page.offset + page.limit)}>; rel="next"`);
  if (page.offset > 0) links.push(`<${at(Math.max(0, page.offset - page.limit))}>; rel="prev"`);
  if (links.length) res.setHeader('Link', links.join(', '));
  res.setHeader('Access-Control-Expose-Headers', 'X-Total-Count, X-Limit, X-Offset, Link');
}
