/**
 * Roboto compiled into a Lambda bundle. ONLY esbuild can load this module (`loader: { '.ttf': 'binary' }` in
 * lib/constructs/lambda-bundling.ts turns each font import into a Uint8Array); tsx and vitest never import it, they
 * use `robotoFromNodeModules` (roboto-fonts.ts).
 */
import pdfmake from 'pdfmake';
import italics from 'pdfmake/fonts/Roboto/Roboto-Italic.ttf';
import bold from 'pdfmake/fonts/Roboto/Roboto-Medium.ttf';
import bolditalics from 'pdfmake/fonts/Roboto/Roboto-MediumItalic.ttf';
import normal from 'pdfmake/fonts/Roboto/Roboto-Regular.ttf';
import { type PdfFontSource, ROBOTO_FILES } from './roboto-fonts';

const EMBEDDED = { normal, bold, italics, bolditalics } as const;

/** pdfmake's server build has a virtual file system its typings do not declare. */
const withVirtualFs = pdfmake as typeof pdfmake & {
  readonly virtualfs: { writeFileSync(fileName: string, content: Buffer): void };
};

let embedded: PdfFontSource | undefined;

/**
 * Roboto from pdfmake's virtual file system, filled once per process from the bundle. pdfmake looks a font up there
 * before the disk, so the renderer may read no local file at all.
 */
export function embeddedRoboto(): PdfFontSource {
  if (!embedded) {
    for (const style of Object.keys(ROBOTO_FILES) as (keyof typeof ROBOTO_FILES)[]) {
      const bytes = EMBEDDED[style];
      // pdfkit reads fonts from Buffers; this one shares the bundle's memory instead of copying it.
      withVirtualFs.virtualfs.writeFileSync(
        ROBOTO_FILES[style],
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      );
    }
    embedded = { fonts: { Roboto: { ...ROBOTO_FILES } }, allowedLocalFiles: new Set() };
  }
  return embedded;
}
