import { en } from './en';
import { type Messages, sv } from './sv';

export type { Messages } from './sv';

/** The portal's languages: Swedish first, English second (the server keeps the same codes). */
export type Language = 'sv' | 'en';
export const LANGUAGES: readonly Language[] = ['sv', 'en'];

const catalogues: Readonly<Record<Language, Messages>> = { sv, en };

/**
 * The active message catalogue. A live binding: views read `messages.…` when they render, so after
 * {@link setLanguage} the shell re-renders the current view and everything speaks the new language. Swedish until
 * the shell applies the remembered choice (./language-choice.ts keeps it; this module stays free of browser state,
 * so formats can be tested in Node).
 */
export let messages: Messages = sv;

export function setLanguage(language: Language): void {
  messages = catalogues[language];
}

export function currentLanguage(): Language {
  return messages.locale;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
