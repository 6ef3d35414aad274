/**
 * Every text the portal shows, in Swedish. Views never contain literal UI text: they read it from here, so that an
 * English catalogue with the same shape ({@link Messages}) can be added without touching the views.
 */
export const sv = {
  locale: 'sv',
  productName: 'Företagsportal',
  skipToContent: 'Hoppa till innehållet',
  documentTitle: (page: string, clinic: string | undefined): string =>
    clinic ? `${page} – Företagsportal – ${clinic}` : `${page} – Företagsportal`,
  genericError: 'Något gick fel. Försök igen om en stund.',
  networkError: 'Det gick inte att nå portalen. Kontrollera din internetanslutning och försök igen.',
  tryAgain: 'Försök igen',

  header: {
    signedInAs: 'Inloggad som',
    logout: 'Logga ut',
    loggingOut: 'Loggar ut …',
  },

  login: {
    title: 'Logga in',
    intro: 'Logga in för att se och hämta fakturaunderlagen som mottagningen har skickat till ditt företag.',
    username: 'Användarnamn',
    password: 'Lösenord',
    submit: 'Logga in',
    submitting: 'Loggar in …',
    missingFields: 'Fyll i både användarnamn och lösenord.',
    invalidCredentials: 'Fel användarnamn eller lösenord.',
    tooManyAttempts: 'För många inloggningsförsök. Vänta en stund och försök sedan igen.',
    sessionExpired: 'Du har loggats ut. Logga in igen.',
    loggedOut: 'Du är nu utloggad.',
    passwordHeading: 'Logga in med användarnamn och lösenord',
    otherMethod: 'eller',
  },

  bankId: {
    heading: 'Logga in med BankID',
    qr: 'Mobilt BankID',
    qrHint: 'Skanna en QR-kod med BankID-appen i din mobil.',
    sameDevice: 'BankID på den här enheten',
    sameDeviceHint: 'Öppna BankID-appen på den dator eller mobil du använder nu.',
    starting: 'Startar BankID …',
    qrInstruction: 'Öppna BankID-appen i din mobil, välj ikonen för QR-kod och skanna QR-koden här.',
    qrLabel: 'QR-kod för BankID. Skanna med BankID-appen i din mobil.',
    sameDeviceInstruction: 'Legitimera dig i BankID-appen och kom sedan tillbaka hit.',
    openApp: 'Öppna BankID-appen',
    openAppHint: 'Öppnades inte BankID-appen? Välj Öppna BankID-appen.',
    cancel: 'Avbryt',
    cancelled: 'Inloggningen med BankID avbröts.',
    chooseAgain: 'Välj ett annat sätt',
    noAccess: 'Du har inget konto i den här portalen. Kontakta din företagshälsa.',
    expired: 'Inloggningen med BankID är inte längre giltig. Försök igen.',
    unavailable: 'Inloggning med BankID går inte att använda här. Logga in med användarnamn och lösenord.',
  },

  documents: {
    title: 'Fakturaunderlag',
    intro: (clinic: string | undefined): string =>
      `Här finns fakturaunderlagen som ${clinic ?? 'mottagningen'} har skickat till er. Välj Ladda ner för att hämta ett underlag som PDF.`,
    customer: 'Företag',
    caption: (customer: string): string => `Fakturaunderlag för ${customer}, nyaste först`,
    columns: {
      invoiceDate: 'Fakturadatum',
      period: 'Period',
      description: 'Beskrivning',
      invoiceNumber: 'Fakturanummer',
      amount: 'Belopp',
      sentAt: 'Skickat',
      status: 'Status',
      actions: 'Åtgärd',
    },
    loading: 'Hämtar fakturaunderlag …',
    loaded: (count: number, customer: string): string =>
      count === 1 ? `1 fakturaunderlag visas för ${customer}.` : `${count} fakturaunderlag visas för ${customer}.`,
    empty: 'Inga fakturaunderlag ännu.',
    emptyHint: 'När mottagningen skickar ett fakturaunderlag visas det här.',
    loadError: 'Det gick inte att hämta fakturaunderlagen just nu.',
    showMore: 'Visa fler',
    loadingMore: 'Hämtar fler …',
    moreLoaded: (count: number): string => (count === 1 ? '1 till visas.' : `${count} till visas.`),
    statusNew: 'Ny',
    statusDownloaded: 'Hämtad',
    downloadedBy: (date: string, name: string): string => `${date} av ${name}`,
    download: 'Ladda ner',
    downloadLabel: (invoiceNumber: string): string => `Ladda ner fakturaunderlag ${invoiceNumber}`,
    downloadStarted: (fileName: string): string => `Hämtningen av ${fileName} har startat.`,
    downloadNotFound: 'Fakturaunderlaget finns inte längre. Ladda om sidan.',
    downloadError: 'Det gick inte att hämta fakturaunderlaget. Försök igen.',
    noCustomers: 'Ditt konto är inte kopplat till något företag ännu. Kontakta mottagningen.',
  },
};

/** The shape every message catalogue has. */
export type Messages = typeof sv;
