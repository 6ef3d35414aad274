import { afterEach, describe, expect, it, vi } from 'vitest';
import { capturingLogger, jsonLogger, redactLogText } from '../../../../functions/adapters/system/json-logger';

const NOW = new Date('2026-12-04T12:00:00.000Z');

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the JSON logger', () => {
  it('writes one JSON object per line: time, level, message, then the base, the context and the facts', () => {
    // Arrange
    let context = { requestId: 'request-1' };
    const { log, lines } = capturingLogger({ base: { service: 'api' }, context: () => context, now: () => NOW });

    // Act
    log.info('Render job done', { documentId: 'd-1', pages: 3, cached: false, absent: undefined });
    context = { requestId: 'request-2' };
    log.error('Render job failed');

    // Assert: the context is read per line, and an undefined fact is left out
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        timestamp: '2026-12-04T12:00:00.000Z',
        level: 'INFO',
        message: 'Render job done',
        service: 'api',
        requestId: 'request-1',
        documentId: 'd-1',
        pages: 3,
        cached: false,
      },
      {
        timestamp: '2026-12-04T12:00:00.000Z',
        level: 'ERROR',
        message: 'Render job failed',
        service: 'api',
        requestId: 'request-2',
      },
    ]);
  });

  it('drops lines below its level, which Lambda passes in AWS_LAMBDA_LOG_LEVEL', () => {
    // Arrange
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'warn');
    const lines: string[] = [];
    const log = jsonLogger({ write: (line) => lines.push(line) });

    // Act
    log.info('request');
    log.warn('slow');
    log.error('broken');

    // Assert
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['slow', 'broken']);
  });

  it('logs INFO and up when no level is configured, or an unknown one', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'chatty');
    const lines: string[] = [];
    jsonLogger({ write: (line) => lines.push(line) }).info('request');
    expect(lines).toHaveLength(1);
  });

  it('writes INFO to stdout and WARN and ERROR to stderr', () => {
    // Arrange
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const log = jsonLogger({ level: 'INFO' });

    // Act
    log.info('one');
    log.warn('two');
    log.error('three');

    // Assert
    expect(stdout.mock.calls.map(([line]) => JSON.parse(String(line)).message)).toEqual(['one']);
    expect(stderr.mock.calls.map(([line]) => JSON.parse(String(line)).message)).toEqual(['two', 'three']);
    expect(String(stdout.mock.calls[0]?.[0])).toMatch(/\}\n$/u);
  });

  it('never logs the value of a field named like a secret or personal data', () => {
    const { log, entries } = capturingLogger();

    log.warn('login', {
      password: 'hunter2hunter2',
      sessionToken: 'abc',
      Authorization: 'Basic x',
      cookie: 'sid=1',
      email: 'x',
      contactEmail: 'x',
      personalNumber: 'x',
      xAmzSignature: 'x',
      tenantId: 'kept',
    });

    expect(entries()[0]).toMatchObject({
      password: '[redacted]',
      sessionToken: '[redacted]',
      Authorization: '[redacted]',
      cookie: '[redacted]',
      email: '[redacted]',
      contactEmail: '[redacted]',
      personalNumber: '[redacted]',
      xAmzSignature: '[redacted]',
      tenantId: 'kept',
    });
  });

  it('redacts personal data and credentials inside the message and every string fact', () => {
    const { log, lines } = capturingLogger();

    log.error('Mail to anna.andersson@example.se refused', { errorMessage: 'No identity for 198112189876' });

    expect(lines[0]).not.toContain('anna.andersson');
    expect(lines[0]).not.toContain('198112189876');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      message: 'Mail to [email] refused',
      errorMessage: 'No identity for [personal-number]',
    });
  });
});

describe('redactLogText', () => {
  it.each([
    ['an e-mail address', 'to <anna.andersson+hr@hälsan-väst.example.se>', 'to <[email]>'],
    ['a 12-digit personal number', 'pnr 198112189876.', 'pnr [personal-number].'],
    ['a personal number with a dash', 'pnr 19811218-9876', 'pnr [personal-number]'],
    ['a 10-digit personal number with a dash', 'pnr 811218-9876', 'pnr [personal-number]'],
    ['a 10-digit number of a centenarian (+)', 'pnr 121212+1212', 'pnr [personal-number]'],
    ['a coordination number', 'samordningsnummer 198112789876', 'samordningsnummer [personal-number]'],
    ['a session token (JWT)', 'token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjLTEifQ.c2lnbmF0dXJl end', 'token [token] end'],
    ['a bearer credential', 'Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
    [
      'an ingest API key',
      `key fpk_${'a'.repeat(32)}_${'b'.repeat(32)}_${'C'.repeat(43)} used`,
      'key fpk_[redacted] used',
    ],
    [
      'the signature and credential of a presigned URL',
      'https://b.s3.amazonaws.com/k.pdf?X-Amz-Credential=AKIA%2F20261204&X-Amz-Signature=abc123&X-Amz-Security-Token=IQo',
      'https://b.s3.amazonaws.com/k.pdf?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]',
    ],
  ])('redacts %s', (_what, text, expected) => {
    expect(redactLogText(text)).toBe(expected);
  });

  it.each([
    ['a UUID whose last group is all digits', 'document 0b7c1f0e-2f6c-4a43-9d51-123456789012'],
    ['an ISO timestamp', '2026-12-04T12:00:00.000Z'],
    ['a route pattern', '/api/customers/:customerId/documents/:documentId/download'],
    ['a short number', 'took 1234 ms, 42 pages'],
  ])('keeps %s', (_what, text) => {
    expect(redactLogText(text)).toBe(text);
  });
});
