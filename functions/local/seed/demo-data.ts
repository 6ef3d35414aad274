/**
 * The demo clinic that `npm start` opens on: one clinic, two customer companies, three contacts and a year of invoice
 * bases. The first customer's list is the seed's list (seed/foretagsportalen.txt): 23 invoice runs in 2024, twice a
 * month, each covering the half month before its date.
 *
 * Pure data and a deterministic generator (a seeded PRNG, never Math.random): every call returns the same seed, so
 * reseeding is idempotent and tests can pin what a newcomer sees. Names, numbers and addresses are made up; e-mail
 * addresses use the reserved `.example` domain.
 */
import { checkBranding } from '../../domain/branding';
import type { Customer, Tenant } from '../../domain/identity';
import type {
  ImageAsset,
  InvoiceBasis,
  InvoiceCustomer,
  InvoiceLine,
  IsoDate,
  Party,
} from '../../domain/invoice-basis';

export interface DemoContact {
  readonly name: string;
  readonly email: string;
  /** The login name: the contact's e-mail address. */
  readonly username: string;
  /** A demo-only password, shown in the README so a newcomer can log in. */
  readonly password: string;
  /** The customer companies (by customer number) the contact belongs to. */
  readonly customerNumbers: readonly string[];
  /**
   * The personal number the contact logs in with through BankID: one of the local BankID simulator's test identities
   * (functions/local/bankid-simulator/test-identities.ts), so the dev page's "approve as" list shows the same people.
   */
  readonly personalNumber: string;
}

/**
 * The demo clinic's administrator, ready to log in: a password and an authenticator already enrolled with a secret
 * fixed here, so that the developer's page /dev/totp (and the browser tests) can show the current code. Demo-only
 * secrets, published on purpose; nothing outside `npm start` may ever use them.
 */
export interface DemoAdmin {
  readonly name: string;
  readonly email: string;
  readonly password: string;
  /** The TOTP secret (160 bits) in base32, as an authenticator app's manual entry takes it. */
  readonly totpSecretBase32: string;
  /** Ten recovery codes, each usable once (used ones stay used across restarts: the seed does not renew them). */
  readonly recoveryCodes: readonly string[];
}

export interface DemoSeed {
  readonly clinic: Omit<Tenant, 'id'>;
  /** Uploaded like an administrator's (checked, into the branding store); the clinic record then names it. */
  readonly clinicLogo: ImageAsset;
  readonly customers: ReadonlyArray<Omit<Customer, 'id'>>;
  readonly contacts: readonly DemoContact[];
  readonly admin: DemoAdmin;
  readonly invoiceBases: readonly InvoiceBasis[];
}

/** The demo clinic's logo: a 64×64 PNG, a white cross on the clinic's green. */
const DEMO_LOGO: ImageAsset = {
  mimeType: 'image/png',
  base64:
    'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAAo0lEQVR42u3bwQmAMBAEwFRghdZg/z8tQBSDJpx3s5B32PkFsq11ZtnWPfJpXyd64WEgfy/+CiJb+S6ErOUfIWQvf4tQpfwlQmmAauVPCAAAFAaYdVlvpiEAAAAAAAAAAAAAAAAAAIABRWYHAAAAAAAAAAAAAAAAHkMAAAAAAAAAAAAAAAAAACDCX0E/RQEAsBmwGLEbshyzHbQetSG2Jg9T+ADS+PVncbTAEgAAAABJRU5ErkJggg==',
};

const CLINIC: Omit<Tenant, 'id'> = {
  name: 'Demo Företagshälsa AB',
  orgNumber: '556812-3458',
  addressLines: ['Sveavägen 44', '111 34 Stockholm'],
  supportText:
    'Frågor om fakturaunderlag? Skriv till faktura@demo-foretagshalsa.example så svarar vi inom en arbetsdag.',
  // Checked like any clinic's: the seed is one of the places branding enters.
  branding: checkBranding({
    primaryColor: '#0e6e5c',
    accentColor: '#c2410c',
    contact: {
      phone: '08-123 456 78',
      email: 'faktura@demo-foretagshalsa.example',
      openingHours: 'Vardagar 8–16',
    },
  }),
};

const NORRLANDSBYGG: Omit<Customer, 'id'> = {
  customerNumber: '10042',
  name: 'Norrlandsbygg AB',
  orgNumber: '556734-8122',
  addressLines: ['Förrådsvägen 12', '901 32 Umeå'],
  reference: 'Lena Sandberg',
  portalAccess: true,
};

const SJOSTADS_KONTORSSERVICE: Omit<Customer, 'id'> = {
  customerNumber: '10187',
  name: 'Sjöstads Kontorsservice AB',
  orgNumber: '559201-4673',
  addressLines: ['Hammarby allé 47', '120 63 Stockholm'],
  reference: 'Johan Ekström',
  portalAccess: true,
};

const CONTACTS: readonly DemoContact[] = [
  contact('Anna Lindqvist', 'anna.lindqvist@norrlandsbygg.example', 'korp-granit-vinter-42', '199007042386', [
    NORRLANDSBYGG,
  ]),
  // An accountant at a bureau that handles both companies' books: the contact who switches between companies.
  contact('Erik Johansson', 'erik.johansson@redovisningsbyran.example', 'lavendel-fjord-mossa-17', '199711292392', [
    NORRLANDSBYGG,
    SJOSTADS_KONTORSSERVICE,
  ]),
  contact('Maria Nordin', 'maria.nordin@sjostadskontor.example', 'tallkotte-sparv-kompass-83', '199501132386', [
    SJOSTADS_KONTORSSERVICE,
  ]),
];

const ADMIN: DemoAdmin = {
  name: 'Helena Berg',
  email: 'helena.berg@demo-foretagshalsa.example',
  password: 'fjallripa-lingon-stuga-61',
  totpSecretBase32: 'HORPJZ5KGHYY46CSTQCRSYRYYW5M6XBV',
  recoveryCodes: [
    'st5p-3jvg-hr1n',
    'dk6y-qmp7-gysv',
    '7mrx-kmjz-mg7n',
    'xmp3-28s5-rwf8',
    'ervs-a4qw-jfhf',
    'y9rc-m5ef-z3c1',
    'zcm3-zdgc-rttr',
    'zg3f-rkmy-n168',
    'y9sx-m67y-j6mg',
    '2wq4-f4h7-528w',
  ],
};

/** The invoice dates of the seed's list, in its order. */
const SEED_INVOICE_DATES: readonly IsoDate[] = [
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

/** The second customer is billed monthly, at month end, for the whole month. */
const MONTHLY_INVOICE_DATES: readonly IsoDate[] = [
  '2024-06-30',
  '2024-07-31',
  '2024-08-31',
  '2024-09-30',
  '2024-10-31',
  '2024-11-30',
];

const NURSES = ['Karin Ek, företagssköterska', 'Maja Lund, företagssköterska'] as const;
const DOCTOR = 'Johan Berg, läkare';
const PSYCHOLOGIST = 'Sara Holm, psykolog';
const ERGONOMIST = 'Mikael Ström, ergonom';

/** Who a service is billed to: a named employee, or a cost centre for services to the workplace as a whole. */
type BilledTo = 'employee' | 'costCentre';

interface Service {
  readonly code: string;
  readonly text: string;
  readonly performers: readonly string[];
  /** Öre per unit (per visit, per hour or per participant). Whole kronor, so half units still give whole öre. */
  readonly unitPrice: number;
  /**
   * Hälso- och sjukvård is exempt from VAT in Sweden, so examinations, doctor's visits, health talks, vaccinations
   * and psychological support carry 0 %. Services aimed at the workplace or the employer rather than at a patient's
   * health (workplace visits, ergonomic assessments, rehabilitation meetings with the employer, courses) carry 25 %.
   */
  readonly vatRate: 0 | 25;
  readonly billedTo: BilledTo;
  readonly quantities: readonly number[];
  /** Relative frequency among a basis's lines. */
  readonly weight: number;
}

const SERVICES: readonly Service[] = [
  service('HU01', 'Hälsoundersökning', NURSES, 1_950_00, 0, 'employee', [1], 6),
  service('LB01', 'Läkarbesök', [DOCTOR], 1_850_00, 0, 'employee', [1], 3),
  service('FH01', 'Förebyggande hälsosamtal', NURSES, 950_00, 0, 'employee', [1], 4),
  service('SS01', 'Samtalsstöd', [PSYCHOLOGIST], 1_400_00, 0, 'employee', [1], 3),
  service('VA01', 'Vaccination', NURSES, 395_00, 0, 'employee', [1], 3),
  service('HT01', 'Hörseltest', NURSES, 650_00, 0, 'employee', [1], 3),
  service('SU01', 'Synundersökning', NURSES, 595_00, 0, 'employee', [1], 2),
  service('RM01', 'Rehabiliteringsmöte', [DOCTOR, PSYCHOLOGIST], 1_650_00, 25, 'employee', [1, 1.5], 2),
  service('EB01', 'Ergonomisk bedömning', [ERGONOMIST], 1_250_00, 25, 'employee', [1, 1.5, 2], 2),
  service('AM01', 'Arbetsmiljöbesök', [ERGONOMIST], 1_450_00, 25, 'costCentre', [2, 3, 4], 1),
  service('UT01', 'Utbildning i hjärt-lungräddning', NURSES, 450_00, 25, 'costCentre', [6, 8, 10, 12], 1),
];

/** Share of invoice bases that credit an earlier, double-billed examination. */
const CREDIT_PROBABILITY = 0.25;

interface Workforce {
  readonly employees: readonly string[];
  readonly costCentres: readonly string[];
}

/** A demo customer company: its record, the people and cost centres it is billed for, and how it is invoiced. */
interface DemoCustomer {
  readonly record: Omit<Customer, 'id'>;
  readonly workforce: Workforce;
  readonly invoiceDates: readonly IsoDate[];
  readonly run: (invoiceDate: IsoDate) => Run;
}

const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    record: NORRLANDSBYGG,
    workforce: {
      employees: [
        'Anders Lundström',
        'Björn Wikström',
        'Carina Holmberg',
        'David Öberg',
        'Elin Forsberg',
        'Fredrik Nyström',
        'Gustav Åkesson',
        'Hanna Sjöberg',
        'Isak Lindgren',
        'Johanna Berglund',
        'Karl Höglund',
        'Linnea Marklund',
        'Magnus Strand',
        'Nils Bäckström',
        'Oskar Hedlund',
        'Petra Nordqvist',
        'Rasmus Eriksson',
        'Sofia Lidén',
        'Tobias Jonsson',
        'Ulrika Sandström',
      ],
      costCentres: ['Kst 110 Umeå', 'Kst 120 Skellefteå', 'Kst 300 Kontor'],
    },
    invoiceDates: SEED_INVOICE_DATES,
    run: halfMonthBefore,
  },
  {
    record: SJOSTADS_KONTORSSERVICE,
    workforce: {
      employees: [
        'Amira Haddad',
        'Bengt Carlsson',
        'Cecilia Ström',
        'Daniel Lindberg',
        'Emma Sundqvist',
        'Farah Ali',
        'Henrik Dahl',
        'Ida Engström',
        'Jonas Falk',
        'Klara Wallin',
      ],
      costCentres: ['Kst 10 Lokalvård', 'Kst 20 Reception', 'Kst 90 Ledning'],
    },
    invoiceDates: MONTHLY_INVOICE_DATES,
    run: monthEnding,
  },
];

/** The whole demo seed. Deterministic: every call returns an equal, fresh object graph. */
export function demoSeed(): DemoSeed {
  const runs = DEMO_CUSTOMERS.flatMap((customer) =>
    customer.invoiceDates.map((invoiceDate) => ({ customer, ...customer.run(invoiceDate) })),
  );
  // One invoice number series for the whole clinic, numbered in the order the invoices were made.
  const madeBefore = (a: (typeof runs)[number], b: (typeof runs)[number]) =>
    a.invoiceDate < b.invoiceDate ||
    (a.invoiceDate === b.invoiceDate && a.customer.record.name < b.customer.record.name);
  const invoiceNumber = (run: (typeof runs)[number]) =>
    `${run.invoiceDate.slice(0, 4)}-${String(101 + runs.filter((other) => madeBefore(other, run)).length).padStart(4, '0')}`;

  return {
    clinic: structuredClone(CLINIC),
    clinicLogo: structuredClone(DEMO_LOGO),
    customers: DEMO_CUSTOMERS.map((customer) => structuredClone(customer.record)),
    contacts: structuredClone(CONTACTS),
    admin: structuredClone(ADMIN),
    invoiceBases: runs.map(
      (run): InvoiceBasis => ({
        clinic: clinicParty(),
        customer: customerParty(run.customer.record),
        documentType: 'fakturaunderlag',
        invoiceNumber: invoiceNumber(run),
        invoiceDate: run.invoiceDate,
        periodFrom: run.periodFrom,
        periodTo: run.periodTo,
        description: run.description,
        currency: 'SEK',
        lines: invoiceLines(
          seededRandom(`${run.customer.record.customerNumber}:${run.invoiceDate}`),
          run.customer.workforce,
          run,
        ),
      }),
    ),
  };
}

/**
 * A year of monthly invoice bases for every demo customer, as `npm run demo:push` sends them through the ingest
 * API. Invoice numbers `P<year>-<customer number>-<month>` cannot collide with the seed's series.
 */
export function demoYearOfInvoiceBases(year: number): InvoiceBasis[] {
  return DEMO_CUSTOMERS.flatMap((customer) =>
    MONTHS.map((_, index): InvoiceBasis => {
      const month = index + 1;
      const run = monthEnding(isoDate(year, month, daysInMonth(year, month)));
      return {
        clinic: clinicParty(),
        customer: customerParty(customer.record),
        documentType: 'fakturaunderlag',
        invoiceNumber: `P${year}-${customer.record.customerNumber}-${String(month).padStart(2, '0')}`,
        ...run,
        currency: 'SEK',
        lines: invoiceLines(
          seededRandom(`push:${customer.record.customerNumber}:${run.invoiceDate}`),
          customer.workforce,
          run,
        ),
      };
    }),
  );
}

interface Run {
  readonly invoiceDate: IsoDate;
  readonly periodFrom: IsoDate;
  readonly periodTo: IsoDate;
  readonly description: string;
}

const MONTHS = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];

/**
 * A half-monthly run: the 15th bills the 1st–15th, the last day of a month bills the 16th–last, and the 1st bills the
 * second half of the month before (the seed's first run, 2024-01-01, bills 2023-12-16–2023-12-31).
 */
function halfMonthBefore(invoiceDate: IsoDate): Run {
  const { year, month, day } = parts(invoiceDate);
  if (day === 15) {
    return {
      invoiceDate,
      periodFrom: isoDate(year, month, 1),
      periodTo: invoiceDate,
      description: `Fakturering 1–15 ${monthName(month)} ${year}`,
    };
  }
  const endOfHalf = day === 1 ? previousMonth(year, month) : { year, month };
  const last = daysInMonth(endOfHalf.year, endOfHalf.month);
  if (day !== 1 && day !== last) throw new Error(`Not a half-monthly invoice date: ${invoiceDate}`);
  return {
    invoiceDate,
    periodFrom: isoDate(endOfHalf.year, endOfHalf.month, 16),
    periodTo: isoDate(endOfHalf.year, endOfHalf.month, last),
    description: `Fakturering 16–${last} ${monthName(endOfHalf.month)} ${endOfHalf.year}`,
  };
}

function monthEnding(invoiceDate: IsoDate): Run {
  const { year, month } = parts(invoiceDate);
  return {
    invoiceDate,
    periodFrom: isoDate(year, month, 1),
    periodTo: isoDate(year, month, daysInMonth(year, month)),
    description: `Fakturering ${monthName(month)} ${year}`,
  };
}

function invoiceLines(random: Random, workforce: Workforce, run: Run): InvoiceLine[] {
  const workdays = workdaysBetween(run.periodFrom, run.periodTo);
  const lines: InvoiceLine[] = [];
  for (let remaining = random.integer(5, 39); remaining > 0; remaining--) {
    const chosen = random.weighted(SERVICES);
    const quantity = random.pick(chosen.quantities);
    const billedTo =
      chosen.billedTo === 'employee'
        ? { employee: random.pick(workforce.employees) }
        : { costCentre: random.pick(workforce.costCentres) };
    lines.push({
      date: random.pick(workdays),
      ...billedTo,
      serviceCode: chosen.code,
      serviceText: chosen.text,
      performer: random.pick(chosen.performers),
      quantity,
      unitPrice: chosen.unitPrice,
      vatRate: chosen.vatRate,
      amount: quantity * chosen.unitPrice,
    });
  }
  // Now and then a run corrects an earlier one: a credited examination, so credits show up in the demo.
  const examination = lines.find((line) => line.serviceCode === 'HU01');
  if (examination && random.next() < CREDIT_PROBABILITY) {
    lines.push({
      ...examination,
      date: random.pick(workdays.filter((day) => day >= examination.date)),
      serviceText: 'Kreditering hälsoundersökning',
      quantity: -1,
      amount: -examination.unitPrice,
    });
  }
  return lines.sort((a, b) => a.date.localeCompare(b.date));
}

function clinicParty(): Party {
  return { name: CLINIC.name, orgNumber: CLINIC.orgNumber, addressLines: [...CLINIC.addressLines] };
}

function customerParty(customer: Omit<Customer, 'id'>): InvoiceCustomer {
  return {
    name: customer.name,
    orgNumber: customer.orgNumber,
    addressLines: [...customer.addressLines],
    customerNumber: customer.customerNumber,
    ...(customer.reference === undefined ? {} : { reference: customer.reference }),
  };
}

function contact(
  name: string,
  email: string,
  password: string,
  personalNumber: string,
  customers: ReadonlyArray<Omit<Customer, 'id'>>,
): DemoContact {
  return {
    name,
    email,
    username: email,
    password,
    customerNumbers: customers.map((c) => c.customerNumber),
    personalNumber,
  };
}

function service(
  code: string,
  text: string,
  performers: readonly string[],
  unitPrice: number,
  vatRate: 0 | 25,
  billedTo: BilledTo,
  quantities: readonly number[],
  weight: number,
): Service {
  return { code, text, performers, unitPrice, vatRate, billedTo, quantities, weight };
}

// --- dates -----------------------------------------------------------------------------------------------------

function parts(date: IsoDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`Not an ISO date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function isoDate(year: number, month: number, day: number): IsoDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function previousMonth(year: number, month: number): { year: number; month: number } {
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}

function monthName(month: number): string {
  return MONTHS[month - 1] ?? String(month);
}

/** Monday to Friday in [from, to]: the clinic does not see patients at weekends. */
function workdaysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(date.toISOString().slice(0, 10));
  }
  return days;
}

// --- deterministic randomness ----------------------------------------------------------------------------------

interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  integer(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T extends { readonly weight: number }>(items: readonly T[]): T;
}

/**
 * mulberry32, seeded with the FNV-1a hash of a key. One generator per invoice basis (keyed by customer and date), so
 * adding or changing one basis never changes the lines of another.
 */
function seededRandom(key: string): Random {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  let state = hash >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error('Cannot pick from an empty list');
    return item;
  };
  return {
    next,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick,
    weighted: (items) => {
      let ticket = next() * items.reduce((sum, item) => sum + item.weight, 0);
      for (const item of items) {
        ticket -= item.weight;
        if (ticket < 0) return item;
      }
      return pick(items);
    },
  };
}
