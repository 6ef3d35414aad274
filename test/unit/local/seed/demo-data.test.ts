import { describe, expect, it } from 'vitest';
import { summarizeInvoiceBasis } from '../../../../functions/domain/invoice-basis';
import { demoSeed } from '../../../../functions/local/seed/demo-data';

/** The 23 invoice dates of the seed's list (seed/foretagsportalen.txt), typed out here on purpose. */
const SEED_DATES = [
  '2024-01-01',
  '2024-01-15',
  '2024-01-31',
  '2024-02-15',
  '2024-02-29',
  '2024-03-15',
  '2024-03-31',
  '2024-04-15',
  '2024-04-30',
  '2024-05-15',
  '2024-05-31',
  '2024-06-15',
  '2024-06-30',
  '2024-07-15',
  '2024-07-31',
  '2024-08-15',
  '2024-08-31',
  '2024-09-15',
  '2024-09-30',
  '2024-10-15',
  '2024-10-31',
  '2024-11-15',
  '2024-11-30',
];

/** Swedish organisation numbers end in a Luhn check digit over the other nine digits. */
function passesLuhn(orgNumber: string): boolean {
  if (!/^\d{6}-\d{4}$/.test(orgNumber)) return false;
  const digits = orgNumber.replace('-', '').split('').map(Number);
  const sum = digits.reduce((total, digit, index) => {
    const weighted = index % 2 === 0 ? digit * 2 : digit;
    return total + (weighted > 9 ? weighted - 9 : weighted);
  }, 0);
  return sum % 10 === 0;
}

const seed = demoSeed();
const [first, second] = seed.customers;
const basesOf = (customerNumber: string | undefined) =>
  seed.invoiceBases.filter((basis) => basis.customer.customerNumber === customerNumber);

describe('the demo seed', () => {
  it('has a clinic and two customer companies with portal access', () => {
    expect(seed.clinic.name).toBe('Demo Företagshälsa AB');
    expect(seed.customers).toHaveLength(2);
    expect(seed.customers.every((customer) => customer.portalAccess)).toBe(true);
    expect(new Set(seed.customers.map((customer) => customer.customerNumber)).size).toBe(2);
  });

  it('uses organisation numbers with a valid check digit', () => {
    for (const orgNumber of [seed.clinic.orgNumber, ...seed.customers.map((customer) => customer.orgNumber)]) {
      expect(passesLuhn(orgNumber), orgNumber).toBe(true);
    }
  });

  it('the Luhn check used above rejects a wrong check digit', () => {
    expect(passesLuhn('556812-3458')).toBe(true);
    expect(passesLuhn('556812-3459')).toBe(false);
  });

  it('gives the first customer exactly the seed list: 23 invoice runs of 2024, in order', () => {
    expect(basesOf(first?.customerNumber).map((basis) => basis.invoiceDate)).toEqual(SEED_DATES);
  });

  it('lets each half-monthly run cover the half month before its date', () => {
    const periods = basesOf(first?.customerNumber).map((basis) => [
      basis.periodFrom,
      basis.periodTo,
      basis.description,
    ]);
    expect(periods[0]).toEqual(['2023-12-16', '2023-12-31', 'Fakturering 16–31 december 2023']);
    expect(periods[1]).toEqual(['2024-01-01', '2024-01-15', 'Fakturering 1–15 januari 2024']);
    expect(periods[2]).toEqual(['2024-01-16', '2024-01-31', 'Fakturering 16–31 januari 2024']);
    expect(periods[4]).toEqual(['2024-02-16', '2024-02-29', 'Fakturering 16–29 februari 2024']);
    expect(periods[22]).toEqual(['2024-11-16', '2024-11-30', 'Fakturering 16–30 november 2024']);
  });

  it('bills the second customer monthly in 2024, each run covering its whole month', () => {
    const bases = basesOf(second?.customerNumber);
    expect(bases.length).toBeGreaterThanOrEqual(5);
    expect(bases.length).toBeLessThanOrEqual(7);
    for (const basis of bases) {
      expect(basis.invoiceDate.startsWith('2024-')).toBe(true);
      expect(basis.periodFrom).toBe(`${basis.invoiceDate.slice(0, 7)}-01`);
      expect(basis.periodTo).toBe(basis.invoiceDate);
    }
    expect(new Set(bases.map((basis) => basis.invoiceDate.slice(0, 7))).size).toBe(bases.length);
  });

  it('has only invoice bases of its own two customers, with matching party blocks', () => {
    for (const basis of seed.invoiceBases) {
      const customer = seed.customers.find((c) => c.customerNumber === basis.customer.customerNumber);
      expect(customer, basis.invoiceNumber).toBeDefined();
      expect(basis.customer).toEqual({
        name: customer?.name,
        orgNumber: customer?.orgNumber,
        addressLines: customer?.addressLines,
        customerNumber: customer?.customerNumber,
        reference: customer?.reference,
      });
      expect(basis.clinic).toEqual({
        name: seed.clinic.name,
        orgNumber: seed.clinic.orgNumber,
        addressLines: seed.clinic.addressLines,
      });
      expect(basis.currency).toBe('SEK');
    }
  });

  it('numbers every invoice uniquely, in one series', () => {
    const numbers = seed.invoiceBases.map((basis) => basis.invoiceNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers) expect(number).toMatch(/^2024-\d{4}$/);
    expect(numbers).toContain('2024-0101');
  });

  it('has 5 to 40 lines per basis, each dated within its period', () => {
    for (const basis of seed.invoiceBases) {
      expect(basis.lines.length, basis.invoiceNumber).toBeGreaterThanOrEqual(5);
      expect(basis.lines.length, basis.invoiceNumber).toBeLessThanOrEqual(40);
      for (const line of basis.lines) {
        expect(
          line.date >= basis.periodFrom && line.date <= basis.periodTo,
          `${basis.invoiceNumber} ${line.date}`,
        ).toBe(true);
      }
    }
  });

  it('bills every line at quantity × unit price, in whole öre', () => {
    for (const line of seed.invoiceBases.flatMap((basis) => basis.lines)) {
      expect(line.amount).toBe(line.quantity * line.unitPrice);
      expect(Number.isSafeInteger(line.amount)).toBe(true);
      expect(Number.isSafeInteger(line.unitPrice)).toBe(true);
    }
  });

  it('mixes VAT-exempt care with 25 % workplace services, employees with cost centres, and has a credit', () => {
    const lines = seed.invoiceBases.flatMap((basis) => basis.lines);
    expect(new Set(lines.map((line) => line.vatRate))).toEqual(new Set([0, 25]));
    expect(lines.some((line) => line.costCentre !== undefined && line.employee === undefined)).toBe(true);
    expect(lines.some((line) => line.employee !== undefined)).toBe(true);
    expect(lines.some((line) => line.amount < 0)).toBe(true);
    for (const line of lines) {
      expect(line.employee !== undefined || line.costCentre !== undefined).toBe(true);
      expect(line.serviceCode).toMatch(/^[A-Z]{2}\d{2}$/);
      expect(line.performer).toMatch(/, (företagssköterska|läkare|psykolog|ergonom)$/);
    }
  });

  it('bills health care VAT-free: examinations, doctor’s visits and psychological support carry 0 %', () => {
    const lines = seed.invoiceBases.flatMap((basis) => basis.lines);
    for (const text of ['Hälsoundersökning', 'Läkarbesök', 'Samtalsstöd']) {
      const rates = new Set(lines.filter((line) => line.serviceText === text).map((line) => line.vatRate));
      expect(rates, text).toEqual(new Set([0]));
    }
  });

  it('has a positive total on every invoice basis', () => {
    for (const basis of seed.invoiceBases) expect(summarizeInvoiceBasis(basis).total).toBeGreaterThan(0);
  });
});

describe('the demo contacts', () => {
  it('are three, log in with their e-mail address, and one of them belongs to both companies', () => {
    expect(seed.contacts).toHaveLength(3);
    for (const contact of seed.contacts) {
      expect(contact.username).toBe(contact.email);
      expect(contact.email).toMatch(/^[a-z.]+@[a-z-]+\.example$/);
    }
    const both = seed.contacts.filter((contact) => contact.customerNumbers.length === 2);
    expect(both).toHaveLength(1);
    expect(new Set(both[0]?.customerNumbers)).toEqual(new Set(seed.customers.map((c) => c.customerNumber)));
  });

  it('belong only to the demo customers, and every customer has a contact', () => {
    const customerNumbers = new Set(seed.customers.map((customer) => customer.customerNumber));
    const covered = new Set(seed.contacts.flatMap((contact) => contact.customerNumbers));
    expect(covered).toEqual(customerNumbers);
  });

  it('have distinct demo passwords of at least 15 characters that do not contain their name', () => {
    const passwords = seed.contacts.map((contact) => contact.password);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const contact of seed.contacts) {
      expect(contact.password.length).toBeGreaterThanOrEqual(15);
      const [firstName = ''] = contact.name.toLowerCase().split(' ');
      expect(contact.password.toLowerCase()).not.toContain(firstName);
    }
  });
});

describe('demoSeed()', () => {
  it('is deterministic: two calls give equal seeds', () => {
    expect(demoSeed()).toEqual(demoSeed());
  });

  it('returns fresh objects, so a caller changing one seed cannot change the next', () => {
    const one = demoSeed();
    const two = demoSeed();
    expect(one.invoiceBases[0]).not.toBe(two.invoiceBases[0]);
    expect(one.customers[0]).not.toBe(two.customers[0]);
    expect(one.contacts[0]).not.toBe(two.contacts[0]);
  });
});
