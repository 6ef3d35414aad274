import { createHash } from 'node:crypto';

/** SHA-256, lowercase hex: API key hashes, the content hashes of submissions, uploaded PDFs. */
export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
