import { CreateTagsCommand, DescribeInstancesCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import type { Input, Output, WireRequest } from './codec.js';
import { ec2Namespace, ec2QueryCodec } from './ec2-query.js';
import { loadModel, type Operation } from './model.js';
import { startCodecServer, type CodecServer } from './testing/codec-server.js';

const ec2 = loadModel('ec2');
const LAUNCHED = new Date('2024-01-02T03:04:05.000Z');

function form(body: string): WireRequest {
  return { method: 'POST', path: '/', query: '', headers: {}, body: Buffer.from(body) };
}

describe('ec2Query requests', () => {
  it('decodes queryName members and always-flattened lists', () => {
    const request = form(
      'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2&DryRun=false&MaxResults=5' +
        '&Filter.1.Name=tag%3Aenv&Filter.1.Value.1=prod&Filter.1.Value.2=dev&Filter.2.Name=instance-state-name&Filter.2.Value.1=running',
    );
    const { operation } = ec2QueryCodec.resolveOperation(ec2, request);
    expect(operation?.name).toBe('DescribeInstances');
    expect(ec2QueryCodec.decodeInput(operation!, request)).toEqual({
      InstanceIds: ['i-1', 'i-2'],
      DryRun: false,
      MaxResults: 5,
      Filters: [
        { Name: 'tag:env', Values: ['prod', 'dev'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
    });
  });

  it('rejects values that do not parse as their shape with InvalidParameterValue', () => {
    const request = form('Action=DescribeInstances&MaxResults=many');
    expect(() => ec2QueryCodec.decodeInput(ec2.operations.get('DescribeInstances')!, request)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
  });
});

describe('ec2Query responses', () => {
  it('writes requestId first, then members in model order: camelCase names, <item> lists, millisecond timestamps', () => {
    const op = ec2.operations.get('DescribeInstances')!;
    const response = ec2QueryCodec.encodeOutput(
      op,
      { Reservations: [{ ReservationId: 'r-1', Instances: [{ InstanceId: 'i-1', LaunchTime: LAUNCHED, EbsOptimized: false, State: { Code: 16, Name: 'running' } }] }] },
      { requestId: 'req-1' },
    );
    expect(ec2Namespace(ec2)).toBe('http://ec2.amazonaws.com/doc/2016-11-15/');
    expect(response.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>' +
        '<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><ebsOptimized>false</ebsOptimized><instanceId>i-1</instanceId>' +
        '<instanceState><code>16</code><name>running</name></instanceState><launchTime>2024-01-02T03:04:05.000Z</launchTime>' +
        '</item></instancesSet></item></reservationSet></DescribeInstancesResponse>',
    );
  });

  it('renders errors as <Response><Errors><Error>', () => {
    const error = new ServiceError('InvalidInstanceID.NotFound', "The instance ID 'i-9' does not exist");
    const response = ec2QueryCodec.encodeError(ec2, error, { requestId: 'req-2' });
    expect(response.status).toBe(400);
    expect(response.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>' +
        '<Message>The instance ID &apos;i-9&apos; does not exist</Message></Error></Errors><RequestID>req-2</RequestID></Response>',
    );
  });
});

describe('ec2Query through the real @aws-sdk/client-ec2', () => {
  let server: CodecServer;
  let client: EC2Client;
  const outputs = new Map<string, (input: Input) => Output>();

  beforeAll(async () => {
    server = await startCodecServer({
      model: ec2,
      codec: ec2QueryCodec,
      handler: (op: Operation, input: Input) => {
        const make = outputs.get(op.name);
        if (!make) throw new ServiceError('InvalidAction', `no ${op.name}`);
        return make(input);
      },
    });
    client = new EC2Client({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('round-trips DescribeInstances', async () => {
    const reservations = [
      {
        ReservationId: 'r-0123',
        OwnerId: '123456789012',
        Groups: [{ GroupId: 'sg-1', GroupName: 'default' }],
        Instances: [
          {
            InstanceId: 'i-0abc',
            ImageId: 'ami-1',
            InstanceType: 'm5.large',
            LaunchTime: LAUNCHED,
            State: { Code: 16, Name: 'running' },
            Tags: [{ Key: 'Name', Value: 'web & db' }],
            EbsOptimized: true,
            AmiLaunchIndex: 0,
            SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'default' }],
          },
        ],
      },
    ];
    outputs.set('DescribeInstances', () => ({ Reservations: reservations, NextToken: 'tok' }));
    const input = { InstanceIds: ['i-0abc', 'i-0def'], Filters: [{ Name: 'tag:Name', Values: ['web & db', 'x'] }], MaxResults: 10, DryRun: false };
    const result = await client.send(new DescribeInstancesCommand(input));
    expect(server.calls.at(-1)).toMatchObject({ operation: 'DescribeInstances', input });
    expect(result).toMatchObject({ Reservations: reservations, NextToken: 'tok' });
    expect(result.$metadata.requestId).toMatch(/^REQ/);
  });

  it('round-trips CreateTags (lists of structures) and an error', async () => {
    outputs.set('CreateTags', () => ({}));
    const input = { Resources: ['i-1', 'vol-2'], Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'empty', Value: '' }] };
    await client.send(new CreateTagsCommand(input));
    expect(server.calls.at(-1)!.input).toEqual(input);

    outputs.set('DescribeInstances', () => {
      throw new ServiceError('InvalidInstanceID.NotFound', "The instance ID 'i-9' does not exist");
    });
    const error = await client.send(new DescribeInstancesCommand({ InstanceIds: ['i-9'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error).toMatchObject({ name: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-9' does not exist", $metadata: { httpStatusCode: 400 } });
  });
});
