import type { SessionClaims } from '../domain/ports';

/** The authenticated caller of a contact-facing request: who, in which clinic, through which session. */
export type ContactPrincipal = SessionClaims;

/** SECURITY.md "Sessions and tokens": idle and absolute timeouts. */
export const SESSION_POLICY = {
  idleTimeoutMs: 30 * 60 * 1000,
  absoluteTimeoutMs: 8 * 60 * 60 * 1000,
  /** Writing lastSeenAt on every request would double the writes; a minute's precision is plenty for 30 min. */
  touchIntervalMs: 60 * 1000,
} as const;

/** Download links live this long (SECURITY.md: ≤ 60 s). */
export const DOWNLOAD_LINK_SECONDS = 60;
