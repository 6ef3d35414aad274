import { createRequire } from 'node:module';
import type { TFontDictionary } from 'pdfmake/interfaces';

/**
 * Where the renderer's fonts come from. This is the ONE place that knows; the renderer only sees a
 * {@link PdfFontSource}.
 *
 * Two sources of the same Roboto TTFs that ship inside the pdfmake package:
 * - {@link robotoFromNodeModules} (here): read from node_modules by path — dev server, tests.
 * - `embeddedRoboto` (embedded-roboto.ts): the TTFs compiled into a Lambda bundle (no node_modules on disk) and
 *   served from `pdfmake.virtualfs`, so the local access policy denies every path. It lives in its own module
 *   because only esbuild can import a .ttf; tsx and vitest never load it.
 * The wiring in functions/runtime/ picks which source to pass to the renderer.
 */
export interface PdfFontSource {
  /** Font families as pdfmake expects them: local paths, or names in pdfmake's virtual file system. */
  readonly fonts: TFontDictionary;
  /** The only local files the renderer may read (exact paths). Everything else is denied. */
  readonly allowedLocalFiles: ReadonlySet<string>;
}

/** The Roboto file of each style, as named in `pdfmake/fonts/Roboto/` (and in the virtual file system). */
export const ROBOTO_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

let fromNodeModules: PdfFontSource | undefined;

/** Roboto from `pdfmake/fonts/Roboto/`, located through Node's resolver (works wherever pdfmake is installed). */
export function robotoFromNodeModules(): PdfFontSource {
  if (!fromNodeModules) {
    const require = createRequire(import.meta.url);
    const path = (file: string) => require.resolve(`pdfmake/fonts/Roboto/${file}`);
    const roboto = {
      normal: path(ROBOTO_FILES.normal),
      bold: path(ROBOTO_FILES.bold),
      italics: path(ROBOTO_FILES.italics),
      bolditalics: path(ROBOTO_FILES.bolditalics),
    };
    fromNodeModules = { fonts: { Roboto: roboto }, allowedLocalFiles: new Set(Object.values(roboto)) };
  }
  return fromNodeModules;
}
