import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dynamoDbPasswordLinkRepository } from '../../functions/adapters/dynamodb/dynamodb-password-link-repository';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { PasswordLink, PasswordLinkSubject } from '../../functions/domain/ports';
import { sha256Hex } from '../../functions/use-cases/sha256';
import { emulatorTable } from '../support/emulator-table';

const NOW = new Date('2024-05-01T10:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const MINUTE = 60_000;

const contact = (): PasswordLinkSubject => ({ kind: 'contact', id: randomUUID() });
const hash = () => sha256Hex(randomUUID());
const link = (subject: PasswordLinkSubject, overrides: Partial<PasswordLink> = {}): PasswordLink => ({
  subject,
  purpose: 'reset',
  secretSha256: hash(),
  createdAt: NOW.toISOString(),
  expiresAt: at(60 * MINUTE).toISOString(),
  ...overrides,
});

/** The PasswordLinkRepository port's contract, against DynamoDB Local. */
describe('password link repository (DynamoDB Local)', () => {
  const table = emulatorTable();
  const linksFor = dynamoDbPasswordLinkRepository(table);

  it('keeps a link and gives it back once, to the right secret, while it lasts', async () => {
    const links = linksFor(randomUUID());
    const stored = link(contact());
    await links.put(stored);

    await expect(links.get(stored.subject)).resolves.toEqual(stored);
    await expect(links.consume(stored.subject, stored.secretSha256, at(59 * MINUTE))).resolves.toEqual(stored);

    await expect(links.consume(stored.subject, stored.secretSha256, at(59 * MINUTE))).resolves.toBeUndefined();
    await expect(links.get(stored.subject)).resolves.toBeUndefined();
  });

  it('invalidates the older link when a newer one is stored for the same account', async () => {
    const links = linksFor(randomUUID());
    const subject = contact();
    const older = link(subject);
    const newer = link(subject, { purpose: 'invitation', createdAt: at(MINUTE).toISOString() });
    await links.put(older);

    await links.put(newer);

    await expect(links.consume(subject, older.secretSha256, at(2 * MINUTE))).resolves.toBeUndefined();
    await expect(links.consume(subject, newer.secretSha256, at(2 * MINUTE))).resolves.toEqual(newer);
  });

  it('lets exactly one of two parallel uses of a link win', async () => {
    const links = linksFor(randomUUID());
    const stored = link(contact());
    await links.put(stored);

    const results = await Promise.all(
      Array.from({ length: 2 }, () => links.consume(stored.subject, stored.secretSha256, at(MINUTE))),
    );

    expect(results.filter((result) => result !== undefined)).toEqual([stored]);
  });

  it('lets exactly one of many parallel uses win', async () => {
    const links = linksFor(randomUUID());
    const stored = link(contact());
    await links.put(stored);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => links.consume(stored.subject, stored.secretSha256, at(MINUTE))),
    );

    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
  });

  it('does not give out a link that has ended, even before the TTL sweep removes it', async () => {
    const links = linksFor(randomUUID());
    const stored = link(contact());
    await links.put(stored);

    await expect(links.consume(stored.subject, stored.secretSha256, at(60 * MINUTE))).resolves.toBeUndefined();
    await expect(links.get(stored.subject)).resolves.toEqual(stored);
  });

  it('leaves the link intact when the secret is wrong', async () => {
    const links = linksFor(randomUUID());
    const stored = link(contact());
    await links.put(stored);

    await expect(links.consume(stored.subject, hash(), at(MINUTE))).resolves.toBeUndefined();

    await expect(links.consume(stored.subject, stored.secretSha256, at(MINUTE))).resolves.toEqual(stored);
  });

  it('has nothing to give for an account without a link', async () => {
    const links = linksFor(randomUUID());

    await expect(links.get(contact())).resolves.toBeUndefined();
    await expect(links.consume(contact(), hash(), NOW)).resolves.toBeUndefined();
  });

  it('keeps clinics apart: a link of one clinic does nothing in another', async () => {
    const stored = link(contact());
    await linksFor(randomUUID()).put(stored);
    const otherClinic = linksFor(randomUUID());

    await expect(otherClinic.get(stored.subject)).resolves.toBeUndefined();
    await expect(otherClinic.consume(stored.subject, stored.secretSha256, at(MINUTE))).resolves.toBeUndefined();
  });

  it('keeps a contact and an administrator with the same id apart', async () => {
    const links = linksFor(randomUUID());
    const id = randomUUID();
    const contactLink = link({ kind: 'contact', id });
    const adminLink = link({ kind: 'admin', id }, { purpose: 'invitation' });
    await links.put(contactLink);
    await links.put(adminLink);

    await expect(links.consume({ kind: 'admin', id }, contactLink.secretSha256, at(MINUTE))).resolves.toBeUndefined();
    await expect(links.consume({ kind: 'contact', id }, contactLink.secretSha256, at(MINUTE))).resolves.toEqual(
      contactLink,
    );
    await expect(links.get({ kind: 'admin', id })).resolves.toEqual(adminLink);
  });

  it('stores the hash only, under the key docs/data-model.md gives, with a TTL no earlier than the end', async () => {
    const tenantId = randomUUID();
    const stored = link(contact());
    await linksFor(tenantId).put(stored);

    const key = keys.passwordLink(tenantId, stored.subject);
    expect(key).toEqual({ PK: `T#${tenantId}#PWLINK#contact#${stored.subject.id}`, SK: 'LINK' });
    const item = await table.get(key, { consistent: true });
    expect(item).toMatchObject({ secretSha256: stored.secretSha256, expiresAt: stored.expiresAt });
    expect(item?.expiresAtEpoch).toBe(Math.ceil(Date.parse(stored.expiresAt) / 1000));
  });
});
