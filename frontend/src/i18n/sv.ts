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
    forgotPassword: 'Glömt lösenordet?',
    passwordSet: 'Ditt lösenord är sparat. Logga in med ditt nya lösenord.',
  },

  forgotPassword: {
    title: 'Glömt lösenordet?',
    intro:
      'Skriv e-postadressen som du loggar in med. Vi skickar ett mejl med en länk där du väljer ett nytt lösenord.',
    email: 'E-postadress',
    submit: 'Skicka länk',
    submitting: 'Skickar …',
    missingEmail: 'Fyll i din e-postadress.',
    invalidEmail: 'Skriv en hel e-postadress, till exempel namn@foretag.se.',
    sent: (minutes: number): string =>
      `Om adressen finns hos oss har vi skickat ett mejl med en länk. Länken fungerar i ${minutes} minuter.`,
    sentHint: 'Hittar du inget mejl? Titta i skräpposten, eller kontrollera adressen och försök igen.',
    tryAnotherAddress: 'Försök med en annan adress',
    tooManyRequests: 'Du har bett om för många länkar. Vänta en stund och försök sedan igen.',
    backToLogin: 'Tillbaka till inloggningen',
  },

  setPassword: {
    title: 'Välj lösenord',
    intro:
      'Välj ett lösenord som du inte använder någon annanstans. En mening som bara du känner till är lätt att komma ihåg och svår att gissa – siffror och specialtecken behövs inte.',
    newPassword: 'Nytt lösenord',
    hint: 'Minst 15 tecken.',
    show: 'Visa lösenord',
    hide: 'Dölj lösenord',
    submit: 'Spara lösenord',
    submitting: 'Sparar …',
    missingPassword: 'Fyll i ett nytt lösenord.',
    rejected: 'Lösenordet går inte att använda:',
    rejectedFallback: 'Lösenordet uppfyller inte reglerna. Välj ett längre lösenord.',
    linkInvalid: 'Länken har redan använts eller gått ut. Begär en ny.',
    linkMalformed: 'Länken är ofullständig. Öppna den igen från mejlet, eller begär en ny.',
    requestNewLink: 'Begär en ny länk',
    tooManyAttempts: 'För många försök. Vänta en stund och försök sedan igen.',
    notSaved: 'Lösenordet kunde inte sparas. Kontakta mottagningen.',
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
    awaitingReturn: 'Legitimeringen är klar i BankID-appen. Inloggningen slutförs i fönstret som appen öppnade.',
    returning: 'Välkommen tillbaka från BankID-appen. Inloggningen slutförs …',
    unavailable: 'Inloggning med BankID går inte att använda här. Logga in med användarnamn och lösenord.',
  },

  companyChoice: {
    title: 'Välj företag',
    intro: (name: string): string =>
      `Välkommen, ${name}! Du är kontaktperson för flera företag. Vilket vill du se fakturaunderlag för?`,
    switchLater: 'Du kan byta företag när som helst i listan över fakturaunderlag.',
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
