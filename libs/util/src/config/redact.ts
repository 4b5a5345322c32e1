/** Variables whose values are secret, or are URLs that may carry user:password. */
const SECRET_NAME = /PASSWORD|SECRET|KEY|TOKEN/i;
const URL_NAME = /URL/i;
/** scheme://user:password@ in any text: the password is masked, the user and host stay. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi;

export const REDACTED = '***';

/** True for variable names whose values must never be printed whole (…URL, …PASSWORD, …SECRET, …KEY, …TOKEN). */
export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name) || URL_NAME.test(name);
}

/** Masks the password of every scheme://user:password@host in a text (log lines, error messages). */
export function redactText(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
}

/**
 * A value as it may be printed: secrets (PASSWORD, SECRET, KEY, TOKEN in the name) become "***";
 * URLs keep scheme, user and host with the password masked; anything else is unchanged.
 */
export function redactValue(name: string, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return value;
  if (SECRET_NAME.test(name)) return REDACTED;
  if (URL_NAME.test(name)) return redactText(String(value));
  return typeof value === 'string' ? redactText(value) : value;
}

/** A configuration object with every value passed through redactValue (for start-up logs). */
export function redactConfig(config: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([name, value]) => [name, redactValue(name, value)]));
}
