import { domainToASCII } from 'node:url';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailRefusedError } from '../../domain/mail';
import type { Mailer } from '../../domain/ports';

export interface SesMailerOptions {
  readonly client: SESv2Client;
  /** The verified sender address of this deployment (e.g. `no-reply@portal.example.se`). */
  readonly fromAddress: string;
  /** The SES configuration set that records bounces and complaints, if any. */
  readonly configurationSet?: string | undefined;
}

/** The longest encoded-word RFC 2047 allows is 75 characters; `=?UTF-8?B?` and `?=` take 12 of them. */
const MAX_ENCODED_WORD_BYTES = 45;

/**
 * `"Name" <address>` for SES. SES does not speak SMTPUTF8: an address must be 7-bit ASCII (so a domain with å, ä or
 * ö goes as Punycode), and a display name with any non-ASCII character must come as RFC 2047 encoded-words, which
 * may not stand inside quotes. A plain-ASCII name is a quoted string, with quotes and backslashes escaped.
 */
function mailbox(name: string, address: string): string {
  const displayName = name.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  const at = address.lastIndexOf('@');
  const asciiAddress = at < 0 ? address : `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1))}`;
  if (displayName === '') return asciiAddress;
  return `${displayNameHeader(displayName)} <${asciiAddress}>`;
}

function displayNameHeader(name: string): string {
  if (/^[\x20-\x7e]*$/u.test(name)) return `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  // Split between characters, never inside one: each encoded-word must decode on its own (RFC 2047 §5).
  const words: string[] = [];
  let chunk = '';
  for (const character of name) {
    if (Buffer.byteLength(chunk + character, 'utf8') > MAX_ENCODED_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(' ');
}

/** Mail through Amazon SES v2: one SendEmail per message, plain text and HTML, tagged with the kind of mail. */
export function sesMailer(options: SesMailerOptions): Mailer {
  return {
    async send(mail) {
      await options.client
        .send(
          new SendEmailCommand({
            FromEmailAddress: mailbox(mail.fromName, options.fromAddress),
            Destination: { ToAddresses: [mailbox(mail.to.name, mail.to.address)] },
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
              },
            },
            EmailTags: [{ Name: 'kind', Value: mail.kind }],
            ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
          }),
        )
        .catch((error: unknown) => {
          // A client fault (MessageRejected, TooManyRequests, a throttle, a 4xx) is SES saying it took nothing. A server
          // fault or a lost connection says nothing about whether the mail went; it passes on as it is.
          if (isClientFault(error))
            throw new MailRefusedError(`SES refused the mail: ${errorName(error)}.`, { cause: error });
          throw error;
        });
    },
  };
}

function isClientFault(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fault = (error as { $fault?: unknown }).$fault;
  const throttling = (error as { $retryable?: { throttling?: unknown } }).$retryable?.throttling;
  return fault === 'client' || throttling === true;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
