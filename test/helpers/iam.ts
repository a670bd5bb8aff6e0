/**
 * @module
 * IAM fixtures for tests that need callers other than root.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { TestServer } from './server.js';

/** A policy document (version 2012-10-17) of these statements. */
export function policyDocument(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Creates an IAM user with an access key and an inline policy (none when not given), as root. */
export async function iamUser(server: TestServer, name: string, policy?: string): Promise<{
  arn: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}> {
  const iam = new IAMClient(server.clientConfig());
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: policy }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
}
