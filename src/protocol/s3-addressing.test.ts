import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand,
  NoSuchPublicAccessBlockConfiguration,
  PutPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import { loadModel } from './model.js';
import { restXmlCodec } from './rest-xml.js';
import { bucketFromHost, s3Target } from './s3-addressing.js';
import { loopbackAgent, startCodecServer } from './testing/codec-server.js';

const s3 = loadModel('s3');
const s3control = loadModel('s3control');

describe('models/s3.json', () => {
  it('keeps timestamp formats on members, not on the shared timestamp shape', () => {
    expect(s3.shapes.get('__timestamp')!.timestampFormat).toBeUndefined();
    expect(s3.shapes.get('AbortMultipartUploadRequest')!.membersByName.get('IfMatchInitiatedTime')!.timestampFormat).toBe('rfc822');
  });
});

describe('S3 addressing', () => {
  it('finds the bucket in virtual-hosted-style hosts only', () => {
    expect(bucketFromHost('photos.s3.us-east-1.amazonaws.com')).toBe('photos');
    expect(bucketFromHost('my.dotted.bucket.s3.amazonaws.com')).toBe('my.dotted.bucket');
    expect(bucketFromHost('photos.localhost:4566')).toBe('photos');
    expect(bucketFromHost('photos.custos.internal', ['custos.internal'])).toBe('photos');
    expect(bucketFromHost('s3.us-east-1.amazonaws.com')).toBeUndefined();
    expect(bucketFromHost('localhost:4566')).toBeUndefined();
    expect(bucketFromHost('127.0.0.1:4566')).toBeUndefined();
    expect(bucketFromHost(undefined)).toBeUndefined();
  });

  it('splits path-style requests into bucket and key path', () => {
    expect(s3Target('127.0.0.1', '/b/a/b%20c')).toEqual({ bucket: 'b', path: '/a/b%20c' });
    expect(s3Target('127.0.0.1', '/b')).toEqual({ bucket: 'b', path: '/' });
    expect(s3Target('127.0.0.1', '/')).toEqual({ path: '/' });
    expect(s3Target('b.localhost', '/k')).toEqual({ bucket: 'b', path: '/k' });
  });
});

describe('restXml addressing through the real SDK clients', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

  it('serves S3 virtual-hosted-style requests (bucket in the Host header)', async () => {
    const server = await startCodecServer({ model: s3, codec: restXmlCodec, handler: (_op, input) => ({ Name: input.Bucket, KeyCount: 0 }) });
    const client = new S3Client({
      endpoint: server.endpoint.replace('127.0.0.1', 'localhost'),
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: { httpAgent: loopbackAgent() },
    });
    try {
      const result = await client.send(new ListObjectsV2Command({ Bucket: 'vhost-bucket', Prefix: 'a/' }));
      const call = server.calls.at(-1)!;
      expect(call.request.headers.host).toMatch(/^vhost-bucket\.localhost:/);
      expect(call).toMatchObject({ operation: 'ListObjectsV2', input: { Bucket: 'vhost-bucket', Prefix: 'a/' } });
      expect(result).toMatchObject({ Name: 'vhost-bucket', KeyCount: 0 });
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('round-trips S3 Control PutPublicAccessBlock, GetPublicAccessBlock and an <ErrorResponse> error', async () => {
    let stored: unknown;
    const server = await startCodecServer({
      model: s3control,
      codec: restXmlCodec,
      handler: (op, input) => {
        if (op.name === 'PutPublicAccessBlock') {
          stored = input.PublicAccessBlockConfiguration;
          return {};
        }
        if (!stored) throw new ServiceError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
        return { PublicAccessBlockConfiguration: stored };
      },
    });
    const client = new S3ControlClient({
      endpoint: server.endpoint.replace('127.0.0.1', 'localhost'),
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: { httpAgent: loopbackAgent() },
    });
    try {
      const missing = await client.send(new GetPublicAccessBlockCommand({ AccountId: '123456789012' })).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(NoSuchPublicAccessBlockConfiguration);
      expect(missing).toMatchObject({ message: 'The public access block configuration was not found', $metadata: { httpStatusCode: 404 } });

      const configuration = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false };
      await client.send(new PutPublicAccessBlockCommand({ AccountId: '123456789012', PublicAccessBlockConfiguration: configuration }));
      expect(server.calls.at(-1)).toMatchObject({ operation: 'PutPublicAccessBlock', input: { AccountId: '123456789012', PublicAccessBlockConfiguration: configuration } });
      const result = await client.send(new GetPublicAccessBlockCommand({ AccountId: '123456789012' }));
      expect(result.PublicAccessBlockConfiguration).toEqual(configuration);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
