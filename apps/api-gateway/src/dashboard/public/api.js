// The ops API as the dashboard uses it: the key from this tab's session storage, sent as X-API-Key.
const KEY_STORAGE = 'model-service.api-key';

export const storedKey = () => sessionStorage.getItem(KEY_STORAGE);
export const storeKey = (key) => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = () => sessionStorage.removeItem(KEY_STORAGE);

/** The gateway refused the key (401). */
export class KeyRefused extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** Any other failed call; `message` is the API's own error text when it sent one. */
export class ApiFailure extends Error {}

async function errorText(res) {
  try {
    const body = await res.json();
    if (body && typeof body.message === 'string') return body.message;
  } catch {
    // not JSON
  }
  return res.statusText || `HTTP ${res.status}`;
}

/** GET /api/v1/<path> with the stored key; the JSON body, or KeyRefused / ApiFailure. */
export async function apiGet(path, key = storedKey()) {
  let res;
  try {
    res = await fetch(`/api/v1/${path}`, { headers: { 'X-API-Key': key ?? '', Accept: 'application/json' } });
  } catch (err) {
    throw new ApiFailure(`the gateway cannot be reached (${err.message})`);
  }
  if (res.status === 401) throw new KeyRefused(await errorText(res), 401);
  if (!res.ok) throw new ApiFailure(`${res.status}: ${await errorText(res)}`);
  return res.json();
}

/** Query string from an object, leaving out undefined values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}
