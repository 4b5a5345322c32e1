import { MalformedPositionAnswerError, parsePositionAnswer, PositionAnswer } from './position-answer';

export interface PositionManagerClientOptions {
  /** POSITION_MANAGER_URL, e.g. http://position-manager:8080 */
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
}

export type UnavailableKind = 'timeout' | 'network' | 'http_status' | 'malformed';

/** The position manager did not give a usable answer (the caller falls back to the positions table). */
export class PositionManagerUnavailableError extends Error {
  override readonly name = 'PositionManagerUnavailableError';

  constructor(
    readonly kind: UnavailableKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `GET {POSITION_MANAGER_URL}/api/v1/positions/{asset}` with X-API-Key; 404 = no position. Every failure
 * is one PositionManagerUnavailableError with its kind: `timeout` (no whole answer within timeoutMs),
 * `network` (no connection), `http_status` (any status but 2xx and 404) or `malformed` (not JSON, or
 * not a positions answer, see parsePositionAnswer).
 */
export class PositionManagerClient {
  private readonly baseUrl: string;

  constructor(private readonly opts: PositionManagerClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The asset's positions; throws PositionManagerUnavailableError on a timeout, network error, 5xx/4xx or malformed body. */
  async positions(asset: string): Promise<PositionAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.apiKey) headers['X-API-Key'] = this.opts.apiKey;
    let text: string;
    let status: number;
    try {
      // The timeout covers the whole exchange, body included (a server that stalls mid-body times out too).
      const res = await fetch(`${this.baseUrl}/api/v1/positions/${encodeURIComponent(asset)}`, { headers, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (err) {
      // Read the name without instanceof: fetch's DOMException may come from another realm (e.g. a test VM).
      const name = typeof err === 'object' && err !== null ? String((err as { name?: unknown }).name ?? '') : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new PositionManagerUnavailableError('timeout', `no answer for ${asset} within ${this.opts.timeoutMs} ms`);
      }
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new PositionManagerUnavailableError('network', `request for ${asset} failed: ${err instanceof Error ? err.message : String(err)}${cause}`);
    }
    if (status === 404) return { asset, positions: [] };
    if (status < 200 || status >= 300) {
      throw new PositionManagerUnavailableError('http_status', `answered ${status} for ${asset}: ${text.slice(0, 200)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PositionManagerUnavailableError('malformed', `answer for ${asset} is not JSON: ${text.slice(0, 200)}`);
    }
    try {
      return parsePositionAnswer(body, asset);
    } catch (err) {
      if (err instanceof MalformedPositionAnswerError) throw new PositionManagerUnavailableError('malformed', `answer for ${asset}: ${err.message}`);
      throw err;
    }
  }
}
