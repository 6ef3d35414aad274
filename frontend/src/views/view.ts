/** What a view hands to the shell in main.ts: its content and how the page should present it. */
export interface View {
  /** Page name for `document.title`. */
  readonly title: string;
  readonly element: HTMLElement;
  /** Receives focus when the view replaces another one, so screen-reader and keyboard users start at the top. */
  readonly focusTarget: HTMLElement;
  /** Runs after the element is in the document (live-region announcements only work for attached regions). */
  readonly onMount?: () => void;
}

/** A message shown when a view opens, e.g. why the user is back at the login page. */
export interface Notice {
  readonly kind: 'info' | 'warning';
  readonly text: string;
}
