/**
 * @module
 * The key SNS signs messages with, and the certificate receivers verify them by. Both live in the
 * data directory (`sns-signing-key.pem`, mode 0600, and `sns-signing-cert.pem`), made on first use:
 * an RSA-2048 key and a self-signed certificate for it. The certificate is served at
 * `/_custos/sns/SimpleNotificationService-<id>.pem`, the SigningCertURL of every message.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certificatePem, selfSignedCertificateDer } from '../../integrity/x509.js';

const KEY_FILE = 'sns-signing-key.pem';
const CERT_FILE = 'sns-signing-cert.pem';
const CERT_PATH_PREFIX = '/_custos/sns/';
const VALID_YEARS = 20;

/** The signing key and its certificate. */
export interface SnsSigningKey {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
  /** The certificate's path under the server's URL. */
  readonly certificatePath: string;
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function withPath(privateKey: KeyObject, pem: string): SnsSigningKey {
  const id = createHash('sha256').update(pem).digest('hex').slice(0, 32);
  return { privateKey, certificatePem: pem, certificatePath: `${CERT_PATH_PREFIX}SimpleNotificationService-${id}.pem` };
}

/** Reads the data directory's signing key and certificate, making them if there are none. */
async function loadSigningKey(dataDir: string, now: number): Promise<SnsSigningKey> {
  const keyFile = join(dataDir, KEY_FILE);
  const certFile = join(dataDir, CERT_FILE);
  let keyPem = await readIfPresent(keyFile);
  if (keyPem === undefined) {
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      await writeFile(keyFile, keyPem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      keyPem = await readFile(keyFile, 'utf8');
    }
  }
  const privateKey = createPrivateKey(keyPem);
  let certPem = await readIfPresent(certFile);
  if (certPem === undefined) {
    const serialNumber = randomBytes(16);
    serialNumber[0]! &= 0x7f;
    serialNumber[0]! |= 0x01;
    certPem = certificatePem(selfSignedCertificateDer({
      commonName: 'Custos Simple Notification Service',
      organization: 'Custos',
      serialNumber,
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + VALID_YEARS * 365 * 86_400_000),
    }, privateKey, createPublicKey(privateKey)));
    await writeFile(certFile, certPem, { mode: 0o644 });
  }
  return withPath(privateKey, certPem);
}

/**
 * A getter of the signing key of a data directory, loaded on first use and then kept (one per
 * service definition, so per server).
 */
export function signingKeyProvider(): (dataDir: string, now: number) => Promise<SnsSigningKey> {
  let loaded: { dataDir: string; key: Promise<SnsSigningKey> } | undefined;
  return (dataDir, now) => {
    if (loaded?.dataDir !== dataDir) {
      const key = loadSigningKey(dataDir, now);
      loaded = { dataDir, key };
      key.catch(() => (loaded = undefined));
    }
    return loaded.key;
  };
}
