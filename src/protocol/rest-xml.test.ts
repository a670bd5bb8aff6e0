import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import type { Input, Output, WireRequest } from './codec.js';
import { loadModel, type Operation } from './model.js';
import { createRestXmlCodec, hostIdFor, methodNotAllowed, restXmlCodec } from './rest-xml.js';
import { collect, startCodecServer, type CodecServer } from './testing/codec-server.js';
import { MalformedXmlError } from './xml.js';

const s3 = loadModel('s3');
const s3control = loadModel('s3control');
const LAST_MODIFIED = new Date('2024-03-05T06:07:08.000Z');

function wire(method: string, url: string, headers: Record<string, string> = {}, body = ''): WireRequest {
  const [path = '/', query = ''] = url.split('?', 2);
  return { method, path, query, headers: { host: '127.0.0.1:4566', ...headers }, body: Buffer.from(body) };
}

function resolve(request: WireRequest, model = s3): string | undefined {
  return restXmlCodec.resolveOperation(model, request).operation?.name;
}

describe('restXml routing', () => {
  it('routes S3 requests by method, path and query, most specific first', () => {
    expect(resolve(wire('GET', '/'))).toBe('ListBuckets');
    expect(resolve(wire('GET', '/b'))).toBe('ListObjects');
    expect(resolve(wire('GET', '/b/?list-type=2&prefix=a'))).toBe('ListObjectsV2');
    expect(resolve(wire('GET', '/b?location'))).toBe('GetBucketLocation');
    expect(resolve(wire('PUT', '/b'))).toBe('CreateBucket');
    expect(resolve(wire('PUT', '/b?tagging'))).toBe('PutBucketTagging');
    expect(resolve(wire('GET', '/b/k?x-id=GetObject'))).toBe('GetObject');
    expect(resolve(wire('GET', '/b/k'))).toBe('GetObject');
    expect(resolve(wire('GET', '/b/k?uploadId=u'))).toBe('ListParts');
    expect(resolve(wire('PUT', '/b/k'))).toBe('PutObject');
    expect(resolve(wire('PUT', '/b/k', { 'x-amz-copy-source': '/o/k' }))).toBe('CopyObject');
    expect(resolve(wire('PUT', '/b/k?partNumber=1&uploadId=u'))).toBe('UploadPart');
    expect(resolve(wire('PUT', '/b/k?partNumber=1&uploadId=u', { 'x-amz-copy-source': '/o/k' }))).toBe('UploadPartCopy');
    expect(resolve(wire('POST', '/b/k?uploads'))).toBe('CreateMultipartUpload');
    expect(resolve(wire('POST', '/b/k?uploadId=u'))).toBe('CompleteMultipartUpload');
    expect(resolve(wire('DELETE', '/b/k?uploadId=u'))).toBe('AbortMultipartUpload');
    expect(resolve(wire('DELETE', '/b/k'))).toBe('DeleteObject');
    expect(resolve(wire('GET', '/b?analytics'))).toBe('ListBucketAnalyticsConfigurations');
    expect(resolve(wire('GET', '/b?analytics&id=a'))).toBe('GetBucketAnalyticsConfiguration');
    expect(resolve(wire('HEAD', '/b'))).toBe('HeadBucket');
    expect(resolve(wire('HEAD', '/b/k'))).toBe('HeadObject');
  });

  it('routes virtual-hosted-style requests with the bucket from the host', () => {
    const request = wire('GET', '/dir/key?list-type=2', { host: 'photos.localhost:4566' });
    expect(resolve(request)).toBe('GetObject');
    expect(resolve(wire('GET', '/?list-type=2', { host: 'photos.s3.us-east-1.amazonaws.com' }))).toBe('ListObjectsV2');
    const get = wire('GET', '/dir/a%20b', { host: 'photos.s3.amazonaws.com' });
    expect(restXmlCodec.decodeInput(s3.operations.get('GetObject')!, get)).toMatchObject({ Bucket: 'photos', Key: 'dir/a b' });
    const custom = createRestXmlCodec({ baseHosts: ['custos.test'] });
    const put = wire('PUT', '/k', { host: 'photos.custos.test' });
    expect(custom.resolveOperation(s3, put).operation?.name).toBe('PutObject');
    expect(restXmlCodec.resolveOperation(s3, put).operation?.name).toBe('CreateBucket');
  });

  it('answers {} for requests no operation matches, and builds MethodNotAllowed', () => {
    expect(restXmlCodec.resolveOperation(s3, wire('PATCH', '/b/k'))).toEqual({});
    const response = restXmlCodec.encodeError(s3, methodNotAllowed('PATCH', 'OBJECT'), { requestId: 'R1' });
    expect(response.status).toBe(405);
    expect(String(response.body)).toContain('<Code>MethodNotAllowed</Code><Message>The specified method is not allowed against this resource.</Message><Method>PATCH</Method><ResourceType>OBJECT</ResourceType>');
  });

  it('routes S3 Control by its /v20180820/ templates, greedy labels included', () => {
    expect(resolve(wire('GET', '/v20180820/configuration/publicAccessBlock'), s3control)).toBe('GetPublicAccessBlock');
    expect(resolve(wire('GET', '/v20180820/mrap/instances/a/b/policy'), s3control)).toBe('GetMultiRegionAccessPointPolicy');
    const op = s3control.operations.get('GetMultiRegionAccessPointPolicy')!;
    const input = restXmlCodec.decodeInput(op, wire('GET', '/v20180820/mrap/instances/a/b/policy', { 'x-amz-account-id': '123456789012' }));
    expect(input).toEqual({ Name: 'a/b', AccountId: '123456789012' });
  });

  it('reads and writes S3 Control documents rooted at the input/output shape', () => {
    const create = s3control.operations.get('CreateAccessPoint')!;
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><CreateAccessPointRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">' +
      '<Bucket>b</Bucket><VpcConfiguration><VpcId>vpc-1</VpcId></VpcConfiguration><Tags><Tag><Key>k</Key><Value>v</Value></Tag></Tags></CreateAccessPointRequest>';
    const request = wire('PUT', '/v20180820/accesspoint/ap1', { 'x-amz-account-id': '123456789012' }, body);
    expect(resolve(request, s3control)).toBe('CreateAccessPoint');
    expect(restXmlCodec.decodeInput(create, request)).toEqual({
      Name: 'ap1',
      AccountId: '123456789012',
      Bucket: 'b',
      VpcConfiguration: { VpcId: 'vpc-1' },
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    const list = s3control.operations.get('ListAccessPoints')!;
    const response = restXmlCodec.encodeOutput(list, { AccessPointList: [{ Name: 'ap1', Bucket: 'b', NetworkOrigin: 'Internet' }], NextToken: 't' }, { requestId: 'R' });
    expect(response.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ListAccessPointsResult xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">' +
        '<AccessPointList><AccessPoint><Name>ap1</Name><NetworkOrigin>Internet</NetworkOrigin><Bucket>b</Bucket></AccessPoint></AccessPointList>' +
        '<NextToken>t</NextToken></ListAccessPointsResult>',
    );
  });
});

describe('restXml decoding and encoding', () => {
  it('decodes a PutObject with metadata headers, a greedy key and a streamed body', async () => {
    const op = s3.operations.get('PutObject')!;
    const request = {
      ...wire('PUT', '/my-bucket/dir/sub%20dir/file%2Bname.txt?x-id=PutObject', {
        'content-type': 'text/plain',
        'content-length': '5',
        'x-amz-meta-colour': 'blue',
        'x-amz-meta-owner': 'ops',
        'x-amz-object-lock-retain-until-date': '2030-01-01T00:00:00Z',
        'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      }),
      body: Buffer.alloc(0),
      payload: (await import('node:stream')).Readable.from([Buffer.from('hello')]),
    };
    const input = restXmlCodec.decodeInput(op, request);
    expect(input).toMatchObject({
      Bucket: 'my-bucket',
      Key: 'dir/sub dir/file+name.txt',
      ContentType: 'text/plain',
      ContentLength: 5,
      Metadata: { colour: 'blue', owner: 'ops' },
      ObjectLockRetainUntilDate: new Date('2030-01-01T00:00:00Z'),
      BucketKeyEnabled: true,
    });
    expect((await collect(input.Body)).toString()).toBe('hello');
  });

  it('rejects malformed XML, DOCTYPEs and wrongly typed values with MalformedXML', () => {
    const op = s3.operations.get('PutBucketTagging')!;
    for (const body of ['<Tagging><TagSet>', '<!DOCTYPE x [<!ENTITY a "b">]><Tagging/>', 'plain text']) {
      expect(() => restXmlCodec.decodeInput(op, wire('PUT', '/b?tagging', {}, body))).toThrow(MalformedXmlError);
    }
    const quiet = s3.operations.get('DeleteObjects')!;
    const bad = '<Delete><Object><Key>k</Key></Object><Quiet>maybe</Quiet></Delete>';
    expect(() => restXmlCodec.decodeInput(quiet, wire('POST', '/b?delete', {}, bad))).toThrow(MalformedXmlError);
    try {
      restXmlCodec.decodeInput(op, wire('PUT', '/b?tagging', {}, '<a>'));
    } catch (err) {
      expect(err).toMatchObject({ code: 'MalformedXML', status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema' });
    }
  });

  it('writes a text root for single-valued documents such as GetBucketLocation', () => {
    const op = s3.operations.get('GetBucketLocation')!;
    const response = restXmlCodec.encodeOutput(op, { LocationConstraint: 'eu-west-1' }, { requestId: 'R' });
    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>');
    expect(response.headers['x-amz-request-id']).toBe('R');
    expect(response.headers['x-amz-id-2']).toBe(hostIdFor('R'));
  });

  it('renders S3 errors as <Error> and S3 Control errors as <ErrorResponse>; HEAD errors have no body', () => {
    const error = new ServiceError('NoSuchBucket', 'The specified bucket does not exist', { fields: { BucketName: 'b' } });
    const r = restXmlCodec.encodeError(s3, error, { requestId: 'R1', hostId: 'H1' } as never);
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>b</BucketName><RequestId>R1</RequestId><HostId>H1</HostId></Error>');
    const head = restXmlCodec.encodeError(s3, error, { requestId: 'R1', method: 'HEAD' } as never);
    expect(head.status).toBe(404);
    expect(head.body).toBeUndefined();
    const control = restXmlCodec.encodeError(s3control, new ServiceError('NoSuchPublicAccessBlockConfiguration', 'none'), { requestId: 'R2' });
    expect(control.status).toBe(404);
    expect(String(control.body)).toMatch(/^<\?xml[^>]*\?><ErrorResponse><Error><Code>NoSuchPublicAccessBlockConfiguration<\/Code><Message>none<\/Message><\/Error><RequestId>R2<\/RequestId><HostId>/);
  });
});

describe('restXml through the real @aws-sdk/client-s3', () => {
  let server: CodecServer;
  let client: S3Client;
  const outputs = new Map<string, (input: Input) => Output>();

  beforeAll(async () => {
    server = await startCodecServer({
      model: s3,
      codec: restXmlCodec,
      handler: (op: Operation, input: Input) => {
        const make = outputs.get(op.name);
        if (!make) throw new ServiceError('NotImplemented', `${op.name} is not implemented`, { status: 501 });
        return make(input);
      },
      unresolved: (request) => methodNotAllowed(request.method),
    });
    client = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('round-trips PutObject: metadata headers, a greedy key with slashes and spaces, the body', async () => {
    outputs.set('PutObject', () => ({ ETag: '"abc"', VersionId: 'v1', ServerSideEncryption: 'AES256' }));
    const command = {
      Bucket: 'my-bucket',
      Key: 'dir/sub dir/a b+c.txt',
      Body: 'hello world',
      ContentType: 'text/plain',
      Metadata: { colour: 'blue' },
      Tagging: 'a=b',
    };
    const result = await client.send(new PutObjectCommand(command));
    expect(result).toMatchObject({ ETag: '"abc"', VersionId: 'v1', ServerSideEncryption: 'AES256' });
    const call = server.calls.at(-1)!;
    expect(call.operation).toBe('PutObject');
    const { Body, ...rest } = call.input;
    const { Body: sent, ...fields } = command;
    expect(rest).toMatchObject({ ...fields, ContentLength: 11 });
    expect(sent).toBe('hello world');
    expect((await collect(Body)).toString()).toBe('hello world');
  });

  it('round-trips ListObjectsV2: flattened Contents and CommonPrefixes, numbers, booleans, timestamps', async () => {
    outputs.set('ListObjectsV2', (input) => ({
      Name: input.Bucket,
      Prefix: input.Prefix,
      Delimiter: input.Delimiter,
      MaxKeys: input.MaxKeys,
      KeyCount: 2,
      IsTruncated: true,
      NextContinuationToken: 'next&<token>',
      Contents: [
        { Key: 'photos/a & b.jpg', LastModified: LAST_MODIFIED, ETag: '"e1"', Size: 10, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] },
        { Key: 'photos/c.jpg', LastModified: LAST_MODIFIED.getTime(), ETag: '"e2"', Size: 0, Owner: { ID: 'owner-id', DisplayName: 'me' } },
      ],
      CommonPrefixes: [{ Prefix: 'photos/2024/' }],
      RequestCharged: 'requester',
    }));
    const input = { Bucket: 'my-bucket', Prefix: 'photos/', Delimiter: '/', MaxKeys: 2, StartAfter: 'photos/0', FetchOwner: true };
    const result = await client.send(new ListObjectsV2Command(input));
    expect(server.calls.at(-1)).toMatchObject({ operation: 'ListObjectsV2', input });
    expect(result).toMatchObject({
      Name: 'my-bucket',
      Prefix: 'photos/',
      Delimiter: '/',
      MaxKeys: 2,
      KeyCount: 2,
      IsTruncated: true,
      NextContinuationToken: 'next&<token>',
      RequestCharged: 'requester',
      Contents: [
        { Key: 'photos/a & b.jpg', LastModified: LAST_MODIFIED, ETag: '"e1"', Size: 10, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] },
        { Key: 'photos/c.jpg', LastModified: LAST_MODIFIED, ETag: '"e2"', Size: 0, Owner: { ID: 'owner-id', DisplayName: 'me' } },
      ],
      CommonPrefixes: [{ Prefix: 'photos/2024/' }],
    });
  });

  it('round-trips GetObject: the streamed payload and header-bound members', async () => {
    const { Readable } = await import('node:stream');
    outputs.set('GetObject', () => ({
      Body: Readable.from([Buffer.from('chunk one, '), Buffer.from('chunk two')]),
      ContentType: 'text/plain',
      ContentLength: 20,
      ETag: '"etag"',
      LastModified: LAST_MODIFIED,
      Metadata: { colour: 'blue' },
      TagCount: 3,
      DeleteMarker: false,
    }));
    const result = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k/with space', Range: 'bytes=0-19', VersionId: 'v1' }));
    expect(server.calls.at(-1)).toMatchObject({ operation: 'GetObject', input: { Bucket: 'b', Key: 'k/with space', Range: 'bytes=0-19', VersionId: 'v1' } });
    expect(result).toMatchObject({ ContentType: 'text/plain', ContentLength: 20, ETag: '"etag"', LastModified: LAST_MODIFIED, Metadata: { colour: 'blue' }, TagCount: 3, DeleteMarker: false });
    expect(await result.Body!.transformToString()).toBe('chunk one, chunk two');
  });

  it('round-trips errors: NoSuchKey with its status, message, request id and extra fields; HEAD without a body', async () => {
    outputs.set('GetObject', (input) => {
      throw new ServiceError('NoSuchKey', 'The specified key does not exist.', { fields: { Key: String(input.Key) } });
    });
    const error = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'missing' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error).toMatchObject({ name: 'NoSuchKey', message: 'The specified key does not exist.', Key: 'missing' });
    expect((error as S3ServiceException).$metadata).toMatchObject({ httpStatusCode: 404 });
    expect((error as S3ServiceException).$metadata.requestId).toMatch(/^REQ/);

    outputs.set('HeadObject', () => {
      throw new ServiceError('NotFound', 'Not Found', { status: 404 });
    });
    const head = await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'missing' })).catch((e: unknown) => e);
    expect(head).toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('round-trips XML payloads: CreateBucket, PutBucketTagging, DeleteObjects, GetBucketAcl, GetBucketLocation', async () => {
    outputs.set('CreateBucket', () => ({ Location: '/b2' }));
    const create = await client.send(new CreateBucketCommand({ Bucket: 'b2', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' }, ObjectLockEnabledForBucket: true }));
    expect(create.Location).toBe('/b2');
    expect(server.calls.at(-1)!.input).toEqual({ Bucket: 'b2', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' }, ObjectLockEnabledForBucket: true });

    outputs.set('PutBucketTagging', () => ({}));
    const tagging = { TagSet: [{ Key: 'env', Value: 'prod & <test>' }, { Key: 'team', Value: '' }] };
    await client.send(new PutBucketTaggingCommand({ Bucket: 'b2', Tagging: tagging }));
    expect(server.calls.at(-1)!.input).toMatchObject({ Bucket: 'b2', Tagging: tagging });

    outputs.set('DeleteObjects', () => ({ Deleted: [{ Key: 'a', VersionId: 'v' }], Errors: [{ Key: 'b', Code: 'AccessDenied', Message: 'Access Denied' }] }));
    const objects = { Objects: [{ Key: 'a', VersionId: 'v' }, { Key: 'b' }], Quiet: false };
    const deleted = await client.send(new DeleteObjectsCommand({ Bucket: 'b2', Delete: objects }));
    expect(server.calls.at(-1)!.input).toMatchObject({ Bucket: 'b2', Delete: objects });
    expect(deleted).toMatchObject({ Deleted: [{ Key: 'a', VersionId: 'v' }], Errors: [{ Key: 'b', Code: 'AccessDenied', Message: 'Access Denied' }] });

    const acl = {
      Owner: { ID: 'o1', DisplayName: 'owner' },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'o1', DisplayName: 'owner' }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      ],
    };
    outputs.set('GetBucketAcl', () => acl);
    expect(await client.send(new GetBucketAclCommand({ Bucket: 'b2' }))).toMatchObject(acl);

    outputs.set('GetBucketLocation', () => ({ LocationConstraint: 'eu-west-1' }));
    expect(await client.send(new GetBucketLocationCommand({ Bucket: 'b2' }))).toMatchObject({ LocationConstraint: 'eu-west-1' });
  });
});
