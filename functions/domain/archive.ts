import { UnavailableError } from './errors';

/**
 * Limits of one "download many" ZIP. The archive is built inside one API request: every PDF streams from S3 through
 * the function into a multipart upload, so memory stays bounded (a few upload parts), but the time does not. The
 * HTTP API answers 503 after 30 s whatever the function does; 200 MB at the ~20–40 MB/s one Lambda streams from S3
 * to S3 plus a GET per document fits in that with room to spare, and 500 documents is more than ten years of
 * monthly invoice bases for a company. A larger selection is refused up front, naming the limit.
 */
export const ARCHIVE_LIMITS = {
  maxDocuments: 500,
  maxBytes: 200 * 1024 * 1024,
} as const;

/** One PDF in an archive, with the facts recorded when it was published (what the archive checks it against). */
export interface ArchiveFile {
  readonly documentId: string;
  /** The server-chosen name inside the ZIP (unique within the archive). */
  readonly fileName: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** `manifest.json` inside every archive: what it should contain, so the recipient can verify each file. */
export interface ArchiveManifest {
  readonly createdAt: string;
  readonly files: ReadonlyArray<{ readonly name: string; readonly sizeBytes: number; readonly sha256: string }>;
}

export const ARCHIVE_MANIFEST_NAME = 'manifest.json';

/**
 * A stored PDF differs from the SHA-256 or size recorded when it was published (or is gone). The archive is
 * abandoned rather than handing out a file that is not the one the clinic published.
 */
export class ArchiveIntegrityError extends UnavailableError {
  constructor(documentId: string) {
    super(
      'archive_integrity_failed',
      `The stored file of document ${documentId} does not match its recorded checksum, so no archive was created. ` +
        'Please contact the clinic.',
    );
  }
}

/**
 * Names inside one ZIP must differ: two invoice numbers can sanitise to the same file name ("A/1" and "A-1"), and
 * an unzip tool would silently overwrite one with the other. Later duplicates get " (2)", " (3)" … before `.pdf`.
 */
export function uniqueFileNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let copy = 2; seen.has(candidate.toLowerCase()); copy += 1) {
      candidate = name.replace(/(\.[^.]*)?$/u, (extension) => ` (${copy})${extension}`);
    }
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}

/**
 * The server-chosen name of an archive: `Fakturaunderlag_<customer>_<year>.zip` for a year, or
 * `Fakturaunderlag_<customer>_<date>.zip` (the day it was made) for a selection. Only letters, digits, `.`, `_`
 * and `-` survive from the customer's name, as in a PDF's name.
 */
export function archiveFileName(customerName: string, label: string): string {
  const safeName = customerName.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/gu, '');
  return `Fakturaunderlag_${safeName}_${label}.zip`;
}
