import { describe, expect, it } from 'vitest';
import { isCurrentBankIdIdentity, shownDocumentTypes } from '../../../functions/domain/identity';

describe('shownDocumentTypes', () => {
  it('is every type until the clinic chooses, and the chosen ones in a fixed order after', () => {
    expect(shownDocumentTypes({})).toEqual(['fakturaunderlag', 'kreditunderlag']);
    expect(shownDocumentTypes({ shownDocumentTypes: ['kreditunderlag', 'fakturaunderlag'] })).toEqual([
      'fakturaunderlag',
      'kreditunderlag',
    ]);
    expect(shownDocumentTypes({ shownDocumentTypes: ['kreditunderlag'] })).toEqual(['kreditunderlag']);
  });
});

describe('isCurrentBankIdIdentity', () => {
  const identity = { personalNumberKey: 'a'.repeat(64), contactId: 'c', maskedPersonalNumber: '19900704-****' };

  it("accepts the identity under the contact's own number key, and no other", () => {
    expect(isCurrentBankIdIdentity({ personalNumberKey: 'a'.repeat(64) }, identity)).toBe(true);
    expect(
      isCurrentBankIdIdentity({ personalNumberKey: 'b'.repeat(64), maskedPersonalNumber: '19900704-****' }, identity),
    ).toBe(false);
  });

  it('for a contact from before the key was kept: the same mask; none once the number was removed', () => {
    expect(isCurrentBankIdIdentity({ maskedPersonalNumber: '19900704-****' }, identity)).toBe(true);
    expect(isCurrentBankIdIdentity({ maskedPersonalNumber: '19811228-****' }, identity)).toBe(false);
    expect(isCurrentBankIdIdentity({}, identity)).toBe(false);
  });
});
