/**
 * @module
 * GenerateCredentialReport and GetCredentialReport: the CSV of every user's credentials, in AWS's
 * column order, root first. Generation is immediate here (AWS takes seconds).
 */
import type {
  GenerateCredentialReportCommandInput, GenerateCredentialReportCommandOutput, GetCredentialReportCommandInput, GetCredentialReportCommandOutput,
} from '@aws-sdk/client-iam';
import type { AccessKey } from '../../store/types.js';
import type { CallContext, Handler, Out } from '../service.js';
import { userKeys } from './access-keys.js';
import { iamScope, KIND, listEntities, type UserDoc } from './entities.js';
import { CredentialReportNotPresentException } from './errors.js';

const REPORT = 'credential-report';
const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation',
  'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region',
  'access_key_1_last_used_service', 'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
  'access_key_2_last_used_region', 'access_key_2_last_used_service', 'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];

function iso(ms: number | undefined): string {
  return ms === undefined ? 'N/A' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function keyColumns(key: AccessKey | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsed;
  return [String(key.status === 'Active'), iso(key.createdAt), iso(used?.at), used?.region ?? 'N/A', used?.service ?? 'N/A'];
}

async function report(ctx: CallContext): Promise<string> {
  const { accountId } = ctx.scope;
  const account = await ctx.tx.accounts.get(accountId);
  const rootArn = `arn:aws:iam::${accountId}:root`;
  const rootKeys = await userKeys(ctx, rootArn);
  const rows = [[
    '<root_account>', rootArn, iso(account?.createdAt), 'not_supported', 'N/A', 'not_supported', 'not_supported', 'false',
    ...keyColumns(rootKeys[0]), ...keyColumns(rootKeys[1]), 'false', 'N/A', 'false', 'N/A',
  ]];
  for (const user of await listEntities<UserDoc>(ctx.tx, accountId, KIND.user)) {
    const keys = await userKeys(ctx, user.Arn);
    const profile = user.loginProfile;
    const passwordLastUsed = !profile ? 'N/A' : user.passwordLastUsed === undefined ? 'no_information' : iso(user.passwordLastUsed);
    rows.push([
      user.UserName, user.Arn, iso(user.createdAt), String(profile !== undefined), passwordLastUsed,
      profile ? iso(profile.createdAt) : 'N/A', 'N/A', String(user.mfaDevices.length > 0),
      ...keyColumns(keys[0]), ...keyColumns(keys[1]), 'false', 'N/A', 'false', 'N/A',
    ]);
  }
  return [COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\n');
}

/** GenerateCredentialReport: builds the report now; it is COMPLETE at once. */
export const generateCredentialReport: Handler<GenerateCredentialReportCommandInput, Out<GenerateCredentialReportCommandOutput>> = async (_input, ctx) => {
  const existing = await ctx.tx.documents.get(iamScope(ctx.scope.accountId), KIND.account, REPORT);
  await ctx.tx.documents.put(iamScope(ctx.scope.accountId), KIND.account, REPORT, { content: await report(ctx), generatedAt: ctx.now });
  return { State: 'COMPLETE', Description: existing ? undefined : 'No report exists. Starting a new report generation task' };
};

/** GetCredentialReport: the last generated report, base64 on the wire. */
export const getCredentialReport: Handler<GetCredentialReportCommandInput, Out<GetCredentialReportCommandOutput>> = async (_input, ctx) => {
  const stored = await ctx.tx.documents.get<{ content: string; generatedAt: number }>(iamScope(ctx.scope.accountId), KIND.account, REPORT);
  if (!stored) throw new CredentialReportNotPresentException();
  return { Content: Buffer.from(stored.content), ReportFormat: 'text/csv', GeneratedTime: new Date(stored.generatedAt) };
};
