/** Every id the portal makes is a random UUID v4 in lowercase (functions/adapters/system/). */
const UUID_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

/** Whether a value from outside (a path, a message, a key) is shaped like one of our ids. */
export function isUuid(value: string): boolean {
  return UUID_FORM.test(value);
}
