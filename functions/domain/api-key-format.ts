/**
 * The text form of an ingest API key: `fpk_<tenant hex>_<key hex>_<secret>`. The tenant and key ids (UUIDs without
 * dashes) let the server find the stored key with one read, without an index over all keys; the secret is 32 random
 * bytes in base64url. The `fpk_` prefix makes leaked keys easy to spot for secret scanners and in logs.
 */
const API_KEY_FORM = /^fpk_([0-9a-f]{32})_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/u;

export interface ParsedApiKey {
  readonly tenantId: string;
  readonly keyId: string;
}

const hex = (uuid: string) => uuid.replaceAll('-', '');
const uuid = (hex32: string) =>
  `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;

export function formatApiKey(tenantId: string, keyId: string, secret: string): string {
  return `fpk_${hex(tenantId)}_${hex(keyId)}_${secret}`;
}

/** The ids inside a key, or undefined if the text is not shaped like one of our keys. */
export function parseApiKey(text: string): ParsedApiKey | undefined {
  const match = API_KEY_FORM.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { tenantId: uuid(match[1]), keyId: uuid(match[2]) };
}

/** What lists show: enough to tell keys apart, nothing that helps to guess one. */
export function displayPrefixOf(keyId: string): string {
  return `fpk_…${hex(keyId).slice(0, 8)}`;
}
