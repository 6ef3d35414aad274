import { sv } from './sv';

export type { Messages } from './sv';

/** The active message catalogue. Swedish is the only language so far; language choice plugs in here. */
export const messages = sv;
