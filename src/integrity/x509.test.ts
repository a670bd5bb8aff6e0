import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificatePem, selfSignedCertificateDer, type CertificateFields } from './x509.js';

const KEY_PEM = readFileSync(new URL('./testdata/x509-test-key.pem', import.meta.url), 'utf8');
const privateKey = createPrivateKey(KEY_PEM);
const publicKey = createPublicKey(privateKey);

const FIELDS: CertificateFields = {
  commonName: 'Custos Simple Notification Service',
  organization: 'Custos',
  serialNumber: Buffer.from('00f1e2d3c4b5a69788', 'hex'),
  notBefore: new Date('2024-01-02T03:04:05Z'),
  notAfter: new Date('2054-01-02T03:04:05Z'),
};

describe('selfSignedCertificateDer', () => {
  it('makes a certificate that OpenSSL (through node:crypto) parses and verifies with its own key', () => {
    const cert = new X509Certificate(certificatePem(selfSignedCertificateDer(FIELDS, privateKey, publicKey)));
    expect(cert.subject).toBe('O=Custos\nCN=Custos Simple Notification Service');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.serialNumber).toBe('F1E2D3C4B5A69788');
    expect(new Date(cert.validFrom).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2054-01-02T03:04:05.000Z');
    expect(cert.ca).toBe(false);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    expect(cert.verify(publicKey)).toBe(true);
  });

  it('is deterministic for a key and fields (golden vector)', () => {
    const golden = readFileSync(new URL('./testdata/x509-golden.pem', import.meta.url), 'utf8');
    expect(certificatePem(selfSignedCertificateDer(FIELDS, privateKey, publicKey))).toBe(golden);
  });

  it('fails verification when any byte of the signed part or the signature is changed', () => {
    const der = selfSignedCertificateDer(FIELDS, privateKey, publicKey);
    const serialAt = der.indexOf(Buffer.from('f1e2d3c4', 'hex'));
    for (const offset of [serialAt, der.length - 1]) {
      const corrupted = Buffer.from(der);
      corrupted[offset] ^= 0x01;
      expect(new X509Certificate(corrupted).verify(publicKey), `byte ${offset}`).toBe(false);
    }
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(new X509Certificate(der).verify(other.publicKey)).toBe(false);
  });

  it('is read by the openssl command line the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-x509-'));
    try {
      const file = join(dir, 'cert.pem');
      writeFileSync(file, certificatePem(selfSignedCertificateDer(FIELDS, privateKey, publicKey)));
      const text = execFileSync('openssl', ['x509', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
      expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
      expect(text).toMatch(/Subject: O\s?=\s?Custos, CN\s?=\s?Custos Simple Notification Service/);
      expect(text).toContain('CA:FALSE');
      expect(text).toContain('Digital Signature');
      expect(execFileSync('openssl', ['verify', '-CAfile', file, file], { encoding: 'utf8' })).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses GeneralizedTime from 2050 and rejects an empty serial number', () => {
    const late = new X509Certificate(selfSignedCertificateDer({ ...FIELDS, notBefore: new Date('2051-06-01T00:00:00Z') }, privateKey, publicKey));
    expect(new Date(late.validFrom).getUTCFullYear()).toBe(2051);
    expect(() => selfSignedCertificateDer({ ...FIELDS, serialNumber: Buffer.alloc(0) }, privateKey, publicKey)).toThrow('serial number');
  });
});
