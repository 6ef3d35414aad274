import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { pdfLibInspector } from '../../../../functions/adapters/pdf/pdf-lib-inspector';
import { createPdfmakeInvoiceRenderer } from '../../../../functions/adapters/pdf/pdfmake-invoice-renderer';
import { UnprocessableError } from '../../../../functions/domain/errors';
import type { RenderedPdf } from '../../../../functions/domain/ports';
import { tinyPdf } from '../../../support/test-portal';
import { generatedBasis } from './invoice-basis-fixtures';

const inspector = pdfLibInspector();

/** Expects the inspection to fail with this code; returns the message for further checks. */
async function refusal(pdf: Uint8Array, code: string): Promise<string> {
  const error = await inspector.inspect(pdf).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UnprocessableError);
  expect(error).toMatchObject({ code });
  return (error as UnprocessableError).message;
}

/** A one-page PDF built with pdf-lib, changed through its low-level API before saving. */
async function pdfLibDocument(change: (document: PDFDocument) => void | Promise<void> = () => {}): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.addPage();
  await change(document);
  return document.save();
}

let rendered: RenderedPdf;

beforeAll(async () => {
  // pdf-lib reports what it skips while parsing damaged files on the console; the refusals are what we test.
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  rendered = await createPdfmakeInvoiceRenderer().render(generatedBasis(300));
});

describe('a PDF a contact can open', () => {
  it('passes, with the page count of a PDF our renderer made', async () => {
    expect(rendered.pageCount).toBeGreaterThan(3);
    await expect(inspector.inspect(rendered.pdf)).resolves.toEqual({ pageCount: rendered.pageCount });
  });

  it('passes when written by another producer (a hand-written PDF 1.4, pdf-lib with object streams)', async () => {
    await expect(inspector.inspect(tinyPdf())).resolves.toEqual({ pageCount: 1 });
    await expect(inspector.inspect(await pdfLibDocument())).resolves.toEqual({ pageCount: 1 });
  });

  it('passes with an open action that only shows a page (no script)', async () => {
    const pdf = await pdfLibDocument((document) => {
      const page = document.getPage(0).ref;
      document.catalog.set(PDFName.of('OpenAction'), document.context.obj([page, PDFName.of('Fit')]));
    });

    await expect(inspector.inspect(pdf)).resolves.toEqual({ pageCount: 1 });
  });
});

describe('a file that is not a PDF', () => {
  it('is refused when it does not start with %PDF- (a text file renamed to .pdf)', async () => {
    const text = new TextEncoder().encode('Fakturaunderlag 2024-0102\nKund: Åkerströms Måleri AB\n');

    expect(await refusal(text, 'not_a_pdf')).toBe('The file does not start with %PDF-: it is not a PDF.');
    await refusal(new Uint8Array(), 'not_a_pdf');
  });

  it('is refused when it was cut short (the upload broke off halfway)', async () => {
    const message = await refusal(rendered.pdf.subarray(0, Math.floor(rendered.pdf.byteLength / 2)), 'not_a_pdf');

    expect(message).toMatch(/^The file starts like a PDF but could not be parsed: .+\.$/u);
    expect(message).not.toMatch(/line:\d+/u); // the short reason, without pdf-lib's position prefix
  });

  it('passes when only its cross-reference table and trailer are lost, as viewers rebuild those too', async () => {
    // pdf-lib, like PDF viewers, finds the catalog among the objects; every page is still there. (A presigned upload
    // cannot arrive cut short anyway: its length is signed.)
    const end = Buffer.from(rendered.pdf).lastIndexOf('xref');

    await expect(inspector.inspect(rendered.pdf.subarray(0, end))).resolves.toEqual({ pageCount: rendered.pageCount });
  });

  it('is refused when a correct header is followed by garbage', async () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 256);
    const pdf = new Uint8Array([...new TextEncoder().encode('%PDF-1.7\n'), ...garbage]);

    expect(await refusal(pdf, 'not_a_pdf')).toMatch(/could not be parsed/u);
  });

  it('is refused when it has no pages', async () => {
    const empty = await PDFDocument.create();

    expect(await refusal(await empty.save({ addDefaultPage: false }), 'not_a_pdf')).toMatch(/it has no pages\.$/u);
  });
});

describe('an encrypted PDF', () => {
  /** pdfmake (through PDFKit) can encrypt; pdf-lib cannot. */
  const encrypted = async (passwords: Pick<TDocumentDefinitions, 'userPassword' | 'ownerPassword' | 'permissions'>) => {
    createPdfmakeInvoiceRenderer(); // configures pdfmake's fonts and access policies
    const pdf = await pdfmake.createPdf({ content: 'Hemligt underlag', ...passwords }).getBuffer();
    return new Uint8Array(pdf);
  };

  it('is refused when it needs a password to open', async () => {
    const message = await refusal(
      await encrypted({ userPassword: 'hemligt', ownerPassword: 'ägare' }),
      'pdf_encrypted',
    );

    expect(message).toMatch(/encrypted/u);
  });

  it('is refused when it opens without a password but restricts use (owner password only)', async () => {
    await refusal(
      await encrypted({ ownerPassword: 'ägare', permissions: { printing: 'highResolution' } }),
      'pdf_encrypted',
    );
  });
});

describe('a PDF with active content', () => {
  it('is refused when it runs JavaScript on opening (OpenAction)', async () => {
    const pdf = await pdfLibDocument((document) => {
      const action = document.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert("Hej")') });
      document.catalog.set(PDFName.of('OpenAction'), document.context.register(action));
    });

    const message = await refusal(pdf, 'pdf_active_content');

    expect(message).toBe(
      "The PDF contains a JavaScript action, which a contact's PDF viewer could run: send it without.",
    );
  });

  it('is refused when it has document-level JavaScript (Names/JavaScript)', async () => {
    const pdf = await pdfLibDocument((document) => document.addJavaScript('hej', 'app.alert("Hej")'));

    expect(await refusal(pdf, 'pdf_active_content')).toMatch(/JavaScript/u);
  });

  it('is refused when a link launches a program, wherever the action hangs', async () => {
    const pdf = await pdfLibDocument((document) => {
      const launch = document.context.obj({ S: 'Launch', F: PDFString.of('calc.exe') });
      const link = document.context.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: [0, 0, 100, 20],
        A: launch, // a direct object inside the annotation, not an indirect one
      });
      document.getPage(0).node.set(PDFName.of('Annots'), document.context.obj([document.context.register(link)]));
    });

    expect(await refusal(pdf, 'pdf_active_content')).toMatch(/a launch action/u);
  });

  it('is refused when it carries an attached file', async () => {
    const pdf = await pdfLibDocument(async (document) => {
      await document.attach(new TextEncoder().encode('MZ…'), 'faktura.exe', { mimeType: 'application/octet-stream' });
    });

    expect(await refusal(pdf, 'pdf_active_content')).toMatch(/embedded files/u);
  });

  it('is refused when it is an XFA form', async () => {
    const pdf = await pdfLibDocument((document) => {
      const xfa = document.context.flateStream('<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"/>');
      const form = document.context.obj({ Fields: [], XFA: document.context.register(xfa) });
      document.catalog.set(PDFName.of('AcroForm'), document.context.register(form));
    });

    expect(await refusal(pdf, 'pdf_active_content')).toMatch(/XFA/u);
  });

  it('is refused when a page runs a script as it opens (additional actions)', async () => {
    const pdf = await pdfLibDocument((document) => {
      const script = document.context.obj({ S: 'JavaScript', JS: PDFString.of('this.print()') });
      document.getPage(0).node.set(PDFName.of('AA'), document.context.obj({ O: script }));
    });

    await refusal(pdf, 'pdf_active_content');
  });
});
