import { parse } from '../validation/parse';
import { NormalizedKline } from './normalized-kline';
import { NormalizedOrderbook } from './normalized-orderbook';
import { NormalizedTicker } from './normalized-ticker';

/**
 * Normalizers for `ws-gateway.*` messages: Bybit v5 payloads bare or in the gateway envelope (Buffer, JSON
 * string or object), or an already-normalized object. Numbers come back as JS numbers; any bad input throws
 * ContractValidationError naming the Bybit field (e.g. `data.lastPrice`, `payload.b`, `data[0].open`).
 * Equivalent to parse(NormalizedTicker, raw) etc., so a consumer can be declared with the Normalized* class.
 */
export function parseTicker(raw: Buffer | string | unknown): NormalizedTicker {
  return parse(NormalizedTicker, raw);
}

export function parseOrderbook(raw: Buffer | string | unknown): NormalizedOrderbook {
  return parse(NormalizedOrderbook, raw);
}

export function parseKline(raw: Buffer | string | unknown): NormalizedKline {
  return parse(NormalizedKline, raw);
}
