import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListTagsCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  TooManyRequestsException,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import type { Input, Output, WireRequest } from './codec.js';
import { loadModel, type Operation } from './model.js';
import { restJsonCodec, unknownOperation } from './rest-json.js';
import { startCodecServer, type CodecServer } from './testing/codec-server.js';

const lambda = loadModel('lambda');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:my-fn';

function wire(method: string, url: string, body = '', headers: Record<string, string> = {}): WireRequest {
  const [path = '/', query = ''] = url.split('?', 2);
  return { method, path, query, headers, body: Buffer.from(body) };
}

describe('restJson1 routing and decoding', () => {
  it('routes by method and template, and decodes labels, query lists and JSON bodies', () => {
    const get = wire('GET', `/2015-03-31/functions/${encodeURIComponent(ARN)}?Qualifier=%24LATEST`);
    expect(restJsonCodec.resolveOperation(lambda, get).operation?.name).toBe('GetFunction');
    expect(restJsonCodec.decodeInput(lambda.operations.get('GetFunction')!, get)).toEqual({ FunctionName: ARN, Qualifier: '$LATEST' });

    const list = wire('GET', '/2015-03-31/functions/?MaxItems=5');
    expect(restJsonCodec.resolveOperation(lambda, list).operation?.name).toBe('ListFunctions');
    expect(restJsonCodec.decodeInput(lambda.operations.get('ListFunctions')!, list)).toEqual({ MaxItems: 5 });

    const untag = wire('DELETE', `/2017-03-31/tags/${encodeURIComponent(ARN)}?tagKeys=a&tagKeys=b`);
    expect(restJsonCodec.resolveOperation(lambda, untag).operation?.name).toBe('UntagResource');
    expect(restJsonCodec.decodeInput(lambda.operations.get('UntagResource')!, untag)).toEqual({ Resource: ARN, TagKeys: ['a', 'b'] });

    const create = wire('POST', '/2015-03-31/functions', JSON.stringify({ FunctionName: 'f', Role: 'r', Code: { ZipFile: 'aGk=' }, Timeout: 3, Publish: true, Extra: 1 }));
    expect(restJsonCodec.decodeInput(lambda.operations.get('CreateFunction')!, create)).toEqual({
      FunctionName: 'f',
      Role: 'r',
      Code: { ZipFile: Buffer.from('hi') },
      Timeout: 3,
      Publish: true,
    });
  });

  it('passes a blob payload through raw and reads header members', () => {
    const invoke = wire('POST', '/2015-03-31/functions/f/invocations', '{"a":1}', { 'x-amz-invocation-type': 'Event' });
    expect(restJsonCodec.decodeInput(lambda.operations.get('Invoke')!, invoke)).toEqual({ FunctionName: 'f', InvocationType: 'Event', Payload: Buffer.from('{"a":1}') });
  });

  it('answers {} for unknown routes and offers the UnknownOperationException error', () => {
    expect(restJsonCodec.resolveOperation(lambda, wire('GET', '/nope'))).toEqual({});
    const response = restJsonCodec.encodeError(lambda, unknownOperation(), { requestId: 'r' });
    expect(response.status).toBe(404);
    expect(response.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });

  it('rejects bodies that are not JSON objects with SerializationException', () => {
    const bad = wire('POST', '/2015-03-31/functions', '[1]');
    expect(() => restJsonCodec.decodeInput(lambda.operations.get('CreateFunction')!, bad)).toThrow(expect.objectContaining({ code: 'SerializationException' }));
  });
});

describe('restJson1 encoding', () => {
  it('takes the status from a statusCode member or the operation, and writes errors Lambda-style', () => {
    const invoke = restJsonCodec.encodeOutput(lambda.operations.get('Invoke')!, { StatusCode: 202, Payload: Buffer.alloc(0), ExecutedVersion: '$LATEST' }, { requestId: 'r' });
    expect(invoke.status).toBe(202);
    expect(invoke.headers['x-amz-executed-version']).toBe('$LATEST');
    const tag = restJsonCodec.encodeOutput(lambda.operations.get('TagResource')!, {}, { requestId: 'r' });
    expect(tag.status).toBe(204);
    expect(tag.body).toBeUndefined();
    const error = restJsonCodec.encodeError(lambda, new ServiceError('ResourceNotFoundException', `Function not found: ${ARN}`), { requestId: 'r2' });
    expect(error.status).toBe(404);
    expect(error.headers).toMatchObject({ 'x-amzn-errortype': 'ResourceNotFoundException', 'x-amzn-requestid': 'r2', 'content-type': 'application/json' });
    expect(JSON.parse(String(error.body))).toEqual({ Type: 'User', Message: `Function not found: ${ARN}` });
  });
});

describe('restJson1 through the real @aws-sdk/client-lambda', () => {
  let server: CodecServer;
  let client: LambdaClient;
  const outputs = new Map<string, (input: Input) => Output>();

  beforeAll(async () => {
    server = await startCodecServer({
      model: lambda,
      codec: restJsonCodec,
      handler: (op: Operation, input: Input) => {
        const make = outputs.get(op.name);
        if (!make) throw new ServiceError('ServiceException', `no ${op.name}`, { status: 500 });
        return make(input);
      },
      unresolved: () => unknownOperation(),
    });
    client = new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('round-trips GetFunction', async () => {
    const configuration = {
      FunctionName: 'my-fn',
      FunctionArn: ARN,
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::123456789012:role/r',
      Handler: 'index.handler',
      CodeSize: 1234,
      Timeout: 3,
      MemorySize: 128,
      LastModified: '2024-01-02T03:04:05.000+0000',
      Environment: { Variables: { A: '1' } },
      Architectures: ['x86_64'],
    };
    outputs.set('GetFunction', () => ({ Configuration: configuration, Code: { RepositoryType: 'S3', Location: 'https://x' }, Tags: { team: 'a' } }));
    const result = await client.send(new GetFunctionCommand({ FunctionName: ARN, Qualifier: '$LATEST' }));
    expect(server.calls.at(-1)).toMatchObject({ operation: 'GetFunction', input: { FunctionName: ARN, Qualifier: '$LATEST' } });
    expect(result).toMatchObject({ Configuration: configuration, Code: { RepositoryType: 'S3', Location: 'https://x' }, Tags: { team: 'a' } });
    expect(result.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.stringMatching(/^REQ/) });
  });

  it('round-trips errors into the modelled exception classes, header members included', async () => {
    outputs.set('GetFunction', (input) => {
      throw new ServiceError('ResourceNotFoundException', `Function not found: ${String(input.FunctionName)}`);
    });
    const error = await client.send(new GetFunctionCommand({ FunctionName: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ message: 'Function not found: nope', Type: 'User', $metadata: { httpStatusCode: 404 } });

    outputs.set('ListTags', () => {
      throw new ServiceError('TooManyRequestsException', 'Rate exceeded', { fields: { retryAfterSeconds: '7', Reason: 'CallerRateLimitExceeded' } });
    });
    const throttled = await client.send(new ListTagsCommand({ Resource: ARN })).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(TooManyRequestsException);
    expect(throttled).toMatchObject({ message: 'Rate exceeded', retryAfterSeconds: '7', Reason: 'CallerRateLimitExceeded', $metadata: { httpStatusCode: 429 } });
  });

  it('round-trips Invoke (raw payloads, headers, status code member) and tag operations', async () => {
    outputs.set('Invoke', (input) => ({ StatusCode: 200, Payload: Buffer.from(`echo:${(input.Payload as Buffer).toString()}`), ExecutedVersion: '$LATEST', FunctionError: 'Unhandled' }));
    const result = await client.send(new InvokeCommand({ FunctionName: 'my-fn', Payload: Buffer.from('{"x":1}'), LogType: 'Tail' }));
    expect(server.calls.at(-1)!.input).toEqual({ FunctionName: 'my-fn', Payload: Buffer.from('{"x":1}'), LogType: 'Tail' });
    expect(result).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled' });
    expect(Buffer.from(result.Payload!).toString()).toBe('echo:{"x":1}');

    outputs.set('TagResource', () => ({}));
    await client.send(new TagResourceCommand({ Resource: ARN, Tags: { a: '1', b: '2' } }));
    expect(server.calls.at(-1)!.input).toEqual({ Resource: ARN, Tags: { a: '1', b: '2' } });
    outputs.set('UntagResource', () => ({}));
    await client.send(new UntagResourceCommand({ Resource: ARN, TagKeys: ['a', 'b c'] }));
    expect(server.calls.at(-1)!.input).toEqual({ Resource: ARN, TagKeys: ['a', 'b c'] });
  });
});
