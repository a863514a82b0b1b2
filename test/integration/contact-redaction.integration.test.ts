import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { runCli } from '../../src/cli/program.js';
import { runInbound } from '../../src/engine/cycle.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

const BAD_EMAIL = 'jane.doe@@acme-private.example';
const PHONE = '+1 (425) 555-0147';

describe('customer contact details in vendor error text', () => {
  let h: Harness;
  let referralId: string;
  beforeAll(async () => {
    h = await startHarness({ size: 5, sandbox: { salesforce: { participatingRate: 0 } } });
    const pc = h.sandbox.partnerCenter.control;
    const template = pc.createInbound({ category: 'coSellInvite' });
    // Salesforce refuses the malformed address and quotes it back in its error message.
    const customerProfile = { ...template.customerProfile, team: [{ firstName: 'Jane', lastName: 'Doe', email: BAD_EMAIL, phoneNumber: PHONE }] };
    referralId = pc.createInbound({ category: 'coSellInvite', overrides: { customerProfile } }).id;
    await runInbound(h.engine.deps);
  });
  afterAll(() => h.close());

  it('never reach the stored failure reason, `failures list` or the log', async () => {
    const failure = (await h.store.listFailures()).find((f) => f.key.includes(referralId));
    expect(failure?.reason).toContain('INVALID_EMAIL_ADDRESS');
    expect(failure?.reason).toContain('[email]');
    expect(failure?.reason).not.toContain('acme-private');

    const out: string[] = [];
    const ctx = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t), env: h.env, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
    expect(await runCli(['failures', 'list', '--config', h.configFile], ctx)).toBe(0);
    expect(out.join('')).toContain('INVALID_EMAIL_ADDRESS');
    for (const text of [out.join(''), h.logs.join('\n')]) {
      expect(text).not.toContain('acme-private');
      expect(text).not.toContain('555-0147');
    }
  });
});
