import { isLanguage, type Language, setLanguage } from './i18n';

/*
 * The language this browser chose, remembered in localStorage: it outlives logout and reloads, and a login page can
 * only know it from here. The contact's server-side preference (used for mails) is saved separately by the shell.
 */

const STORAGE_KEY = 'foretagsportal.language';

/** The language chosen in this browser before, if any (storage may be unavailable, e.g. blocked by the user). */
export function rememberedLanguage(): Language | undefined {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** Switches the catalogue and the document's language (screen readers pronounce by it); `remember` stores the choice. */
export function applyLanguage(language: Language, options: { readonly remember: boolean }): void {
  setLanguage(language);
  document.documentElement.lang = language;
  if (options.remember) {
    try {
      window.localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Not remembered across reloads then; the page still switches.
    }
  }
}
