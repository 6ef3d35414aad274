/** The authenticated caller of a contact-facing request: who, in which clinic, through which session. */
export interface ContactPrincipal {
  readonly tenantId: string;
  readonly contactId: string;
  readonly sessionId: string;
}

/** Download links live this long (SECURITY.md: ≤ 60 s). */
export const DOWNLOAD_LINK_SECONDS = 60;
