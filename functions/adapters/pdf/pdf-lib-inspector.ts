import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFStream } from 'pdf-lib';
import { UnprocessableError } from '../../domain/errors';
import type { PdfInspector } from '../../domain/ports';

const MAGIC = new TextEncoder().encode('%PDF-');
const REASON_MAX_LENGTH = 160;

/**
 * Checks an uploaded PDF with pdf-lib before a contact can download it: it must start with `%PDF-`, parse, have a
 * catalog and at least one page, not be encrypted (a contact must be able to open it, and we cannot look inside),
 * and carry no JavaScript or launch actions — a contact's PDF viewer must never run what a clinic's system put in.
 */
export function pdfLibInspector(): PdfInspector {
  return {
    async inspect(pdf) {
      if (!MAGIC.every((byte, index) => pdf[index] === byte)) {
        throw new UnprocessableError('not_a_pdf', 'The file does not start with %PDF-: it is not a PDF.');
      }
      const document = await parse(pdf);
      if (document.isEncrypted) {
        throw new UnprocessableError(
          'pdf_encrypted',
          'The PDF is encrypted (a password or usage restrictions): send it unencrypted, so that every contact can open it.',
        );
      }
      const active = activeContentIn(document);
      if (active) {
        throw new UnprocessableError(
          'pdf_active_content',
          `The PDF contains ${active}, which a contact's PDF viewer could run: send it without.`,
          { found: active },
        );
      }
      return { pageCount: pageCountOf(document) };
    },
  };
}

async function parse(pdf: Uint8Array): Promise<PDFDocument> {
  let document: PDFDocument;
  try {
    // Encryption is detected (and refused with its own code) after parsing; metadata is never touched.
    document = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  } catch (error) {
    throw unparseable(error instanceof Error ? shortReason(error.message) : 'unknown error');
  }
  // pdf-lib parses any run of objects, but a document needs a catalog (a file cut short loses its trailer and Root).
  if (!(document.catalog instanceof PDFDict)) throw unparseable('it has no document catalog');
  return document;
}

function pageCountOf(document: PDFDocument): number {
  let pageCount: number;
  try {
    pageCount = document.getPageCount();
  } catch (error) {
    throw unparseable(`its page tree is broken (${error instanceof Error ? shortReason(error.message) : 'unknown'})`);
  }
  if (pageCount === 0) throw unparseable('it has no pages');
  return pageCount;
}

function unparseable(reason: string): UnprocessableError {
  return new UnprocessableError('not_a_pdf', `The file starts like a PDF but could not be parsed: ${reason}.`);
}

/** pdf-lib's messages name line, column and offset first; the cause after them is what a sender can act on. */
function shortReason(message: string): string {
  const cause = message.split('): ').at(-1)?.trim() || message;
  return cause.length > REASON_MAX_LENGTH ? `${cause.slice(0, REASON_MAX_LENGTH - 1)}…` : cause;
}

const NAMES = PDFName.of('Names');
const JAVASCRIPT = PDFName.of('JavaScript');
const LAUNCH = PDFName.of('Launch');
const ACTION_TYPE = PDFName.of('S');
const SCRIPT = PDFName.of('JS');
const ACRO_FORM = PDFName.of('AcroForm');
const XFA = PDFName.of('XFA');
const EMBEDDED_FILES = PDFName.of('EmbeddedFiles');
const FILE_SPEC = PDFName.of('Filespec');
const EMBEDDED_FILE = PDFName.of('EF');
const TYPE = PDFName.of('Type');

/**
 * What makes a viewer run code or programs, or hands the contact a file to open: document-level scripts (the
 * catalog's Names/JavaScript tree), an XFA form (XML forms carry their own scripts), embedded files (an attachment
 * may be anything), and any action of type JavaScript or Launch — wherever it hangs (OpenAction, additional actions
 * of the document, a page or a form field, a link annotation). Rather than following every place an action may be
 * referenced from, every object in the file is visited once: an action is found even where nothing points to it.
 */
function activeContentIn(document: PDFDocument): string | undefined {
  const names = document.catalog.lookupMaybe(NAMES, PDFDict);
  if (names?.has(JAVASCRIPT)) return 'document-level JavaScript';
  if (names?.has(EMBEDDED_FILES)) return 'embedded files';
  if (document.catalog.lookupMaybe(ACRO_FORM, PDFDict)?.has(XFA)) return 'an XFA form (with its own scripts)';
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    const found = activeActionIn(object);
    if (found) return found;
  }
  return undefined;
}

/** Searches one object and the direct objects nested in it (references are visited on their own). */
function activeActionIn(object: PDFObject): string | undefined {
  if (object instanceof PDFArray) {
    for (const element of object.asArray()) {
      const found = activeActionIn(element);
      if (found) return found;
    }
    return undefined;
  }
  const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
  if (!dict) return undefined;
  const actionType = dict.get(ACTION_TYPE);
  if (actionType === JAVASCRIPT || dict.has(SCRIPT)) return 'a JavaScript action';
  if (actionType === LAUNCH) return 'a launch action';
  if (dict.get(TYPE) === FILE_SPEC && dict.has(EMBEDDED_FILE)) return 'embedded files';
  for (const [, value] of dict.entries()) {
    const found = activeActionIn(value);
    if (found) return found;
  }
  return undefined;
}
