import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, LAMBDA_ENTRY_FILE } from '../../../../lib/constructs/lambda-bundling';
import { pdfText } from '../../../support/pdf-text';
import { realisticBasis } from './invoice-basis-fixtures';

const PDF_ADAPTERS = resolve(import.meta.dirname, '../../../../functions/adapters/pdf');

/**
 * The Lambda font source, tested the only way it can run: bundled by esbuild with the deployed settings
 * (lib/constructs/lambda-bundling.ts), then run by plain node in a folder outside the repository, where no
 * node_modules can be found and the renderer may read no file at all.
 */
const ENTRY = `
import { readFileSync, writeFileSync } from 'node:fs';
import { embeddedRoboto } from ${JSON.stringify(join(PDF_ADAPTERS, 'embedded-roboto.ts'))};
import { createPdfmakeInvoiceRenderer } from ${JSON.stringify(join(PDF_ADAPTERS, 'pdfmake-invoice-renderer.ts'))};

const basis = JSON.parse(readFileSync('basis.json', 'utf8'));
const { pdf, pageCount } = await createPdfmakeInvoiceRenderer({ fontSource: embeddedRoboto() }).render(basis);
writeFileSync('rendered.pdf', pdf);
process.stdout.write(JSON.stringify({ pageCount }));
`;

/** Runs a program in a folder; a failure reports the program's stderr, shortened (a minified bundle has long lines). */
async function run(program: string, args: readonly string[], cwd: string): Promise<{ stdout: string }> {
  try {
    return await promisify(execFile)(program, args, { cwd, env: { PATH: process.env.PATH ?? '' } });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const lines = stderr.split('\n').map((line) => (line.length > 200 ? `${line.slice(0, 200)}…` : line));
    throw new Error(`${program} ${args.join(' ')} failed:\n${lines.join('\n')}`, { cause: error });
  }
}

describe('Roboto embedded in a Lambda bundle', () => {
  let directory: string;
  let pageCount: number;
  let text: string;
  let fonts: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'embedded-roboto-'));
    await writeFile(join(directory, 'entry.ts'), ENTRY);
    await writeFile(
      join(directory, 'basis.json'),
      JSON.stringify({ ...realisticBasis, description: 'Tjänster med å ä ö och Å Ä Ö' }),
    );
    await bundleLambda(join(directory, 'entry.ts'), directory);
    const { stdout } = await run(process.execPath, ['--enable-source-maps', LAMBDA_ENTRY_FILE], directory);
    pageCount = (JSON.parse(stdout) as { pageCount: number }).pageCount;
    text = await pdfText(await readFile(join(directory, 'rendered.pdf')));
    fonts = (await run('pdffonts', ['rendered.pdf'], directory)).stdout;
  }, 120_000);

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('renders the invoice basis with every font read from the bundle, å ä ö included', () => {
    expect(pageCount).toBe(1);
    expect(text).toContain('Fakturaunderlag');
    expect(text).toContain('Tjänster med å ä ö och Å Ä Ö');
    expect(text).toContain('Åkerströms Måleri AB');
  });

  it('embeds the regular and the bold face from the bundle', () => {
    expect(fonts).toMatch(/\+Roboto-Regular\s/u);
    expect(fonts).toMatch(/\+Roboto-Medium\s/u);
  });
});
