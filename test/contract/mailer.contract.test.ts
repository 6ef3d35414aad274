import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MessageRejected, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { fileMailSink } from '../../functions/adapters/mail/file-mail-sink';
import { sesMailer } from '../../functions/adapters/mail/ses-mailer';
import { randomIds } from '../../functions/adapters/system/system-clock-and-ids';
import { type MailRecipient, MailRefusedError, type OutgoingMail } from '../../functions/domain/mail';
import type { Clock, Mailer } from '../../functions/domain/ports';

/*
 * The Mailer port's contract, run against both adapters: the local file sink on real files in a temporary folder,
 * and the SES adapter on a real SESv2Client (serialisation, signing, error parsing) whose HTTP requests go to a
 * stand-in request handler instead of AWS. Each adapter then answers for what it alone does.
 */

/** A mail as it arrived: what any adapter must deliver unchanged. */
interface DeliveredMail {
  readonly fromName: string;
  readonly to: MailRecipient;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly kind: string;
}

interface MailerUnderTest {
  readonly mailer: Mailer;
  /** Everything delivered so far, in the order it was sent. */
  delivered(): Promise<DeliveredMail[]>;
}

function outgoing(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: { name: 'Anna Åberg', address: 'anna.aberg@example.se' },
    fromName: 'Företagshälsan Öst',
    kind: 'contact-invitation',
    subject: 'Inbjudan till företagsportalen hos Företagshälsan Öst',
    text: 'Hej Anna Åberg!\n\nVälj ett lösenord:\nhttps://portal.example.se/losenord#nyckel=abc\n',
    html: '<!doctype html><html lang="sv"><p>Hej Anna Åberg!</p><a href="https://portal.example.se/losenord#nyckel=abc">Välj lösenord</a></html>',
    ...overrides,
  };
}

const delivered = (mail: OutgoingMail): DeliveredMail => ({
  fromName: mail.fromName,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  kind: mail.kind,
});

function mailerContract(name: string, setUp: () => MailerUnderTest) {
  describe(`${name}: the Mailer contract`, () => {
    it('delivers the recipient, the sender name, the subject, both bodies and the kind unchanged', async () => {
      // Arrange
      const { mailer, delivered: read } = setUp();
      const mail = outgoing();

      // Act
      await mailer.send(mail);

      // Assert
      expect(await read()).toEqual([delivered(mail)]);
    });

    it('keeps quotes, backslashes and Swedish letters in the names', async () => {
      // Arrange
      const { mailer, delivered: read } = setUp();
      const mail = outgoing({
        fromName: 'Företagshälsan "Öst" \\ Bergström & Co',
        to: { name: 'Åsa "Åsan" Öberg-Ek', address: 'asa@example.se' },
        kind: 'password-reset',
      });

      // Act
      await mailer.send(mail);

      // Assert
      expect(await read()).toEqual([delivered(mail)]);
    });

    it('delivers every mail once, in the order sent', async () => {
      // Arrange
      const { mailer, delivered: read } = setUp();
      const mails = (['contact-invitation', 'password-reset', 'admin-invitation'] as const).map((kind, index) =>
        outgoing({
          kind,
          subject: `Mejl ${index + 1}`,
          to: { name: `Person ${index + 1}`, address: `p${index}@x.se` },
        }),
      );

      // Act
      for (const mail of mails) await mailer.send(mail);

      // Assert
      expect(await read()).toEqual(mails.map(delivered));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The file sink

/** All mails in one millisecond: the sink must still keep them in the order they were sent. */
const frozenClock: Clock = { now: () => new Date('2025-03-03T09:00:00.000Z') };

function fileSinkUnderTest(clock: Clock = frozenClock) {
  const directory = mkdtempSync(join(tmpdir(), 'mailer-contract-'));
  const sink = fileMailSink({ directory, clock, ids: randomIds });
  return { directory, sink, mailer: sink, delivered: async () => [...(await sink.list())].reverse().map(delivered) };
}

mailerContract('the local file sink', fileSinkUnderTest);

describe('the local file sink', () => {
  it('keeps each mail as one JSON file only its owner can read, and leaves no temporary file behind', async () => {
    // Arrange
    const { directory, sink } = fileSinkUnderTest();

    // Act
    await sink.send(outgoing());
    await sink.send(outgoing({ kind: 'password-reset' }));

    // Assert
    const names = readdirSync(directory);
    expect(names).toHaveLength(2);
    for (const name of names) {
      expect(name).toMatch(/^2025-03-03T09-00-00\.000Z_\d{9}_[\da-f-]{36}\.json$/u);
      expect(statSync(join(directory, name)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(join(directory, name), 'utf8'))).toMatchObject({
        sentAt: '2025-03-03T09:00:00.000Z',
        to: { address: 'anna.aberg@example.se' },
      });
    }
  });

  it('lists the newest mail first, by the clock', async () => {
    // Arrange
    let now = new Date('2025-03-03T09:00:00.000Z');
    const { sink } = fileSinkUnderTest({ now: () => now });

    // Act
    await sink.send(outgoing({ subject: 'först' }));
    now = new Date('2025-03-03T09:00:05.000Z');
    await sink.send(outgoing({ subject: 'sedan' }));

    // Assert
    expect((await sink.list()).map((mail) => [mail.subject, mail.sentAt])).toEqual([
      ['sedan', '2025-03-03T09:00:05.000Z'],
      ['först', '2025-03-03T09:00:00.000Z'],
    ]);
  });

  it('finds one mail by its id, and nothing for an id it does not have', async () => {
    // Arrange
    const { sink } = fileSinkUnderTest();
    await sink.send(outgoing({ subject: 'den här' }));
    const [sent] = await sink.list();

    // Act / Assert
    expect(sent).toBeDefined();
    expect(await sink.get(sent?.id ?? '')).toEqual(sent);
    expect(await sink.get(randomIds.newId())).toBeUndefined();
    expect(await sink.get('../../etc/passwd')).toBeUndefined();
  });

  it('rejects as MailRefusedError, leaving no mail, when it cannot store the mail', async () => {
    // Arrange: the sink's folder is a file, so nothing can be written into it
    const parent = mkdtempSync(join(tmpdir(), 'mail-sink-'));
    const blocked = join(parent, 'not-a-folder');
    writeFileSync(blocked, 'x');
    const sink = fileMailSink({ directory: blocked, clock: frozenClock, ids: randomIds });

    // Act
    const error = await sink.send(outgoing()).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(MailRefusedError);
    expect(readFileSync(blocked, 'utf8')).toBe('x');
  });

  it('lists nothing before the first mail, when its folder does not exist yet', async () => {
    const sink = fileMailSink({
      directory: join(tmpdir(), `no-mail-${randomIds.newId()}`),
      clock: frozenClock,
      ids: randomIds,
    });

    expect(await sink.list()).toEqual([]);
    expect(await sink.get(randomIds.newId())).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The SES adapter

const FROM_ADDRESS = 'no-reply@portal.example.se';
const REGION = 'eu-north-1';

/** The part of Smithy's HttpRequest the stand-in reads. */
interface CapturedRequest {
  readonly method: string;
  readonly hostname: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

interface StandInAnswer {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

/**
 * A real SES v2 client whose HTTP layer is a stand-in: it records each signed request and answers as SES would
 * (`answer`, by default 200 with a MessageId).
 */
function sesUnderTest(
  options: { configurationSet?: string; answer?: (request: CapturedRequest) => StandInAnswer } = {},
) {
  const requests: CapturedRequest[] = [];
  const answer: (request: CapturedRequest) => StandInAnswer =
    options.answer ?? (() => ({ statusCode: 200, body: { MessageId: `message-${requests.length}` } }));
  const client = new SESv2Client({
    region: REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: CapturedRequest) {
        requests.push(request);
        const { statusCode, headers = {}, body } = answer(request);
        return {
          response: {
            statusCode,
            headers: { 'content-type': 'application/json', ...headers },
            body: Readable.from([Buffer.from(JSON.stringify(body), 'utf8')]),
          },
        };
      },
    },
  });
  const mailer = sesMailer({ client, fromAddress: FROM_ADDRESS, configurationSet: options.configurationSet });
  const bodies = () => requests.map((request) => JSON.parse(bodyText(request.body)) as SendEmailBody);
  return {
    mailer,
    requests,
    bodies,
    delivered: async () => bodies().map(deliveredBySes),
  };
}

/** The serialised body: a string or UTF-8 bytes, as the SDK's protocol layer chose. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error(`Unexpected request body: ${typeof body}`);
}

/** SES v2 SendEmail's JSON body, as far as the adapter fills it. */
interface SendEmailBody {
  readonly FromEmailAddress: string;
  readonly Destination: { readonly ToAddresses: readonly string[] };
  readonly Content: {
    readonly Simple: {
      readonly Subject: { readonly Data: string; readonly Charset: string };
      readonly Body: {
        readonly Text: { readonly Data: string; readonly Charset: string };
        readonly Html: { readonly Data: string; readonly Charset: string };
      };
    };
  };
  readonly EmailTags: readonly { readonly Name: string; readonly Value: string }[];
  readonly ConfigurationSetName?: string;
}

function deliveredBySes(body: SendEmailBody): DeliveredMail {
  const from = parseMailbox(body.FromEmailAddress);
  expect(from.address).toBe(FROM_ADDRESS);
  expect(body.Destination.ToAddresses).toHaveLength(1);
  return {
    fromName: from.name,
    to: parseMailbox(body.Destination.ToAddresses[0] ?? ''),
    subject: body.Content.Simple.Subject.Data,
    text: body.Content.Simple.Body.Text.Data,
    html: body.Content.Simple.Body.Html.Data,
    kind: body.EmailTags.find((tag) => tag.Name === 'kind')?.Value ?? '',
  };
}

/** Reads `"quoted name" <address>` or `=?UTF-8?B?…?= … <address>` back, as a mail client would. */
function parseMailbox(header: string): MailRecipient {
  const match = /^(.*) <([^<>]+)>$/u.exec(header);
  if (!match) throw new Error(`Not a mailbox: ${header}`);
  const [, display = '', address = ''] = match;
  if (display.startsWith('"') && display.endsWith('"')) {
    return { name: display.slice(1, -1).replace(/\\(.)/gu, '$1'), address };
  }
  // Whitespace between adjacent encoded-words is not part of the text (RFC 2047 §6.2).
  const words = display.split(' ').map((word) => {
    const encoded = /^=\?UTF-8\?B\?([A-Za-z\d+/=]+)\?=$/u.exec(word);
    if (!encoded) throw new Error(`Not an RFC 2047 encoded-word: ${word}`);
    expect(word.length).toBeLessThanOrEqual(75);
    return Buffer.from(encoded[1] ?? '', 'base64').toString('utf8');
  });
  return { name: words.join(''), address };
}

mailerContract('the SES adapter', sesUnderTest);

describe('the SES adapter', () => {
  it('sends one signed SendEmail request to SES v2 in the region, with UTF-8 text and HTML and the kind as tag', async () => {
    // Arrange
    const ses = sesUnderTest();
    const mail = outgoing({ kind: 'admin-invitation' });

    // Act
    await ses.mailer.send(mail);

    // Assert
    expect(ses.requests).toHaveLength(1);
    const [request] = ses.requests;
    expect(request?.method).toBe('POST');
    expect(request?.hostname).toBe(`email.${REGION}.amazonaws.com`);
    expect(request?.path).toBe('/v2/email/outbound-emails');
    expect(request?.headers.authorization).toMatch(
      new RegExp(`Credential=AKIDEXAMPLE/\\d{8}/${REGION}/ses/aws4_request`),
    );
    expect(ses.bodies()).toEqual([
      {
        FromEmailAddress: `=?UTF-8?B?${Buffer.from('Företagshälsan Öst').toString('base64')}?= <${FROM_ADDRESS}>`,
        Destination: {
          ToAddresses: [`=?UTF-8?B?${Buffer.from('Anna Åberg').toString('base64')}?= <anna.aberg@example.se>`],
        },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
          },
        },
        EmailTags: [{ Name: 'kind', Value: 'admin-invitation' }],
      },
    ]);
  });

  it('quotes an ASCII display name, escaping its quotes and backslashes', async () => {
    const ses = sesUnderTest();

    await ses.mailer.send(
      outgoing({ fromName: 'Nordic "Health" \\ AB', to: { name: 'Bo Ek', address: 'bo@example.se' } }),
    );

    expect(ses.bodies()[0]?.FromEmailAddress).toBe(`"Nordic \\"Health\\" \\\\ AB" <${FROM_ADDRESS}>`);
    expect(ses.bodies()[0]?.Destination.ToAddresses).toEqual(['"Bo Ek" <bo@example.se>']);
  });

  it('sends every address as 7-bit ASCII (a Swedish domain as Punycode) and a long name as several encoded-words', async () => {
    // Arrange
    const ses = sesUnderTest();
    const longName = 'Företagshälsovården i Övre Älvdalen och Åre, avdelning för arbetsmiljö och hälsa';

    // Act
    await ses.mailer.send(outgoing({ fromName: longName, to: { name: 'Åsa', address: 'asa@företagshälsan.se' } }));

    // Assert
    const [body] = ses.bodies();
    expect(body?.Destination.ToAddresses[0]).toMatch(/ <asa@xn--fretagshlsan-[a-z\d]+\.se>$/u);
    expect(`${body?.FromEmailAddress}${body?.Destination.ToAddresses[0]}`).toMatch(/^[\x20-\x7e]+$/u);
    expect(body?.FromEmailAddress.split(' ').length).toBeGreaterThan(2);
    expect(parseMailbox(body?.FromEmailAddress ?? '').name).toBe(longName);
  });

  it('names the configuration set when it has one', async () => {
    const ses = sesUnderTest({ configurationSet: 'portal-dev-mail' });

    await ses.mailer.send(outgoing());

    expect(ses.bodies()[0]?.ConfigurationSetName).toBe('portal-dev-mail');
  });

  it('rejects as MailRefusedError (nothing sent, safe to retry) when SES refuses the mail, keeping MessageRejected as the cause', async () => {
    // Arrange
    const ses = sesUnderTest({
      answer: () => ({
        statusCode: 400,
        headers: { 'x-amzn-errortype': 'MessageRejected' },
        body: { message: 'Email address is not verified.' },
      }),
    });

    // Act
    const sending = ses.mailer.send(outgoing());

    // Assert
    const error = await sending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailRefusedError);
    expect((error as MailRefusedError).cause).toBeInstanceOf(MessageRejected);
    expect((error as MailRefusedError).message).toContain('MessageRejected');
  });

  it('rejects as MailRefusedError when SES throttles the account', async () => {
    const ses = sesUnderTest({
      answer: () => ({
        statusCode: 429,
        headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
        body: { message: 'Too many requests.' },
      }),
    });

    await expect(ses.mailer.send(outgoing())).rejects.toBeInstanceOf(MailRefusedError);
  });

  it('rejects with an error that is NOT MailRefusedError when SES is unavailable: whether the mail went is unknown', async () => {
    const ses = sesUnderTest({ answer: () => ({ statusCode: 503, body: { message: 'Service unavailable' } }) });

    const error = await ses.mailer.send(outgoing()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(MailRefusedError);
  });
});
