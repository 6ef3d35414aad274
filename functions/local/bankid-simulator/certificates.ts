import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/**
 * The simulator's own small PKI, made fresh at every start (nothing is written to disk):
 *
 * - a root CA that issues the server certificate — what the RP pins, like "Test BankID SSL Root CA v1 Test";
 * - a server certificate for 127.0.0.1, ::1 and localhost (subjectAltName with IP and DNS entries);
 * - a separate RP-issuing CA, the only CA the server trusts for client certificates;
 * - the RP client certificate, as PKCS#12 protected by a random passphrase, like BankID's FPTestcert.
 *
 * Keys are made by node:crypto (fast, native) and handed to node-forge, which writes the X.509 certificates and
 * the PKCS#12 (node:crypto can make keys but not certificates). The validity follows real time, not the injected
 * clock: TLS checks certificates against the system time.
 */
export interface SimulatorCertificates {
  readonly rootCaPem: string;
  readonly server: { readonly keyPem: string; readonly certificatePem: string };
  readonly rpIssuerCaPem: string;
  readonly rp: { readonly pkcs12: Uint8Array; readonly passphrase: string; readonly certificatePem: string };
}

const generateRsaKeyPair = promisify(generateKeyPair);

interface KeyPair {
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly privateKey: forge.pki.rsa.PrivateKey;
}

async function newKeyPair(): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
  };
}

const HOUR = 3_600_000;
const CERTIFICATE_LIFETIME = 90 * 24 * HOUR;

interface CertificateSpec {
  readonly subject: forge.pki.CertificateField[];
  readonly keys: KeyPair;
  readonly issuer: { readonly subject: forge.pki.CertificateField[]; readonly privateKey: forge.pki.rsa.PrivateKey };
  readonly extensions: object[];
}

function issue(spec: CertificateSpec): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = spec.keys.publicKey;
  // A positive 128-bit serial (the leading nibble keeps it positive in DER).
  certificate.serialNumber = `01${randomBytes(16).toString('hex')}`;
  const now = Date.now();
  certificate.validity.notBefore = new Date(now - HOUR);
  certificate.validity.notAfter = new Date(now + CERTIFICATE_LIFETIME);
  certificate.setSubject(spec.subject);
  certificate.setIssuer(spec.issuer.subject);
  certificate.setExtensions([...spec.extensions, { name: 'subjectKeyIdentifier' }]);
  certificate.sign(spec.issuer.privateKey, forge.md.sha256.create());
  return certificate;
}

const name = (commonName: string): forge.pki.CertificateField[] => [
  { name: 'commonName', value: commonName },
  { name: 'organizationName', value: 'Företagsportal BankID simulator' },
  { name: 'countryName', value: 'SE' },
];

function selfSignedCa(commonName: string, keys: KeyPair): forge.pki.Certificate {
  const subject = name(commonName);
  return issue({
    subject,
    keys,
    issuer: { subject, privateKey: keys.privateKey },
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
}

/** Makes the whole PKI; about 0.1–0.5 s (four RSA-2048 keys, generated in parallel). */
export async function createSimulatorCertificates(): Promise<SimulatorCertificates> {
  const [rootKeys, serverKeys, rpIssuerKeys, rpKeys] = await Promise.all([
    newKeyPair(),
    newKeyPair(),
    newKeyPair(),
    newKeyPair(),
  ]);
  const rootCa = selfSignedCa('Simulated Test BankID SSL Root CA v1', rootKeys);
  const server = issue({
    subject: name('BankID simulator (127.0.0.1, localhost)'),
    keys: serverKeys,
    issuer: { subject: rootCa.subject.attributes, privateKey: rootKeys.privateKey },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const rpIssuerCa = selfSignedCa('Simulated Test BankID RP CA v1', rpIssuerKeys);
  const rp = issue({
    subject: name('Företagsportal RP (simulated FPTestcert)'),
    keys: rpKeys,
    issuer: { subject: rpIssuerCa.subject.attributes, privateKey: rpIssuerKeys.privateKey },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  const passphrase = randomBytes(12).toString('base64url');
  const pkcs12Asn1 = forge.pkcs12.toPkcs12Asn1(rpKeys.privateKey, [rp, rpIssuerCa], passphrase, {
    algorithm: 'aes256',
    friendlyName: 'Företagsportal RP',
  });
  const pkcs12 = Buffer.from(forge.asn1.toDer(pkcs12Asn1).getBytes(), 'binary');
  return {
    rootCaPem: forge.pki.certificateToPem(rootCa),
    server: {
      keyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
      certificatePem: forge.pki.certificateToPem(server),
    },
    rpIssuerCaPem: forge.pki.certificateToPem(rpIssuerCa),
    rp: { pkcs12: new Uint8Array(pkcs12), passphrase, certificatePem: forge.pki.certificateToPem(rp) },
  };
}
