import { describe, expect, it } from 'vitest';
import { lazyPdfLibInspector } from '../../../../functions/adapters/pdf/lazy-pdf-inspector';
import { UnprocessableError } from '../../../../functions/domain/errors';
import { tinyPdf } from '../../../support/test-portal';

/** The inspector the ingest function uses: pdf-lib's (./pdf-lib-inspector.test.ts), loaded by the first upload. */
describe('the lazily loaded PDF inspector', () => {
  it('answers as the pdf-lib inspector does, from the first inspection on', async () => {
    // Arrange
    const inspector = lazyPdfLibInspector();

    // Act
    const [first, second] = await Promise.all([inspector.inspect(tinyPdf()), inspector.inspect(tinyPdf())]);
    const refusal = await inspector.inspect(new TextEncoder().encode('not a pdf')).catch((error: unknown) => error);

    // Assert
    expect(first).toEqual({ pageCount: 1 });
    expect(second).toEqual({ pageCount: 1 });
    expect(refusal).toBeInstanceOf(UnprocessableError);
    expect(refusal).toMatchObject({ code: 'not_a_pdf' });
  });
});
