import { CreateUserCommand, GetUserCommand, IAMServiceException, IAMClient, ListUsersCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient, SetTopicAttributesCommand, GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import { awsQueryCodec, invalidAction, missingAction, queryErrorCode } from './aws-query.js';
import type { Input, Output, WireRequest } from './codec.js';
import { loadModel, type Operation, type ServiceModel } from './model.js';
import { startCodecServer, type CodecServer } from './testing/codec-server.js';

const iam = loadModel('iam');
const sts = loadModel('sts');
const sns = loadModel('sns');
const CREATED = new Date('2024-01-02T03:04:05.000Z');
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

function form(body: string, method = 'POST'): WireRequest {
  return method === 'GET'
    ? { method, path: '/', query: body, headers: {}, body: Buffer.alloc(0) }
    : { method, path: '/', query: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(body) };
}

function decode(model: ServiceModel, body: string, method = 'POST'): Input {
  const request = form(body, method);
  const { operation } = awsQueryCodec.resolveOperation(model, request);
  return awsQueryCodec.decodeInput(operation!, request);
}

describe('awsQuery requests', () => {
  it('resolves the Action from a POST body or a GET query string', () => {
    expect(awsQueryCodec.resolveOperation(iam, form('Action=ListUsers&Version=2010-05-08')).operation?.name).toBe('ListUsers');
    expect(awsQueryCodec.resolveOperation(iam, form('Action=ListUsers&Version=2010-05-08', 'GET')).operation?.name).toBe('ListUsers');
    expect(awsQueryCodec.resolveOperation(iam, form('Action=Nope&Version=2010-05-08'))).toEqual({ operation: undefined, name: 'Nope' });
    expect(awsQueryCodec.resolveOperation(iam, form('Version=2010-05-08'))).toEqual({});
  });

  it('decodes scalars, member lists, entry maps and structures', () => {
    const input = decode(
      sns,
      'Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Message=hello+world' +
        '&MessageAttributes.entry.1.Name=colour&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=blue' +
        '&MessageAttributes.entry.2.Name=raw&MessageAttributes.entry.2.Value.DataType=Binary&MessageAttributes.entry.2.Value.BinaryValue=aGk%3D',
    );
    expect(input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: 'hello world',
      MessageAttributes: {
        colour: { DataType: 'String', StringValue: 'blue' },
        raw: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
      },
    });
    const tags = decode(iam, 'Action=CreateUser&UserName=bob&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1');
    expect(tags).toEqual({ UserName: 'bob', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    expect(decode(iam, 'Action=ListUsers&MaxItems=10&PathPrefix=%2F')).toEqual({ MaxItems: 10, PathPrefix: '/' });
    expect(decode(iam, 'Action=CreateUser&UserName=bob&Tags=')).toEqual({ UserName: 'bob', Tags: [] });
  });

  it('keeps client-chosen map keys such as __proto__ as own properties', () => {
    const input = decode(sns, 'Action=SetSubscriptionAttributes&SubscriptionArn=a&AttributeName=n&AttributeValue=v');
    expect(input).toEqual({ SubscriptionArn: 'a', AttributeName: 'n', AttributeValue: 'v' });
    const created = decode(sns, 'Action=CreateTopic&Name=t&Attributes.entry.1.key=__proto__&Attributes.entry.1.value=x');
    const attributes = created.Attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes)).toEqual(['__proto__']);
  });

  it('rejects values that do not parse as their shape', () => {
    expect(() => decode(iam, 'Action=ListUsers&MaxItems=ten')).toThrow(ServiceError);
  });
});

describe('awsQuery responses', () => {
  it('wraps results in {Op}Response/{Op}Result with ResponseMetadata, omitting Result without output', () => {
    const op = iam.operations.get('ListUsers')!;
    const response = awsQueryCodec.encodeOutput(op, { Users: [{ UserName: 'a&b', Path: '/', UserId: 'AID', Arn: 'arn', CreateDate: CREATED }], IsTruncated: false, Ignored: 1 }, { requestId: 'r-1' });
    expect(response.headers).toEqual({ 'content-type': 'text/xml', 'x-amzn-requestid': 'r-1' });
    expect(response.body).toBe(
      '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><Path>/</Path><UserName>a&amp;b</UserName>' +
        '<UserId>AID</UserId><Arn>arn</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate></member></Users><IsTruncated>false</IsTruncated>' +
        '</ListUsersResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ListUsersResponse>',
    );
    const none = awsQueryCodec.encodeOutput(iam.operations.get('DeleteUser')!, {}, { requestId: 'r-2' });
    expect(none.body).toBe('<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DeleteUserResponse>');
  });

  it('renders errors with the awsQuery code of a shape-named error and the model status', () => {
    expect(queryErrorCode(iam, new ServiceError('NoSuchEntityException', 'x')).code).toBe('NoSuchEntity');
    expect(queryErrorCode(iam, new ServiceError('NoSuchEntity', 'x')).code).toBe('NoSuchEntity');
    expect(queryErrorCode(iam, new ServiceError('AccessDenied', 'x')).code).toBe('AccessDenied');
    const response = awsQueryCodec.encodeError(iam, new ServiceError('NoSuchEntityException', 'The user with name bob cannot be found.'), { requestId: 'r-3' });
    expect(response.status).toBe(404);
    expect(response.body).toBe(
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>' +
        '<Message>The user with name bob cannot be found.</Message></Error><RequestId>r-3</RequestId></ErrorResponse>',
    );
    const fault = awsQueryCodec.encodeError(iam, new ServiceError('ServiceFailure', 'boom', { status: 500 }), { requestId: 'r-4' });
    expect(String(fault.body)).toContain('<Type>Receiver</Type><Code>ServiceFailure</Code>');
  });

  it('offers the InvalidAction and MissingAction errors the router answers with', () => {
    expect(invalidAction('Nope', '2010-05-08')).toMatchObject({ code: 'InvalidAction', status: 400, message: 'Could not find operation Nope for version 2010-05-08' });
    expect(missingAction()).toMatchObject({ code: 'MissingAction', status: 400, message: 'Missing Action' });
  });
});

describe('awsQuery through the real SDK clients', () => {
  const servers: CodecServer[] = [];
  const outputs = new Map<string, (input: Input) => Output>();
  const handler = (op: Operation, input: Input): Output => {
    const make = outputs.get(op.name);
    if (!make) throw new ServiceError('InvalidAction', `no ${op.name}`);
    return make(input);
  };
  let iamClient: IAMClient;
  let stsClient: STSClient;
  let snsClient: SNSClient;

  beforeAll(async () => {
    const start = (model: ServiceModel) => startCodecServer({ model, codec: awsQueryCodec, handler });
    servers.push(await start(iam), await start(sts), await start(sns));
    const config = (i: number) => ({ endpoint: servers[i]!.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    iamClient = new IAMClient(config(0));
    stsClient = new STSClient(config(1));
    snsClient = new SNSClient(config(2));
  });
  afterAll(async () => {
    for (const client of [iamClient, stsClient, snsClient]) client.destroy();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('round-trips IAM ListUsers', async () => {
    const users = [
      { Path: '/', UserName: 'alice', UserId: 'AIDAALICE', Arn: 'arn:aws:iam::123456789012:user/alice', CreateDate: CREATED, Tags: [{ Key: 'team', Value: 'a<b' }] },
      { Path: '/ops/', UserName: 'bob', UserId: 'AIDABOB', Arn: 'arn:aws:iam::123456789012:user/ops/bob', CreateDate: CREATED, PasswordLastUsed: CREATED },
    ];
    outputs.set('ListUsers', () => ({ Users: users, IsTruncated: true, Marker: 'm2' }));
    const result = await iamClient.send(new ListUsersCommand({ PathPrefix: '/', Marker: 'm1', MaxItems: 2 }));
    expect(servers[0]!.calls.at(-1)).toMatchObject({ operation: 'ListUsers', input: { PathPrefix: '/', Marker: 'm1', MaxItems: 2 } });
    expect(result).toMatchObject({ Users: users, IsTruncated: true, Marker: 'm2' });
    expect(result.$metadata.requestId).toMatch(/^REQ/);
  });

  it('round-trips IAM CreateUser with a tag list', async () => {
    const input = { UserName: 'carol', Path: '/x/', Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v 2&' }] };
    outputs.set('CreateUser', (i) => ({ User: { Path: i.Path, UserName: i.UserName, UserId: 'AIDACAROL', Arn: 'arn', CreateDate: CREATED } }));
    const result = await iamClient.send(new CreateUserCommand(input));
    expect(servers[0]!.calls.at(-1)!.input).toEqual(input);
    expect(result.User).toMatchObject({ UserName: 'carol', Path: '/x/', CreateDate: CREATED });
  });

  it('round-trips an IAM error into the modelled exception class', async () => {
    outputs.set('GetUser', (i) => {
      throw new ServiceError('NoSuchEntityException', `The user with name ${String(i.UserName)} cannot be found.`);
    });
    const error = await iamClient.send(new GetUserCommand({ UserName: 'nobody' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error).toBeInstanceOf(IAMServiceException);
    expect(error).toMatchObject({ name: 'NoSuchEntityException', message: 'The user with name nobody cannot be found.', $metadata: { httpStatusCode: 404 } });
    expect((error as { Error?: unknown }).Error).toMatchObject({ Code: 'NoSuchEntity', Type: 'Sender' });
  });

  it('round-trips STS GetCallerIdentity', async () => {
    const identity = { UserId: 'AIDAALICE', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice' };
    outputs.set('GetCallerIdentity', () => identity);
    const result = await stsClient.send(new GetCallerIdentityCommand({}));
    expect(servers[1]!.calls.at(-1)).toMatchObject({ operation: 'GetCallerIdentity', input: {} });
    expect(result).toMatchObject(identity);
  });

  it('round-trips SNS maps both ways (Publish attributes, GetTopicAttributes)', async () => {
    outputs.set('Publish', () => ({ MessageId: 'mid-1' }));
    const publish = {
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      Message: 'hello world & more',
      MessageAttributes: { colour: { DataType: 'String', StringValue: 'blue' }, raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } },
    };
    expect(await snsClient.send(new PublishCommand(publish))).toMatchObject({ MessageId: 'mid-1' });
    const sent = servers[2]!.calls.at(-1)!.input as typeof publish;
    expect(sent.MessageAttributes.raw.BinaryValue).toEqual(Buffer.from([0, 1, 2]));
    expect(sent).toMatchObject({ ...publish, MessageAttributes: { colour: publish.MessageAttributes.colour } });

    outputs.set('SetTopicAttributes', () => ({}));
    await snsClient.send(new SetTopicAttributesCommand({ TopicArn: publish.TopicArn, AttributeName: 'DisplayName', AttributeValue: 'd' }));
    const attributes = { DisplayName: 'd', Policy: '{"Version":"2012-10-17"}' };
    outputs.set('GetTopicAttributes', () => ({ Attributes: attributes }));
    expect(await snsClient.send(new GetTopicAttributesCommand({ TopicArn: publish.TopicArn }))).toMatchObject({ Attributes: attributes });
  });
});
