import { execFile } from 'node:child_process';

/**
 * What a reader gets out of a PDF, via poppler-utils (`apt-get install -y poppler-utils`): the searchable text and
 * the document information. Tests assert on these rather than on pdfmake's internals.
 */

export interface PdfTextOptions {
  /** First and last page to extract (1-based); all pages by default. */
  readonly firstPage?: number;
  readonly lastPage?: number;
}

/**
 * The text as `pdftotext -layout` sees it. Lines keep their visual layout, so columns are separated by runs of
 * spaces; every page ends with a form feed (\f).
 */
export function pdfText(pdf: Uint8Array, options: PdfTextOptions = {}): Promise<string> {
  const args = ['-layout', '-enc', 'UTF-8'];
  if (options.firstPage !== undefined) args.push('-f', String(options.firstPage));
  if (options.lastPage !== undefined) args.push('-l', String(options.lastPage));
  return poppler('pdftotext', [...args, '-', '-'], pdf);
}

/** The pages of {@link pdfText}'s output, without the trailing empty piece after the last form feed. */
export function pages(text: string): string[] {
  const pieces = text.split('\f');
  return pieces.at(-1)?.trim() === '' ? pieces.slice(0, -1) : pieces;
}

/** The document information dictionary as `pdfinfo` prints it: Title, Author, Subject, Pages, … */
export async function pdfInfo(pdf: Uint8Array): Promise<Record<string, string>> {
  const output = await poppler('pdfinfo', ['-enc', 'UTF-8', '-'], pdf);
  const info: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) info[match[1]] = match[2];
  }
  return info;
}

function poppler(tool: string, args: readonly string[], input: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      const message = missing
        ? `${tool} was not found on PATH: install poppler-utils (e.g. \`apt-get install -y poppler-utils\`)`
        : `${tool} failed: ${stderr.trim() || error.message}`;
      reject(new Error(message, { cause: error }));
    });
    // When the tool is missing or exits early, writing fails with EPIPE; the callback above reports the real cause.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}
