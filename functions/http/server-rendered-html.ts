import { createHash } from 'node:crypto';

/*
 * For the few pages the server renders itself (the ingest API reference, the local BankID dev page): they carry no
 * JavaScript and one inline stylesheet, allowed by its hash alone.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For text and for quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/gu, (character) => HTML_ESCAPES[character] ?? character);
}

/** A Content-Security-Policy that allows nothing but this one stylesheet (and any extra directives given). */
export function policyForInlineStyle(style: string, extraDirectives: readonly string[] = []): string {
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return [
    `default-src 'none'`,
    `style-src 'sha256-${hash}'`,
    ...extraDirectives,
    `frame-ancestors 'none'`,
    `base-uri 'none'`,
  ].join('; ');
}
