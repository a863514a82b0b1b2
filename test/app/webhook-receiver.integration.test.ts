/**
 * The daemon's public webhook listener as Partner Center (and whoever copies its posts) reaches
 * it: signed posts through the real listener, the real store, restarts.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { startAdminDaemon, type AdminDaemon } from './admin-daemon.js';
import { eventually } from './helpers.js';
import { referralEvent, webhookRig, type WebhookRig } from './webhook-rig.js';
import { trickledPost } from './admin-http.js';

const MINUTE = 60_000;

let rig: WebhookRig;
beforeAll(async () => {
  rig = await webhookRig();
}, 60_000);
afterAll(async () => {
  await rig.close();
});

const start = (args: { webhooksExtra?: string; storeFrom?: string } = {}): Promise<AdminDaemon> =>
  startAdminDaemon({
    yaml: rig.yaml(args.webhooksExtra),
    prepare: async (dir) => {
      writeFileSync(join(dir, 'ca.pem'), rig.ca.cert);
      if (args.storeFrom !== undefined) {
        mkdirSync(join(dir, 'state'), { recursive: true });
        copyFileSync(args.storeFrom, join(dir, 'state/cosell.sqlite'));
      }
    },
  });

const accepted = (daemon: AdminDaemon): unknown[] => daemon.log.lines().filter((line) => line['msg'] === 'Partner Center webhook accepted').map((line) => line['referralId']);

describe('the webhook listener takes each Partner Center event once', () => {
  it('ignores a replayed event, also after a restart, and answers it 200 so Partner Center stops delivering it', async () => {
    const first = await start();
    const body = referralEvent('ref-replay-1', new Date());
    const url = `${first.webhooks}/webhooks/partner-center`;
    try {
      expect(await rig.post({ url, body })).toEqual({ status: 200, json: { ok: true } });
      expect(await rig.post({ url, body })).toEqual({ status: 200, json: { ok: true, ignored: 'replayed' } });
      expect(accepted(first)).toEqual(['ref-replay-1']);
      // The event sent the daemon to read that referral from Partner Center.
      await eventually(() => rig.partnerCenterReads.some((path) => path.endsWith('/ref-replay-1')), 10_000);
      await first.stopKeepingFiles();
      const second = await start({ storeFrom: first.storePath });
      try {
        const again = `${second.webhooks}/webhooks/partner-center`;
        expect(await rig.post({ url: again, body })).toEqual({ status: 200, json: { ok: true, ignored: 'replayed' } });
        // A new event for the same referral is a different signed body: taken.
        expect(await rig.post({ url: again, body: referralEvent('ref-replay-1', new Date(Date.now() + 1000)) })).toEqual({ status: 200, json: { ok: true } });
        expect(accepted(second)).toEqual(['ref-replay-1']);
        const ignored = second.log.lines().find((line) => line['msg'] === 'Partner Center webhook ignored');
        expect(ignored).toMatchObject({ level: 'warn', ignored: 'replayed', referralId: 'ref-replay-1' });
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      first.cleanup();
    }
  }, 90_000);

  it('ignores an event older than partnerCenter.webhooks.replayWindowMs and takes one inside it', async () => {
    const daemon = await start({ webhooksExtra: ', replayWindowMs: 600000' });
    try {
      const url = `${daemon.webhooks}/webhooks/partner-center`;
      expect(await rig.post({ url, body: referralEvent('ref-old', new Date(Date.now() - 20 * MINUTE)) })).toEqual({ status: 200, json: { ok: true, ignored: 'tooOld' } });
      expect(await rig.post({ url, body: referralEvent('ref-recent', new Date(Date.now() - 5 * MINUTE)) })).toEqual({ status: 200, json: { ok: true } });
      expect(accepted(daemon)).toEqual(['ref-recent']);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  }, 60_000);
});

describe('the webhook listener refuses what is not a Partner Center post', () => {
  let daemon: AdminDaemon;
  beforeAll(async () => {
    daemon = await start({ webhooksExtra: ', certificateDownload: { timeoutMs: 1500, concurrency: 2 }' });
  }, 60_000);
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });
  const url = (): string => `${daemon.webhooks}/webhooks/partner-center`;

  it('answers 415 to a signed body sent as anything but JSON, and takes JSON with a charset', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const body = referralEvent(`ref-${contentType.length}`, new Date());
      expect({ contentType, ...(await rig.post({ url: url(), body, contentType })) }).toEqual({ contentType, status: 415, json: { error: 'unsupported media type: send application/json' } });
    }
    expect(accepted(daemon)).toEqual([]);
    expect((await rig.post({ url: url(), body: referralEvent('ref-charset', new Date()), contentType: 'application/json; charset=utf-8' })).status).toBe(200);
    expect(accepted(daemon)).toEqual(['ref-charset']);
  });

  it('downloads a signing certificate once for many posts naming it', async () => {
    const before = rig.certificates.downloads.filter((path) => path === '/cached.pem').length;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => rig.post({ url: url(), body: referralEvent(`ref-burst-${n}`, new Date()), certificatePath: '/cached.pem' })));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 8 }, () => 200));
    expect(rig.certificates.downloads.filter((path) => path === '/cached.pem').length - before).toBe(1);
  });

  it('keeps certificate downloads to two at once and gives each a short deadline; posts beyond are refused at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, async (_, n) => {
        const sent = Date.now();
        const answer = await rig.post({ url: url(), body: referralEvent(`ref-hang-${n}`, new Date()), certificatePath: `/hang/${n}.pem` });
        return { status: answer.status, ms: Date.now() - sent };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 6 }, () => 401));
    expect(rig.certificates.downloads.filter((path) => path.startsWith('/hang/'))).toHaveLength(2);
    expect(rig.certificates.peakOpen()).toBeLessThanOrEqual(2);
    // A bound, not a timing: the stuck downloads were cut off near the configured 1.5 s deadline, not after the
    // transport's usual 10 s or never.
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(4_000);
    const reasons = daemon.log.lines().filter((line) => line['msg'] === 'rejected a Partner Center webhook').map((line) => line['reason']);
    expect(reasons.filter((r) => r === 'certificateUnavailable')).toHaveLength(6);
    console.log(`certificate downloads: 6 posts naming stuck URLs answered 401 in ${answers.map((a) => a.ms).join(', ')} ms (deadline 1500 ms, 2 at once)`);
    expect(accepted(daemon)).not.toContain('ref-hang-0');
  }, 30_000);
});

describe('the webhook listener does not wait for ever on a slow sender', () => {
  it('cuts off a post whose body trickles in past server.webhooks.requestTimeoutMs', async () => {
    const daemon = await startAdminDaemon({
      yaml: rig.yaml().replace('webhooks: { host: 127.0.0.1, port: 0 }', 'webhooks: { host: 127.0.0.1, port: 0, requestTimeoutMs: 1000 }'),
      prepare: async (dir) => writeFileSync(join(dir, 'ca.pem'), rig.ca.cert),
    });
    try {
      const post = await trickledPost({ base: daemon.webhooks, path: '/webhooks/partner-center' });
      expect(post.closed).toBe(true);
      console.log(`a trickling webhook post was cut off after ${post.ms} ms (requestTimeoutMs 1000): ${post.statusLine || '(no answer)'}`);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  }, 60_000);
});

describe('the webhook work at shutdown', () => {
  it('stops fetching the referral an event named when the daemon is told to stop, without waiting out the grace period', async () => {
    rig.partnerCenterAnswers(503);
    const daemon = await start();
    let tookMs: number;
    try {
      expect((await rig.post({ url: `${daemon.webhooks}/webhooks/partner-center`, body: referralEvent('ref-at-shutdown', new Date()) })).status).toBe(200);
      // Partner Center answers 503: the daemon is retrying that read when it is told to stop.
      await eventually(() => daemon.log.events().includes('retrying Partner Center request'), 10_000);
    } finally {
      const asked = Date.now();
      expect(await daemon.stop()).toBe(0);
      tookMs = Date.now() - asked;
      rig.partnerCenterAnswers(404);
    }
    expect(daemon.log.events()).not.toContain('running work abandoned after the grace period');
    expect(daemon.log.events()).toContain('webhook batch stopped by shutdown; the poll will pick it up');
    console.log(`stopped ${tookMs} ms after SIGTERM with a webhook read being retried (grace period 2000 ms)`);
  }, 60_000);
});
