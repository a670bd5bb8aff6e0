/** One SDK client package and the Custos model id generated from it. */
export interface ServicePackage {
  id: string;
  pkg: string;
  /** The SigV4 signing name (the service in the credential scope), which the SDK keeps in endpoint rules. */
  signingName: string;
}

/** The services whose official models Custos carries, and the SDK package each model comes from. */
export const SERVICE_PACKAGES: readonly ServicePackage[] = [
  { id: 'cloudtrail', pkg: '@aws-sdk/client-cloudtrail', signingName: 'cloudtrail' },
  { id: 'cloudwatch', pkg: '@aws-sdk/client-cloudwatch', signingName: 'monitoring' },
  { id: 'config', pkg: '@aws-sdk/client-config-service', signingName: 'config' },
  { id: 'ec2', pkg: '@aws-sdk/client-ec2', signingName: 'ec2' },
  { id: 'iam', pkg: '@aws-sdk/client-iam', signingName: 'iam' },
  { id: 'kms', pkg: '@aws-sdk/client-kms', signingName: 'kms' },
  { id: 'lambda', pkg: '@aws-sdk/client-lambda', signingName: 'lambda' },
  { id: 'logs', pkg: '@aws-sdk/client-cloudwatch-logs', signingName: 'logs' },
  { id: 's3', pkg: '@aws-sdk/client-s3', signingName: 's3' },
  { id: 's3control', pkg: '@aws-sdk/client-s3-control', signingName: 's3' },
  { id: 'sns', pkg: '@aws-sdk/client-sns', signingName: 'sns' },
  { id: 'sts', pkg: '@aws-sdk/client-sts', signingName: 'sts' },
];
