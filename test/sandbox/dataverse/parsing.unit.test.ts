import { describe, expect, it } from '@jest/globals';
import { boundaryOf, operationCount, parseBatch } from '../../../sandbox/dataverse/batch/multipart.js';
import { annotationFilter, parsePrefer } from '../../../sandbox/dataverse/odata/prefer.js';
import { parseKey, parseResourcePath } from '../../../sandbox/dataverse/odata/resource-path.js';

describe('resource paths and keys', () => {
  it('splits segments without breaking quoted keys that hold slashes, parentheses or doubled quotes', () => {
    expect(parseResourcePath("opportunities(cosell_referralid='a/b(c)''d')/parentaccountid/$ref")).toEqual([
      { name: 'opportunities', key: "cosell_referralid='a/b(c)''d'" },
      { name: 'parentaccountid' },
      { name: '$ref' },
    ]);
    expect(() => parseResourcePath("opportunities(cosell_referralid='x'")).toThrow();
  });

  it('reads GUID, named-GUID, alternate and multi-part keys', () => {
    expect(parseKey('{6F1E2D3C-0000-0000-0000-000000000002}')).toEqual({ kind: 'guid', id: '6f1e2d3c-0000-0000-0000-000000000002' });
    expect(parseKey("cosell_referralid='it''s'")).toEqual({ kind: 'pairs', pairs: [{ name: 'cosell_referralid', value: "it's" }] });
    expect(parseKey("firstname='Joe',emailaddress1='a,b@example.com'")).toEqual({
      kind: 'pairs',
      pairs: [
        { name: 'firstname', value: 'Joe' },
        { name: 'emailaddress1', value: 'a,b@example.com' },
      ],
    });
    expect(parseKey('opportunityid=6f1e2d3c-0000-0000-0000-000000000002')).toEqual({ kind: 'pairs', pairs: [{ name: 'opportunityid', value: '6f1e2d3c-0000-0000-0000-000000000002' }] });
  });
});

describe('Prefer header', () => {
  it('splits on commas outside quotes and reads every preference the client library sends', () => {
    const prefs = parsePrefer('return=representation,odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.*",odata.maxpagesize=500,odata.track-changes');
    expect(prefs).toEqual({
      returnRepresentation: true,
      maxPageSize: 500,
      includeAnnotations: 'OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.*',
      trackChanges: true,
      continueOnError: false,
    });
    const annotate = annotationFilter(prefs.includeAnnotations);
    expect(annotate('OData.Community.Display.V1.FormattedValue')).toBe(true);
    expect(annotate('Microsoft.Dynamics.CRM.lookuplogicalname')).toBe(true);
    expect(annotate('Other.Annotation')).toBe(false);
    expect(annotationFilter(null)('OData.Community.Display.V1.FormattedValue')).toBe(false);
  });
});

describe('$batch multipart parsing', () => {
  const crlf = [
    '--dwa_batch_1',
    'Content-Type: multipart/mixed;boundary=changeset_2',
    '',
    '--changeset_2',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 100001',
    '',
    'POST http://127.0.0.1:5555/api/data/v9.2/accounts HTTP/1.1',
    'Content-Type: application/json',
    '',
    '{"name":"A"}',
    '--changeset_2',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 100002',
    '',
    'PATCH http://127.0.0.1:5555/api/data/v9.2/accounts(6f1e2d3c-0000-0000-0000-000000000002) HTTP/1.1',
    'Content-Type: application/json',
    'If-Match: *',
    '',
    '{"name":"B"}',
    '--changeset_2--',
    '--dwa_batch_1',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    'GET http://127.0.0.1:5555/api/data/v9.2/accounts?$select=name HTTP/1.1',
    'Accept: application/json',
    '',
    '--dwa_batch_1--',
    '',
  ];

  it('reads change sets, Content-IDs, inner headers and bodies with CRLF and with LF', () => {
    for (const eol of ['\r\n', '\n']) {
      const parts = parseBatch(crlf.join(eol), 'dwa_batch_1');
      expect(operationCount(parts)).toBe(3);
      const [changeset, get] = parts;
      expect(changeset).toEqual({
        kind: 'changeset',
        requests: [
          { method: 'POST', url: 'http://127.0.0.1:5555/api/data/v9.2/accounts', headers: { 'content-type': 'application/json' }, body: '{"name":"A"}', contentId: '100001' },
          {
            method: 'PATCH',
            url: 'http://127.0.0.1:5555/api/data/v9.2/accounts(6f1e2d3c-0000-0000-0000-000000000002)',
            headers: { 'content-type': 'application/json', 'if-match': '*' },
            body: '{"name":"B"}',
            contentId: '100002',
          },
        ],
      });
      expect(get).toEqual({ kind: 'request', request: { method: 'GET', url: 'http://127.0.0.1:5555/api/data/v9.2/accounts?$select=name', headers: { accept: 'application/json' }, body: '', contentId: null } });
    }
  });

  it('finds quoted and unquoted boundaries in the Content-Type', () => {
    expect(boundaryOf('multipart/mixed;boundary=dwa_batch_1')).toBe('dwa_batch_1');
    expect(boundaryOf('multipart/mixed; boundary="batch_AAA"')).toBe('batch_AAA');
    expect(boundaryOf('application/json')).toBeNull();
  });
});
