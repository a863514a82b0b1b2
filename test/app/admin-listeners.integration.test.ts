import { describe, expect, it } from '@jest/globals';

import { freePort } from '../../sandbox/shared/free-port.js';
import { runCli } from '../../src/cli/program.js';
import { adminYaml, BEARER, startAdminDaemon } from './admin-daemon.js';
import { captureText, MINIMAL_ENV } from './helpers.js';

describe('the admin surface and the webhook receiver are separate listeners', () => {
  it('serves nothing of the admin surface on the webhook port, and no webhooks on the admin port', async () => {
    const daemon = await startAdminDaemon();
    try {
      expect(daemon.webhooks).not.toBe(daemon.admin);
      const probes: [string, string][] = [
        ['GET', '/'],
        ['GET', '/status'],
        ['GET', '/metrics'],
        ['POST', '/conflicts/c-1/resolve?take=crm'],
        ['POST', '/failures/salesforce:opportunity:006A/retry'],
      ];
      for (const [method, path] of probes) {
        const response = await fetch(`${daemon.webhooks}${path}`, { method, headers: BEARER });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
      // A load balancer in front of the webhook port still gets health and readiness, without reasons.
      expect((await fetch(`${daemon.webhooks}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${daemon.webhooks}/readyz`)).json()).toEqual({ status: 'ready' });
      // The webhook endpoint answers there (an unsigned post is refused, not missing)...
      const unsigned = await fetch(`${daemon.webhooks}/webhooks/partner-center`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(unsigned.status).toBe(401);
      // ...and is absent from the admin listener.
      const onAdmin = await fetch(`${daemon.admin}/webhooks/partner-center`, { method: 'POST', headers: { ...BEARER, 'content-type': 'application/json' }, body: '{}' });
      expect(onAdmin.status).toBe(404);
      expect(daemon.log.lines().filter((line) => String(line['msg']).includes('admin listener'))).toEqual([]);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });

  it('warns when the admin listener is bound to an address other than loopback', async () => {
    const daemon = await startAdminDaemon({ yaml: adminYaml({ adminHost: '0.0.0.0' }) });
    try {
      const warning = daemon.log.lines().find((line) => line['level'] === 'warn' && String(line['msg']).includes('admin listener'));
      expect(warning).toMatchObject({ host: '0.0.0.0' });
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });

  it('healthcheck (the image HEALTHCHECK) asks /healthz on the configured admin port: 0 while the daemon runs, 1 after', async () => {
    const port = await freePort();
    const daemon = await startAdminDaemon({ yaml: adminYaml().replace('  port: 0\n', `  port: ${port}\n`) });
    const check = async (): Promise<{ code: number; stderr: string }> => {
      const stderr = captureText();
      const code = await runCli(['healthcheck', '--config', 'cosell.yaml'], {
        stdout: captureText().write,
        stderr: stderr.write,
        env: { ...MINIMAL_ENV, COSELL_ADMIN_TOKEN: 'unused-by-healthcheck-0123' },
        cwd: daemon.dir,
        stderrIsTty: false,
        version: '0.0.0-test',
        onShutdownSignal: () => () => undefined,
      });
      return { code, stderr: stderr.text() };
    };
    let stopped = false;
    try {
      expect(daemon.admin).toBe(`http://127.0.0.1:${port}`);
      expect(await check()).toEqual({ code: 0, stderr: '' });
      // Stop the daemon but keep the directory: the check reads the same configuration.
      await daemon.stopKeepingFiles();
      stopped = true;
      const after = await check();
      expect(after.code).toBe(1);
      expect(after.stderr).toContain(`http://127.0.0.1:${port}/healthz did not answer`);
    } finally {
      if (!stopped) await daemon.stop();
      daemon.cleanup();
    }
  });
});
