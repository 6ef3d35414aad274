import { adminSv } from './admin-sv';

export type { AdminMessages } from './admin-sv';

/** The admin pages' active catalogue. Swedish only so far; a language choice plugs in here, as in ./index.ts. */
export const adminMessages = adminSv;
