#!/usr/bin/env python3
"""Writes src/integrity/testdata/digest-vectors.json, the golden vectors of src/integrity/digest-file.test.ts.

Independent of our signer and checker: digests are serialised here, signed with python-rsa (the
library awscli verifies with), and every vector is judged by awscli's own validate-logs code
(DigestProvider.fetch_digest, then DigestTraverser._load_and_validate_digest, over a stub S3
client), so each `expected` verdict is the CLI's. Corrupted vectors change one thing each.

Usage: python3 scripts/generate-digest-vectors.py
"""
import base64
import gzip
import hashlib
import json
from pathlib import Path

import subprocess

import rsa
from awscli.customizations.cloudtrail.validation import DigestError, DigestProvider, DigestTraverser

ROOT = Path(__file__).resolve().parent.parent / 'src' / 'integrity' / 'testdata'
OUT = ROOT / 'digest-vectors.json'
PRIVATE = rsa.PrivateKey.load_pkcs1((ROOT / 'signing-key.pem').read_bytes())
PUBLIC_DER = rsa.PublicKey(PRIVATE.n, PRIVATE.e).save_pkcs1(format='DER')
FINGERPRINT = hashlib.md5(PUBLIC_DER).hexdigest()
OTHER_DER = rsa.PublicKey(PRIVATE.n, 3).save_pkcs1(format='DER')
SPKI_DER = subprocess.run(['openssl', 'rsa', '-in', str(ROOT / 'signing-key.pem'), '-pubout', '-outform', 'DER'],
                          check=True, capture_output=True).stdout
BUCKET = 'audit-bucket'
ACCOUNT = '123456789012'
PREFIX = 'logs/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/03/01/'


def digest_key(end):
    return f'{PREFIX}{ACCOUNT}_CloudTrail-Digest_us-east-1_main_us-east-1_{end}.json.gz'


def iso(compact):
    return f'{compact[0:4]}-{compact[4:6]}-{compact[6:8]}T{compact[9:11]}:{compact[11:13]}:{compact[13:15]}Z'


def log_file(name, newest, oldest, body):
    return {
        's3Bucket': BUCKET,
        's3Object': f'logs/AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/03/01/{ACCOUNT}_CloudTrail_us-east-1_{name}.json.gz',
        'hashValue': hashlib.sha256(body.encode()).hexdigest(),
        'hashAlgorithm': 'SHA-256',
        'newestEventTime': newest,
        'oldestEventTime': oldest,
    }


def digest(start, end, log_files, previous):
    times = sorted(t for f in log_files for t in (f['newestEventTime'], f['oldestEventTime']))
    return {
        'awsAccountId': ACCOUNT,
        'digestStartTime': iso(start),
        'digestEndTime': iso(end),
        'digestS3Bucket': BUCKET,
        'digestS3Object': digest_key(end),
        'digestPublicKeyFingerprint': FINGERPRINT,
        'digestSignatureAlgorithm': 'SHA256withRSA',
        'newestEventTime': times[-1] if times else None,
        'oldestEventTime': times[0] if times else None,
        'previousDigestS3Bucket': previous and BUCKET,
        'previousDigestS3Object': previous and previous['key'],
        'previousDigestHashValue': previous and previous['hash'],
        'previousDigestHashAlgorithm': previous and 'SHA-256',
        'previousDigestSignature': previous and previous['signature'],
        'logFiles': log_files,
    }


def sign(text):
    return rsa.sign(text.encode(), PRIVATE, 'SHA-256').hex()


def signed(content):
    data = json.dumps(content, separators=(',', ':'))
    digest_hash = hashlib.sha256(data.encode()).hexdigest()
    previous = content['previousDigestSignature'] or 'null'
    text = f"{content['digestEndTime']}\n{content['digestS3Bucket']}/{content['digestS3Object']}\n{digest_hash}\n{previous}"
    return data, digest_hash, sign(text)


class StubS3:
    def __init__(self, body, metadata):
        self.body, self.metadata = body, metadata

    def get_client(self, bucket):
        return self

    def get_object(self, Bucket, Key):
        stub = self

        class Body:
            def read(self):
                return stub.body
        return {'Body': Body(), 'Metadata': stub.metadata}


def cli_verdict(body, metadata, bucket, key, public_der, fingerprint):
    provider = DigestProvider(StubS3(body, metadata), ACCOUNT, 'main', 'us-east-1')
    traverser = DigestTraverser(provider, BUCKET, 'logs', None)
    keys = {fingerprint: {'Value': base64.b64encode(public_der)}}
    try:
        traverser._load_and_validate_digest(keys, bucket, key)
        return 'valid'
    except DigestError as error:
        return str(error).split('INVALID: ', 1)[1]


vectors = []


def add(name, description, content, data, signature, *, body=None, metadata=None, found_at=None, public_der=PUBLIC_DER,
        fingerprint=FINGERPRINT):
    key = found_at or content['digestS3Object']
    body = body if body is not None else gzip.compress(data.encode(), mtime=0)
    metadata = metadata if metadata is not None else {'signature': signature, 'signature-algorithm': 'SHA256withRSA'}
    vectors.append({
        'name': name,
        'description': description,
        'bucket': BUCKET,
        'key': key,
        'digestJson': data,
        'gzipBase64': base64.b64encode(body).decode(),
        'metadata': metadata,
        'publicKeyFingerprint': fingerprint,
        'publicKeyDerBase64': base64.b64encode(public_der).decode(),
        'expected': cli_verdict(body, metadata, BUCKET, key, public_der, fingerprint),
    })


first = digest('20240301T000000Z', '20240301T010000Z', [], None)
first_data, first_hash, first_sig = signed(first)
add('starting-digest', 'first digest of a chain: no logs, previous fields null', first, first_data, first_sig)

logs = [
    log_file('20240301T0105Z_AAAAAAAAAAAAAAAA', '2024-03-01T01:04:59Z', '2024-03-01T01:00:03Z', '{"Records":[{"n":1}]}'),
    log_file('20240301T0110Z_BBBBBBBBBBBBBBBB', '2024-03-01T01:09:30Z', '2024-03-01T01:05:01Z', '{"Records":[{"n":2},{"n":3}]}'),
]
second = digest('20240301T010000Z', '20240301T020000Z', logs, {'key': first['digestS3Object'], 'hash': first_hash, 'signature': first_sig})
data, _, sig = signed(second)
add('chained-digest', 'second digest: two log files, chained to the first', second, data, sig)

add('tampered-json', 'one character of the digest JSON changed after signing', second, data.replace('BBBB', 'CBBB', 1), sig)
flipped = format(int(sig[0], 16) ^ 1, 'x') + sig[1:]
add('tampered-signature', 'one bit of the signature flipped', second, data, flipped)
add('signature-of-previous', "the previous digest's signature in place of this one's", second, data, first_sig)
add('missing-signature', 'no signature metadata', second, data, sig, metadata={'signature-algorithm': 'SHA256withRSA'})
add('missing-algorithm', 'no signature-algorithm metadata', second, data, sig, metadata={'signature': sig})
add('moved', 'the digest found under another key', second, data, sig, found_at=digest_key('20240301T030000Z'))
add('not-gzip', 'the object is the uncompressed JSON', second, data, sig, body=data.encode())
add('not-json', 'gzip of something that is not JSON', second, data, sig, body=gzip.compress(b'{"awsAccountId":', mtime=0))
missing_field = json.dumps({k: v for k, v in second.items() if k != 'previousDigestSignature'}, separators=(',', ':'))
add('missing-field', 'previousDigestSignature left out', second, missing_field, sig)
add('spki-key', 'the public key served as SubjectPublicKeyInfo instead of PKCS#1', second, data, sig, public_der=SPKI_DER)
add('unknown-fingerprint', 'no public key with the digest\'s fingerprint', second, data, sig, fingerprint='0' * 32)
add('other-key', 'verified with a different public key of the same fingerprint slot', second, data, sig, public_der=OTHER_DER)

OUT.write_text(json.dumps({
    'description': 'CloudTrail digest files judged by awscli validate-logs. Generated by scripts/generate-digest-vectors.py; do not edit by hand.',
    'fingerprint': FINGERPRINT,
    'vectors': vectors,
}, indent=2) + '\n')
print(f'wrote {len(vectors)} vectors to {OUT}')
