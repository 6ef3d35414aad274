import { describe, expect, it } from 'vitest';
import {
  downloadFileName,
  isShownToContacts,
  isVisibleToContacts,
  periodLabel,
} from '../../../functions/domain/document';

describe('periodLabel', () => {
  it.each([
    ['2024-01-01', '2024-01-31', '2024-01'],
    ['2024-02-01', '2024-02-29', '2024-02'],
    ['2023-02-01', '2023-02-28', '2023-02'],
    ['2024-02-01', '2024-02-28', '2024-02-01–2024-02-28'],
    ['2024-01-01', '2024-01-15', '2024-01-01–2024-01-15'],
    ['2023-12-16', '2024-01-15', '2023-12-16–2024-01-15'],
  ])('names %s – %s as %s', (from, to, label) => {
    expect(periodLabel(from, to)).toBe(label);
  });
});

describe('downloadFileName', () => {
  it('names a whole-month invoice basis by month and invoice number', () => {
    expect(downloadFileName({ periodFrom: '2024-01-01', periodTo: '2024-01-31', invoiceNumber: '2024-0101' })).toBe(
      'Fakturaunderlag_2024-01_2024-0101.pdf',
    );
  });

  it('keeps Swedish letters but replaces characters that are unsafe in file names', () => {
    expect(downloadFileName({ periodFrom: '2024-01-01', periodTo: '2024-01-15', invoiceNumber: 'Ö/12 3\\..' })).toBe(
      'Fakturaunderlag_2024-01-01--2024-01-15_Ö-12-3-...pdf',
    );
  });
});

describe('isVisibleToContacts', () => {
  it('shows only documents that are ready and published', () => {
    expect(isVisibleToContacts({ status: 'ready', visibility: 'published' })).toBe(true);
    expect(isVisibleToContacts({ status: 'rendering', visibility: 'published' })).toBe(false);
    expect(isVisibleToContacts({ status: 'failed', visibility: 'published' })).toBe(false);
    for (const visibility of ['held', 'hidden', 'withdrawn', 'superseded'] as const) {
      expect(isVisibleToContacts({ status: 'ready', visibility })).toBe(false);
    }
  });
});

describe('isShownToContacts', () => {
  const ready = { status: 'ready', visibility: 'published' } as const;

  it('shows every type of a visible document until the clinic chooses', () => {
    expect(isShownToContacts({ ...ready, documentType: 'fakturaunderlag' }, {})).toBe(true);
    expect(isShownToContacts({ ...ready, documentType: 'kreditunderlag' }, {})).toBe(true);
  });

  it('shows only the types the customer is shown, and never a document that is not visible', () => {
    const onlyInvoices = { shownDocumentTypes: ['fakturaunderlag'] } as const;
    expect(isShownToContacts({ ...ready, documentType: 'fakturaunderlag' }, onlyInvoices)).toBe(true);
    expect(isShownToContacts({ ...ready, documentType: 'kreditunderlag' }, onlyInvoices)).toBe(false);
    expect(
      isShownToContacts({ status: 'ready', visibility: 'hidden', documentType: 'fakturaunderlag' }, onlyInvoices),
    ).toBe(false);
  });
});
