import type { PdfInspector } from '../../domain/ports';
import { keptOnSuccess } from '../system/kept-on-success';

/**
 * The pdf-lib inspector (./pdf-lib-inspector.ts), loaded when the first ready-made PDF is checked rather than at
 * cold start: pdf-lib with its fonts and pako is about 400 KB that only `upload-complete` uses, and the Lambda bundle
 * (lib/constructs/lambda-bundling.ts) puts a dynamically imported module in a chunk of its own. A failed load is
 * retried by the next upload.
 */
export function lazyPdfLibInspector(): PdfInspector {
  const inspector = keptOnSuccess(async () => (await import('./pdf-lib-inspector')).pdfLibInspector());
  return {
    async inspect(pdf) {
      return (await inspector()).inspect(pdf);
    },
  };
}
