import type { Request } from 'express';

/** The Express request as this API sees it: the guard records which API key made it. */
export interface ApiRequest extends Request {
  /** apiKeyId() of the key that authenticated the request ('anonymous' when authentication is off). */
  apiKeyId?: string;
}

export const TRACE_HEADER = 'X-Trace-Id';
/** A caller's trace id is kept when it is 1-100 printable ASCII characters (it goes into messages and rows). */
export const VALID_TRACE_ID = /^[\x21-\x7e]{1,100}$/;
