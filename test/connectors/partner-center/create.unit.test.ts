import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { BASE, PATH, makeConnector } from './support/harness.js';
import { SOLUTION_ID, draft, page, wireReferral } from './support/fixtures.js';

const EXT = '006Hs00001AbCdEIAZ';
const ENG = 'e2a1b3c4-d5e6-4f70-8192-a3b4c5d6e7f8';
type Body = Record<string, unknown> & { target: unknown[]; consent: Record<string, unknown> };

beforeAll(() => nock.disableNetConnect());
// nock patches the shared http module: undo it so later test files in this worker start clean.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('creating referrals', () => {
  it('after a timed-out POST finds the referral by external id and does not POST again', async () => {
    const { connector } = makeConnector({ timeoutMs: 400 });
    let posts = 0;
    nock(BASE)
      .post(PATH)
      .delay(1500)
      .reply(() => {
        posts += 1;
        return [201, wireReferral()];
      })
      .get(PATH)
      .query({ $filter: `externalReferenceId eq '${EXT}'` })
      .reply(200, page([wireReferral({ id: 'found-1' })]));
    const created = await connector.createReferral({ draft: draft(), dealType: { kind: 'private' } });
    expect(created.existed).toBe(true);
    expect(created.referral.id).toBe('found-1');
    expect(posts).toBe(1);
  });

  it('after a connection reset with nothing found, posts again with the same MS-RequestId', async () => {
    const { connector } = makeConnector();
    const requestIds: string[] = [];
    const scope = nock(BASE)
      .post(PATH)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .get(PATH)
      .query(true)
      .reply(200, page([]))
      .post(PATH)
      .reply(201, wireReferral({ id: 'new-1' }));
    scope.on('request', (req: Request) => {
      if (req.method === 'POST') requestIds.push(String(req.headers.get('ms-requestid')));
    });
    const created = await connector.createReferral({ draft: draft(), dealType: { kind: 'private' } });
    expect(created).toMatchObject({ existed: false, referral: { id: 'new-1' } });
    expect(requestIds).toHaveLength(2);
    expect(requestIds[1]).toBe(requestIds[0]);
  });

  it('falls back to a bounded scan of recent referrals when the external id filter is refused', async () => {
    const { connector } = makeConnector({ recentScanLimit: 2, pageSize: 2 });
    nock(BASE)
      .get(PATH)
      .query({ $filter: `externalReferenceId eq '${EXT}'` })
      .reply(400, { error: { code: 'invalidRequest', message: 'Invalid filter' } })
      .get(PATH)
      .query({ $orderby: 'createdDateTime desc', $top: '2' })
      .reply(200, page([wireReferral({ id: 'x', externalReferenceId: 'other' }), wireReferral({ id: 'y', externalReferenceId: 'other2' })], `${BASE}${PATH}?$skiptoken=more`));
    await expect(connector.findByExternalReferenceId(EXT)).resolves.toBeNull();
    nock(BASE).get(PATH).query({ $orderby: 'createdDateTime desc', $top: '2' }).reply(200, page([wireReferral({ id: 'z' })]));
    await expect(connector.findByExternalReferenceId(EXT)).resolves.toMatchObject({ id: 'z' });
  });

  it('does not trust a server that ignores the filter', async () => {
    const { connector } = makeConnector();
    nock(BASE).get(PATH).query(true).reply(200, page([wireReferral({ id: 'x', externalReferenceId: 'someone-else' })]));
    await expect(connector.findByExternalReferenceId(EXT)).resolves.toBeNull();
  });

  it('makes a co-sell request as the shared referral plus the connected Microsoft-side referral', async () => {
    const { connector } = makeConnector();
    const bodies: Body[] = [];
    nock(BASE)
      .post(PATH, (b: Body) => bodies.push(b) > 0)
      .reply(201, wireReferral({ id: 'ours' }))
      .post(PATH, (b: Body) => bodies.push(b) > 0)
      .reply(201, wireReferral({ id: 'msft-side', target: [{ type: 'BusinessProfileLocation', id: 'msft' }], externalReferenceId: null }));
    const dealType = { kind: 'coSell', help: 'ProofOfConceptOrDemo', notes: 'Need a PoC' } as const;
    expect(connector.invitesMicrosoftSeparately).toBe(true);
    const created = await connector.createReferral({ draft: draft(), dealType });
    expect(created.referral.id).toBe('ours');
    expect(bodies).toHaveLength(1);
    const side = await connector.inviteMicrosoft({ own: created.referral, draft: draft(), dealType });
    expect(side.id).toBe('msft-side');
    expect(bodies[0]).toMatchObject({ type: 'Shared', externalReferenceId: EXT, target: [{ type: 'SolutionProfile', id: SOLUTION_ID }] });
    expect(bodies[0]?.consent.consentToShareReferralWithMicrosoftSellers).toBe(true);
    expect(bodies[1]).toMatchObject({
      engagementId: ENG,
      type: 'Shared',
      target: [{ type: 'BusinessProfileLocation', id: 'msft' }],
      inviteContext: { assistanceRequestCode: 'ProofOfConceptOrDemo', notes: 'Need a PoC' },
    });
    expect(bodies[1]).not.toHaveProperty('externalReferenceId');
    // Both name the co-sell solution among the requirements, not only as a target.
    for (const body of bodies) expect(body).toMatchObject({ details: { requirements: { solutions: expect.arrayContaining([expect.objectContaining({ id: SOLUTION_ID })]) } } });
    // An amount of 0 is a value, not an absence.
    expect(bodies[0]).toMatchObject({ details: { dealValue: 0 } });
  });

  it('without a configured solution id, targets the co-sell at the deal\'s own first solution', async () => {
    const { connector } = makeConnector({ solutionId: null });
    const bodies: Body[] = [];
    nock(BASE)
      .post(PATH, (b: Body) => bodies.push(b) > 0)
      .reply(201, wireReferral({ id: 'ours' }));
    const deal = draft({ details: { ...draft().details, solutions: [{ id: 'SOL-6115380-IPC', name: null, type: 'Name' }] } });
    await connector.createReferral({ draft: deal, dealType: { kind: 'coSell', help: 'GeneralOrOther', notes: null } });
    expect(bodies[0]?.target).toEqual([{ type: 'SolutionProfile', id: 'SOL-6115380-IPC' }]);
  });

  it('refuses a co-sell with neither a configured solution id nor a solution on the deal, saying how to fix it', async () => {
    const { connector } = makeConnector({ solutionId: null });
    const deal = draft({ details: { ...draft().details, solutions: [] } });
    await expect(connector.createReferral({ draft: deal, dealType: { kind: 'coSell', help: 'GeneralOrOther', notes: null } })).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('set partnerCenter.solutionId') as unknown as string,
    });
  });

  it('makes a co-sell request as one POST in single-referral mode', async () => {
    const { connector } = makeConnector({ coSellMode: 'singleReferral' });
    const bodies: Body[] = [];
    nock(BASE)
      .post(PATH, (b: Body) => bodies.push(b) > 0)
      .reply(200, wireReferral({ id: 'ours' }));
    expect(connector.invitesMicrosoftSeparately).toBe(false);
    await connector.createReferral({ draft: draft(), dealType: { kind: 'coSell', help: 'GeneralOrOther', notes: null } });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.target).toEqual([
      { type: 'SolutionProfile', id: SOLUTION_ID },
      { type: 'BusinessProfileLocation', id: 'msft' },
    ]);
    expect(bodies[0]).toMatchObject({ inviteContext: { assistanceRequestCode: 'GeneralOrOther' } });
  });

  it('keeps a private deal private and shares a partner-led one, by the consent flag', async () => {
    const { connector } = makeConnector();
    const bodies: Body[] = [];
    nock(BASE)
      .post(PATH, (b: Body) => bodies.push(b) > 0)
      .times(2)
      .reply(201, wireReferral({ type: 'Independent', target: [] }));
    await connector.createReferral({ draft: draft({ externalReferenceId: 'p1' }), dealType: { kind: 'private' } });
    await connector.createReferral({ draft: draft({ externalReferenceId: 'p2' }), dealType: { kind: 'partnerLed' } });
    expect(bodies.map((b) => [b.type, b.consent.consentToShareReferralWithMicrosoftSellers, b.target])).toEqual([
      ['Independent', false, []],
      ['Independent', true, []],
    ]);
  });

  it('after a timed-out Microsoft-side POST finds it in the engagement instead of posting twice', async () => {
    const { connector } = makeConnector({ timeoutMs: 400 });
    nock(BASE)
      .post(PATH)
      .reply(201, wireReferral({ id: 'ours' }))
      .post(PATH)
      .delay(1500)
      .reply(201, {})
      .get(PATH)
      .query({ $filter: `engagementId eq '${ENG}'` })
      .reply(200, page([wireReferral({ id: 'ours' }), wireReferral({ id: 'msft-side', target: [{ type: 'BusinessProfileLocation', id: 'msft' }] })]));
    const dealType = { kind: 'coSell', help: 'QuotesOrLicensing', notes: null } as const;
    const created = await connector.createReferral({ draft: draft(), dealType });
    const side = await connector.inviteMicrosoft({ own: created.referral, draft: draft(), dealType });
    expect(side.id).toBe('msft-side');
  });

  it('refuses a patch that moves status without substatus, before sending anything', async () => {
    const { connector } = makeConnector();
    await expect(
      connector.updateReferral({ id: 'x', eTag: '"1"', patch: [{ op: 'replace', path: '/status', value: 'Closed' }] }),
    ).rejects.toMatchObject({ kind: 'invalid', vendorCode: 'statusPair' });
  });

  it('reads the referral back when the service ignores Prefer and answers 204', async () => {
    const { connector } = makeConnector();
    nock(BASE)
      .patch('/v1.0/engagements/referrals/x', [
        { op: 'replace', path: '/status', value: 'Closed' },
        { op: 'replace', path: '/substatus', value: 'Won' },
      ])
      .reply(204)
      .get('/v1.0/engagements/referrals/x')
      .reply(200, wireReferral({ id: 'x', status: 'Closed', substatus: 'Won', eTag: '"2"' }));
    const r = await connector.updateReferral({
      id: 'x',
      eTag: '"1"',
      patch: [
        { op: 'replace', path: '/status', value: 'Closed' },
        { op: 'replace', path: '/substatus', value: 'Won' },
      ],
    });
    expect(r).toMatchObject({ status: 'Closed', substatus: 'Won', eTag: '"2"' });
  });
});
