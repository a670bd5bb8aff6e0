#!/usr/bin/env python3
"""Writes src/auth/testdata/sigv4-vectors.json, the golden vectors of src/auth/sigv4.test.ts.

Two sources, both independent of our verifier:
  * botocore's own signers (SigV4Auth, S3SigV4Auth, SigV4QueryAuth, S3SigV4QueryAuth) applied to
    requests with awkward paths, queries and headers;
  * the AWS CLI itself, run in-process against a local HTTP server that records each request as it
    arrives on the socket (and `aws s3 presign`, which only prints a URL).

The signing clock and the CLI's invocation ids are pinned, and the feature list (`m/...`) of the
CLI's User-Agent is sorted (its order follows Python's hash seed), so running the script twice
writes the same file. The User-Agent still names this machine's OS and versions; it is never signed.

Usage: python3 scripts/generate-sigv4-vectors.py
"""
import base64
import contextlib
import datetime
import http.server
import io
import itertools
import json
import os
import re
import tempfile
import threading
import time
import types
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import botocore
import botocore.auth
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

OUT = Path(__file__).resolve().parent.parent / 'src' / 'auth' / 'testdata' / 'sigv4-vectors.json'
ACCESS_KEY = 'AKIDEXAMPLE'
SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+example/token=='
CLI_PORT = 4566


@contextlib.contextmanager
def signing_time(when):
    """Pins the clock botocore's SigV4 signers read."""
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda remove_tzinfo=True: when
    try:
        yield
    finally:
        botocore.auth.get_current_datetime = original


def wire_headers(pairs):
    """Headers as Node's http module hands them over: lower-cased names, repeats as lists."""
    headers = {}
    for name, value in pairs:
        key = name.lower()
        if key in headers:
            headers[key] = (headers[key] if isinstance(headers[key], list) else [headers[key]]) + [value]
        else:
            headers[key] = value
    return headers


def botocore_vector(name, signer, request, when, credentials, note):
    """Signs `request` with `signer` at `when` and records it as it would go on the wire."""
    with signing_time(when):
        signer.add_auth(request)
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    pairs = list(request.headers.items())
    signed_view = {k.lower() for k, _ in pairs}
    pairs += [(k, v) for k, v in prepared.headers.items() if k.lower() not in signed_view]
    if 'host' not in signed_view:
        pairs.insert(0, ('Host', botocore.auth._host_from_url(prepared.url)))
    body = prepared.body or b''
    if isinstance(body, str):
        body = body.encode('utf-8')
    return {
        'name': name,
        'source': f'botocore {botocore.__version__} {type(signer).__name__}',
        'note': note,
        'secretAccessKey': credentials.secret_key,
        'request': {
            'method': prepared.method,
            'path': url.path,
            'query': url.query,
            'headers': wire_headers(pairs),
            'body': base64.b64encode(body).decode('ascii'),
        },
    }


def botocore_vectors():
    plain = Credentials(ACCESS_KEY, SECRET)
    session = Credentials(ACCESS_KEY, SECRET, TOKEN)
    t = datetime.datetime(2024, 1, 1, 0, 0, 0)
    vectors = []

    def add(name, signer, method, url, note, headers=None, data=b'', params=None, context=None, when=t,
            credentials=plain, repeated=()):
        request = AWSRequest(method=method, url=url, headers=headers or {}, data=data, params=params or {})
        for header, value in repeated:
            request.headers[header] = value
        if context:
            request.context.update(context)
        vectors.append(botocore_vector(name, signer, request, when, credentials, note))

    sts = SigV4Auth(plain, 'sts', 'us-east-1')
    add('sts-query-post', sts, 'POST', 'https://sts.amazonaws.com/',
        'awsQuery POST with a form body; the payload hash is the body hash (no x-amz-content-sha256)',
        headers={'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'},
        data=b'Action=GetCallerIdentity&Version=2011-06-15')
    add('cloudtrail-json-session-token', SigV4Auth(session, 'cloudtrail', 'eu-west-3'), 'POST',
        'https://cloudtrail.eu-west-3.amazonaws.com/',
        'awsJson1_1 with a session token (X-Amz-Security-Token is signed)',
        headers={'Content-Type': 'application/x-amz-json-1.1',
                 'X-Amz-Target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents'},
        data=b'{"MaxResults":1}', credentials=session)
    add('execute-api-odd-path', SigV4Auth(plain, 'execute-api', 'us-east-1'), 'GET',
        'https://api.example.com/a%20b/%2F/%C3%BC/../c//d/./e/',
        'non-S3: dot segments removed, // collapsed, every segment encoded a second time (%2F -> %252F)')
    add('lambda-arn-in-path', SigV4Auth(plain, 'lambda', 'us-east-1'), 'GET',
        'https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn',
        'non-S3 REST path with encoded colons')
    add('query-awkward', SigV4Auth(plain, 'monitoring', 'us-east-1'), 'GET',
        'https://monitoring.us-east-1.amazonaws.com/?b=2&a=1&a=0&empty=&flag&sp=a%20b&plus=a%2Bb&star=%2A&tilde=~&u=%C3%BC&%C3%A9=k',
        'repeated keys sorted by value, empty value, key without =, encoded space/plus/star, ~ kept, UTF-8')
    add('query-loose-encoding', SigV4Auth(plain, 'monitoring', 'us-east-1'), 'GET',
        "https://monitoring.us-east-1.amazonaws.com/?x=a*b&y=it's&z=%c3%bc&q=a+b",
        'botocore signs a URL query as sent: unencoded * and \', lower-case hex, a literal +')
    add('query-params-plus', SigV4Auth(plain, 'monitoring', 'us-east-1'), 'GET',
        'https://monitoring.us-east-1.amazonaws.com/',
        'botocore params: signed with %20, sent by urlencode with + for spaces',
        params={'Filter': 'a b*c~d', 'Action': 'ListMetrics'})
    add('headers-folded-and-repeated', SigV4Auth(plain, 'sns', 'us-east-1'), 'POST',
        'https://sns.us-east-1.amazonaws.com/',
        'header values trimmed, inner whitespace runs collapsed; a repeated header joined with ","',
        headers={'Content-Type': 'application/x-www-form-urlencoded', 'X-Amz-Meta-Spaces': '  a   b \t c  ',
                 'X-Amz-Meta-Dup': 'one'},
        data=b'Action=ListTopics&Version=2010-03-31', repeated=[('X-Amz-Meta-Dup', 'two')])
    add('date-header', SigV4Auth(plain, 'iam', 'us-east-1'), 'POST', 'https://iam.amazonaws.com/',
        'a Date header instead of X-Amz-Date (botocore keeps Date when the request has one)',
        headers={'Date': 'x', 'Content-Type': 'application/x-www-form-urlencoded'},
        data=b'Action=ListUsers&Version=2010-05-08', when=datetime.datetime(2024, 2, 29, 12, 34, 56))
    add('sts-presigned-eks-style', SigV4QueryAuth(session, 'sts', 'us-east-1', expires=60), 'GET',
        'https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15',
        'non-S3 presigned URL with a signed extra header and a session token (the EKS token shape)',
        headers={'x-k8s-aws-id': 'my-cluster'}, credentials=session)

    s3 = S3SigV4Auth(plain, 's3', 'us-east-1')
    add('s3-put-odd-key', s3, 'PUT', 'http://127.0.0.1:4566/bucket/a%20b/%2F/%C3%BC/..',
        'S3: the path is signed as sent (no dot removal, no second encoding); body hash in x-amz-content-sha256',
        headers={'Content-Type': 'text/plain'}, data=b'hello world')
    add('s3-list-prefix', s3, 'GET',
        'https://bucket.s3.amazonaws.com/?list-type=2&prefix=a%20b%2Bc%2A&delimiter=%2F&encoding-type=url',
        'S3 virtual-hosted list with an encoded prefix')
    add('s3-loose-path', s3, 'GET', "http://127.0.0.1:4566/bucket/it's(1)*!$@,;=:+",
        'S3 path with sub-delimiters sent unencoded and signed as sent')
    add('s3-unsigned-payload', S3SigV4Auth(plain, 's3', 'us-west-2'), 'PUT', 'https://bucket.s3.us-west-2.amazonaws.com/k',
        'S3 over TLS with payload signing off: x-amz-content-sha256 UNSIGNED-PAYLOAD',
        data=b'not covered by the signature',
        context={'client_config': types.SimpleNamespace(s3={'payload_signing_enabled': False})})
    add('s3-streaming-seed', SigV4Auth(plain, 's3', 'us-east-1'), 'PUT', 'http://127.0.0.1:4566/bucket/chunked',
        'the seed request of a signed aws-chunked upload: the payload hash is the STREAMING literal',
        headers={'X-Amz-Content-SHA256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'Content-Encoding': 'aws-chunked',
                 'X-Amz-Decoded-Content-Length': '66560'})
    add('s3-presigned-get', S3SigV4QueryAuth(session, 's3', 'us-east-1', expires=3600), 'GET',
        'https://bucket.s3.amazonaws.com/key%20with%20space/%C3%BC?response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22',
        'S3 presigned GET with a session token and a response override', credentials=session)
    add('s3-presigned-put-week', S3SigV4QueryAuth(plain, 's3', 'eu-central-1', expires=604800), 'PUT',
        'http://127.0.0.1:4566/bucket/upload.bin', 'S3 presigned PUT valid for the maximum week')
    return vectors


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records each request as it arrives, then answers 200 with an empty XML document."""
    protocol_version = 'HTTP/1.1'
    seen = []

    def handle_one_request_body(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            body = b''
            while True:
                size = int(self.rfile.readline().split(b';')[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b''):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get('Content-Length') or 0))

    def record(self):
        body = self.handle_one_request_body()
        url = urlsplit(self.path)
        if 'User-Agent' in self.headers:
            agent = self.headers['User-Agent']
            del self.headers['User-Agent']
            self.headers['User-Agent'] = re.sub(r'm/(\S+)', lambda m: 'm/' + ','.join(sorted(m[1].split(','))), agent)
        Recorder.seen.append({'method': self.command, 'path': url.path, 'query': url.query,
                              'headers': wire_headers(self.headers.items()),
                              'body': base64.b64encode(body).decode('ascii')})
        reply = b'<?xml version="1.0" encoding="UTF-8"?><Empty/>'
        self.send_response(200)
        self.send_header('Content-Type', 'text/xml')
        self.send_header('Content-Length', str(len(reply)))
        self.send_header('ETag', '"d41d8cd98f00b204e9800998ecf8427e"')
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = record

    def log_message(self, *args):
        pass


def run_cli(args, config):
    """Runs the AWS CLI in this process; returns what it printed."""
    from awscli.clidriver import create_clidriver
    os.environ['AWS_CONFIG_FILE'] = config
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        create_clidriver().main(args)
    return out.getvalue()


def cli_vectors():
    import awscli
    try:
        server = http.server.ThreadingHTTPServer(('127.0.0.1', CLI_PORT), Recorder)
    except OSError:
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f'http://127.0.0.1:{server.server_port}'
    ids = (uuid.UUID(int=n) for n in itertools.count(1))
    uuid.uuid4 = lambda: next(ids)
    os.environ.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION='us-east-1',
                      AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_MAX_ATTEMPTS='1', AWS_RETRY_MODE='standard')
    os.environ.pop('AWS_SESSION_TOKEN', None)
    source = f'aws-cli {awscli.__version__}'
    work = Path(tempfile.mkdtemp())
    plain_config = work / 'config'
    plain_config.write_text('[default]\nregion = us-east-1\n')
    v4_config = work / 'config-s3v4'
    v4_config.write_text('[default]\nregion = us-east-1\ns3 =\n    signature_version = s3v4\n')
    upload = work / 'hello.txt'
    upload.write_text('hello from the aws cli\n')
    commands = [
        ('cli-sts-get-caller-identity', ['sts', 'get-caller-identity']),
        ('cli-cloudtrail-lookup-events', ['cloudtrail', 'lookup-events', '--max-results', '1']),
        ('cli-lambda-get-function-arn', ['lambda', 'get-function', '--function-name',
                                         'arn:aws:lambda:us-east-1:123456789012:function:my-fn']),
        ('cli-s3api-put-object-odd-key', ['s3api', 'put-object', '--bucket', 'b', '--key', 'a b/ü+(1)*~!',
                                          '--body', str(upload)]),
        ('cli-s3api-list-objects-v2', ['s3api', 'list-objects-v2', '--bucket', 'b', '--prefix', 'a b+c',
                                       '--delimiter', '/']),
        ('cli-s3-cp', ['s3', 'cp', str(upload), 's3://b/dir/k 2.txt']),
    ]
    vectors = []
    for when, (name, args) in enumerate(commands):
        Recorder.seen.clear()
        with signing_time(datetime.datetime(2024, 3, 1, 8, 0, when)):
            run_cli([*args, '--endpoint-url', endpoint], str(plain_config))
        for i, request in enumerate(Recorder.seen):
            vectors.append({'name': name if i == 0 else f'{name}-{i}', 'source': source,
                            'note': 'recorded from the socket', 'secretAccessKey': SECRET, 'request': request})
    with signing_time(datetime.datetime(2024, 3, 1, 9, 0, 0)):
        url = run_cli(['s3', 'presign', 's3://b/a b/ü.txt', '--expires-in', '600', '--endpoint-url', endpoint],
                      str(v4_config)).strip()
    vectors.append(presigned_vector('cli-s3-presign-s3v4', source, url,
                                    'aws s3 presign with s3.signature_version = s3v4'))
    frozen = time.time
    time.time = lambda: 1709283600.0
    try:
        url = run_cli(['s3', 'presign', 's3://b/k', '--endpoint-url', endpoint], str(plain_config)).strip()
    finally:
        time.time = frozen
    legacy = presigned_vector('cli-s3-presign-default', source, url,
                              'aws s3 presign without configuration signs with SigV2 (AWSAccessKeyId, Signature, Expires)')
    legacy['expectError'] = 'IncompleteSignature'
    vectors.append(legacy)
    server.shutdown()
    return vectors


def presigned_vector(name, source, url, note):
    parts = urlsplit(url)
    return {'name': name, 'source': source, 'note': note, 'secretAccessKey': SECRET,
            'request': {'method': 'GET', 'path': parts.path, 'query': parts.query,
                        'headers': {'host': parts.netloc}, 'body': ''}}


def main():
    vectors = botocore_vectors() + cli_vectors()
    document = {
        'description': 'SigV4-signed requests as they arrive at the server. Generated by '
                       'scripts/generate-sigv4-vectors.py; do not edit by hand.',
        'accessKeyId': ACCESS_KEY,
        'vectors': vectors,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + '\n')
    print(f'wrote {len(vectors)} vectors to {OUT}')


if __name__ == '__main__':
    main()
