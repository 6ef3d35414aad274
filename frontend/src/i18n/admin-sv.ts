/**
 * Every text of the admin pages (frontend/admin.html), in Swedish. A catalogue of its own, next to the portal's
 * (./sv.ts), so that the contacts' bundle does not carry the administrators' texts; an English catalogue with the
 * same shape ({@link AdminMessages}) can be added without touching the views.
 */
export const adminSv = {
  locale: 'sv',
  productName: 'Företagsportal',
  areaName: 'Administration',
  skipToContent: 'Hoppa till innehållet',
  documentTitle: (page: string, clinic: string | undefined): string =>
    clinic ? `${page} – Administration – ${clinic}` : `${page} – Företagsportal – Administration`,
  genericError: 'Något gick fel. Försök igen om en stund.',
  networkError: 'Det gick inte att nå portalen. Kontrollera din internetanslutning och försök igen.',
  tryAgain: 'Försök igen',
  loading: 'Laddar …',

  header: {
    signedInAs: 'Inloggad som',
    logout: 'Logga ut',
    loggingOut: 'Loggar ut …',
  },

  login: {
    title: 'Logga in som administratör',
    intro: 'Logga in med ditt användarnamn och lösenord. Sedan ber vi om en kod från din autentiseringsapp.',
    username: 'Användarnamn (e-postadress)',
    password: 'Lösenord',
    submit: 'Fortsätt',
    submitting: 'Kontrollerar …',
    missingFields: 'Fyll i både användarnamn och lösenord.',
    invalidCredentials: 'Fel användarnamn eller lösenord.',
    tooManyAttempts: 'För många inloggningsförsök. Vänta en stund och försök sedan igen.',
    challengeExpired: 'Inloggningen tog för lång tid eller fick för många felaktiga koder. Logga in igen.',
    sessionExpired: 'Du har loggats ut. Logga in igen.',
    loggedOut: 'Du är nu utloggad.',
    passwordSet: 'Ditt lösenord är sparat. Logga in med det.',
  },

  code: {
    title: 'Ange kod från appen',
    intro: 'Öppna autentiseringsappen i din mobil och skriv in den sexsiffriga koden för Företagsportal.',
    label: 'Kod (6 siffror)',
    recoveryTitle: 'Ange en reservkod',
    recoveryIntro: 'Skriv in en av reservkoderna du sparade när du lade till appen. Varje reservkod fungerar en gång.',
    recoveryLabel: 'Reservkod',
    useRecoveryCode: 'Använd en reservkod',
    useApp: 'Använd koden från appen',
    submit: 'Logga in',
    submitting: 'Loggar in …',
    missingCode: 'Skriv in koden.',
    invalidCode: 'Koden stämmer inte eller har redan använts. Vänta på nästa kod i appen och försök igen.',
    invalidRecoveryCode: 'Reservkoden stämmer inte eller har redan använts.',
    back: 'Tillbaka',
  },

  enrolment: {
    title: 'Lägg till en autentiseringsapp',
    intro:
      'Första gången du loggar in behöver du koppla en autentiseringsapp (till exempel Microsoft Authenticator, Google Authenticator eller Bitwarden) till ditt konto.',
    stepScan: 'Skanna QR-koden med appen.',
    qrLabel: 'QR-kod för autentiseringsappen',
    manualKey: 'Går det inte att skanna? Skriv in den här nyckeln i appen:',
    manualKeyLabel: 'Nyckel',
    stepCode: 'Skriv in koden som appen visar, så vet vi att allt fungerar.',
    label: 'Kod (6 siffror)',
    submit: 'Lägg till och logga in',
    submitting: 'Lägger till …',
  },

  recoveryCodes: {
    title: 'Spara dina reservkoder',
    intro:
      'Om du tappar bort mobilen kan du logga in med en reservkod i stället för en kod från appen. Varje kod fungerar en gång. Koderna visas bara nu: skriv ut dem eller spara dem på ett säkert ställe.',
    listLabel: 'Reservkoder',
    confirm: 'Jag har sparat koderna',
    continue: 'Fortsätt',
    mustConfirm: 'Bekräfta att du har sparat koderna.',
  },

  home: {
    title: 'Administration',
    signedIn: (name: string, clinic: string): string => `Inloggad som ${name}, ${clinic}`,
  },

  customers: {
    title: 'Kundföretag',
    intro:
      'Här väljer du vilka kundföretag som har tillgång till portalen. Kontaktpersonerna hos ett företag utan tillgång ser inga fakturaunderlag.',
    caption: 'Kundföretag och deras tillgång till portalen',
    name: 'Företag',
    customerNumber: 'Kundnummer',
    orgNumber: 'Organisationsnummer',
    access: 'Tillgång till portalen',
    accessOn: 'Har tillgång',
    accessOff: 'Ingen tillgång',
    turnOff: (name: string): string => `Stäng av portalen för ${name}`,
    turnOn: (name: string): string => `Ge ${name} tillgång till portalen`,
    turnOffShort: 'Stäng av',
    turnOnShort: 'Ge tillgång',
    documents: (name: string): string => `Fakturaunderlag för ${name}`,
    documentsShort: 'Fakturaunderlag',
    empty: 'Inga kundföretag ännu. De kommer från verksamhetssystemet (CGM J4) när det skickar kunder till portalen.',
    accessChanged: (name: string, on: boolean): string =>
      on ? `${name} har nu tillgång till portalen.` : `${name} har inte längre tillgång till portalen.`,
  },

  contacts: {
    title: 'Kontaktpersoner',
    intro:
      'De som loggar in för företaget. Med personnummer kan de logga in med BankID; annars skickar du en inbjudan så att de väljer ett lösenord.',
    caption: (name: string): string => `Kontaktpersoner för ${name}`,
    name: 'Namn',
    email: 'E-post',
    bankId: 'BankID',
    status: 'Status',
    actions: 'Åtgärder',
    active: 'Aktiv',
    deactivated: 'Avaktiverad',
    noBankId: 'Inget personnummer',
    none: 'Företaget har inga kontaktpersoner ännu.',
    invite: 'Skicka inbjudan',
    inviteLabel: (name: string): string => `Skicka inbjudan till ${name}`,
    invited: (email: string): string => `En inbjudan har skickats till ${email}. Länken gäller i 60 minuter.`,
    deactivate: 'Avaktivera',
    deactivateLabel: (name: string): string => `Avaktivera ${name}`,
    confirmDeactivate: (name: string): string =>
      `Avaktivera ${name}? Personen loggas ut direkt och kan inte logga in igen.`,
    deactivatedNotice: (name: string): string => `${name} är avaktiverad och utloggad.`,
    addTitle: 'Lägg till en kontaktperson',
    addName: 'Namn',
    addEmail: 'E-postadress',
    addPersonalNumber: 'Personnummer (valfritt, för BankID)',
    addPersonalNumberHint: 'ÅÅÅÅMMDD-NNNN. Sparas aldrig i klartext, bara maskerat.',
    add: 'Lägg till',
    adding: 'Lägger till …',
    added: (name: string): string => `${name} är tillagd. Skicka en inbjudan om personen ska logga in med lösenord.`,
    missingFields: 'Fyll i namn och e-postadress.',
    errors: {
      email_in_use: 'En annan kontaktperson loggar redan in med den e-postadressen.',
      personal_number_in_use: 'Personnumret hör redan till en annan kontaktperson.',
      bankid_unavailable: 'BankID är inte inställt för portalen. Lägg till personen utan personnummer.',
      personalNumber: 'Personnumret stämmer inte. Kontrollera siffrorna (ÅÅÅÅMMDD-NNNN).',
      email: 'Skriv en giltig e-postadress.',
      name: 'Skriv personens namn.',
    } as Record<string, string>,
  },

  documents: {
    backToCustomers: 'Tillbaka till kundföretagen',
    intro:
      'Alla fakturaunderlag för företaget, även de som inte visas. Publicera ett underlag som väntar på godkännande, eller dölj ett som inte ska visas.',
    accessOff:
      'Företaget har ingen tillgång till portalen: dess kontaktpersoner ser inga underlag, vad som än är publicerat.',
    caption: (name: string): string => `Fakturaunderlag för ${name}, nyaste först`,
    invoiceDate: 'Fakturadatum',
    invoiceNumber: 'Fakturanummer',
    period: 'Period',
    description: 'Beskrivning',
    amount: 'Belopp',
    shown: 'Visas för kunden',
    downloaded: 'Hämtad',
    actions: 'Åtgärder',
    version: (version: number): string => `version ${version}`,
    visibility: {
      published: 'Publicerad',
      held: 'Väntar på godkännande',
      hidden: 'Dold',
      withdrawn: 'Återkallad',
      superseded: 'Ersatt av en nyare version',
    } as Record<string, string>,
    notReady: 'Visas när PDF:en är klar',
    failed: 'PDF:en kunde inte skapas',
    notDownloaded: 'Inte hämtad',
    downloadedBy: (name: string, when: string): string => `av ${name} ${when}`,
    publish: 'Publicera',
    hide: 'Dölj',
    publishLabel: (invoiceNumber: string): string => `Publicera fakturaunderlag ${invoiceNumber}`,
    hideLabel: (invoiceNumber: string): string => `Dölj fakturaunderlag ${invoiceNumber}`,
    showDownloads: 'Vem har hämtat?',
    showDownloadsLabel: (invoiceNumber: string): string => `Vem har hämtat fakturaunderlag ${invoiceNumber}?`,
    downloadsTitle: (invoiceNumber: string): string => `Hämtningar av ${invoiceNumber}`,
    noDownloads: 'Ingen har hämtat underlaget ännu.',
    published: (invoiceNumber: string): string => `${invoiceNumber} visas nu för kunden.`,
    hidden: (invoiceNumber: string): string => `${invoiceNumber} visas inte längre för kunden.`,
    empty: 'Inga fakturaunderlag för företaget ännu.',
    showMore: 'Visa fler',
    hash: 'SHA-256',
    notFound: 'Kundföretaget finns inte.',
  },

  setPassword: {
    title: 'Välj lösenord',
    intro:
      'Välj ett lösenord för ditt administratörskonto. Vid första inloggningen lägger du sedan till en autentiseringsapp.',
    newPassword: 'Nytt lösenord',
    hint: 'Minst 8 tecken. Ett långt lösenord av flera ord är både säkert och lätt att komma ihåg.',
    show: 'Visa',
    hide: 'Dölj',
    submit: 'Spara lösenordet',
    submitting: 'Sparar …',
    missingPassword: 'Skriv ett lösenord.',
    rejected: 'Lösenordet kan inte användas:',
    rejectedFallback: 'Välj ett annat lösenord.',
    linkInvalid: 'Länken har redan använts eller gått ut. Be om en ny inbjudan.',
    linkMalformed: 'Länken är ofullständig. Öppna den igen från e-postmeddelandet.',
    tooManyAttempts: 'För många försök. Vänta en stund och försök sedan igen.',
  },
};

/** The shape every admin message catalogue has. */
export type AdminMessages = typeof adminSv;
