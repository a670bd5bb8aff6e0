import { describe, expect, it } from 'vitest';
import { parsePolicy } from './document.js';
import { denialReason, evaluate } from './evaluate.js';
import { EVALUATION_CASES } from './testdata/evaluation-cases.js';

const ALICE = { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' };

describe('policy evaluation (golden cases)', () => {
  it('has at least 100 cases', () => {
    expect(EVALUATION_CASES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(EVALUATION_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const context = new Map(Object.entries(c.context ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const result = evaluate(
      { principal: c.principal ?? ALICE, action: c.action, resource: c.resourceArn ?? '*', context: (key) => context.get(key) },
      {
        identity: (c.identity ?? []).map((d) => parsePolicy(JSON.stringify(d), 'identity')),
        boundary: c.boundary && parsePolicy(JSON.stringify(c.boundary), 'identity'),
        session: c.session?.map((d) => parsePolicy(JSON.stringify(d), 'identity')),
        resource: c.resource && {
          ownerAccountId: c.resource.owner,
          policy: c.resource.policy && parsePolicy(JSON.stringify(c.resource.policy), 'resource'),
        },
        resourcePolicyRequired: c.required,
      },
    );
    expect(result.decision).toBe(c.expect);
    if (result.decision !== 'Allow' && c.type) expect(result.policyType).toBe(c.type);
  });

  it('words denials as AWS does', () => {
    expect(denialReason({ decision: 'ImplicitDeny', policyType: 'identity-based policy' }, 'iam:CreateUser'))
      .toBe('because no identity-based policy allows the iam:CreateUser action');
    expect(denialReason({ decision: 'ExplicitDeny', policyType: 'identity-based policy' }, 'iam:CreateUser'))
      .toBe('with an explicit deny in an identity-based policy');
    expect(denialReason({ decision: 'ExplicitDeny', policyType: 'resource-based policy' }, 's3:GetObject'))
      .toBe('with an explicit deny in a resource-based policy');
    expect(denialReason({ decision: 'ImplicitDeny', policyType: 'permissions boundary' }, 's3:GetObject'))
      .toBe('because no permissions boundary allows the s3:GetObject action');
  });
});
