/**
 * The reasons a new password was rejected for, as the server words them, in the page's language
 * (functions/domain/password-policy.ts keeps them in Swedish and English, so the rules are described in one place
 * only). Shared by the portal's and the admin pages' set-password views.
 */
export function rejectionTexts(details: Readonly<Record<string, unknown>> | undefined, locale: string): string[] {
  const reasons = details?.reasons;
  if (!Array.isArray(reasons)) {
    return [];
  }
  return reasons.flatMap((reason: unknown) => {
    const message = typeof reason === 'object' && reason !== null && 'message' in reason ? reason.message : undefined;
    const text =
      typeof message === 'object' && message !== null && locale in message
        ? (message as Record<string, unknown>)[locale]
        : undefined;
    return typeof text === 'string' ? [text] : [];
  });
}
