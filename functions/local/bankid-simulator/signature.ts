import { createHash, randomBytes } from 'node:crypto';

/**
 * Stand-ins for the `signature` and `ocspResponse` of a completed order. They have BankID's shape (base64 of an
 * XML-DSig document with a `bankIdSignedData` object; base64 of DER bytes) so a client can store and size them, but
 * they are NOT signed by anything: nothing may ever verify a simulated signature.
 */
export interface SignedDataInput {
  readonly kind: string;
  readonly personalNumber: string;
  readonly name: string;
  readonly userVisibleData?: string | undefined;
  readonly userNonVisibleData?: string | undefined;
  readonly uhi: string;
  readonly signedAt: Date;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (character) => `&#${character.codePointAt(0) ?? 0};`);

export function simulatedSignature(input: SignedDataInput): string {
  const functionId = input.kind.endsWith('sign') ? 'Signing' : 'Identification';
  const visible = input.userVisibleData
    ? `<usrVisibleData charset="UTF-8" visible="wysiwys">${escapeXml(input.userVisibleData)}</usrVisibleData>`
    : '';
  const nonVisible = input.userNonVisibleData
    ? `<usrNonVisibleData>${escapeXml(input.userNonVisibleData)}</usrNonVisibleData>`
    : '';
  const signedData =
    '<bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types" Id="bidSignedData">' +
    `${visible}${nonVisible}` +
    `<srvInfo><name>Företagsportal BankID simulator</name><nonce>${randomBytes(20).toString('base64')}</nonce></srvInfo>` +
    `<clientInfo><funcId>${functionId}</funcId><version>simulated</version><env><ai><type>SIMULATED</type>` +
    `<uhi>${escapeXml(input.uhi)}</uhi></ai></env></clientInfo>` +
    `<subject><name>${escapeXml(input.name)}</name><serialNumber>${escapeXml(input.personalNumber)}</serialNumber></subject>` +
    `<signedAt>${input.signedAt.toISOString()}</signedAt>` +
    '</bankIdSignedData>';
  const digest = createHash('sha256').update(signedData).digest('base64');
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>' +
    '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>' +
    '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>' +
    '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
    `<Reference URI="#bidSignedData"><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>${digest}</DigestValue></Reference>` +
    '</SignedInfo>' +
    `<SignatureValue>${randomBytes(256).toString('base64')}</SignatureValue>` +
    `<Object>${signedData}</Object></Signature>`;
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** Random bytes in a DER SEQUENCE wrapper: the size and look of an OCSP response, not one. */
export function simulatedOcspResponse(): string {
  const body = randomBytes(120);
  return Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body]).toString('base64');
}

/** A stable "unique hardware id" per person, as a base64 string (BankID's uhi is opaque to the RP). */
export function simulatedUhi(personalNumber: string): string {
  return createHash('sha256').update(`simulated-device:${personalNumber}`).digest('base64').slice(0, 27);
}
