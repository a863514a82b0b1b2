/**
 * Field paths of a write -> a Web API body: plain columns as they are, the currency ISO code
 * (`transactioncurrencyid.isocurrencycode`) as a `transactioncurrencyid@odata.bind` looked up in
 * a cached currency table, lookups by `@odata.bind` ("Associate and disassociate table rows
 * using the Web API"). Other `lookup.column` paths are
 * read-only through a record and refused.
 */
import type { FieldValue } from '../../src/domain/crm-record.js';
import { ConnectorError } from '../errors.js';
import type { DataverseClient } from './client.js';
import { assertName } from './fields.js';

const CURRENCY_PATH = 'transactioncurrencyid.isocurrencycode';

/** The currency table, read once per connector (it changes about never). */
export class CurrencyCache {
  private byIso: Promise<Map<string, string>> | null = null;
  constructor(private readonly client: DataverseClient) {}

  async idOf(iso: string): Promise<string | null> {
    this.byIso ??= this.client
      .call({ op: 'currencies' }, (dwa, extras) =>
        dwa.retrieveMultiple<{ transactioncurrencyid: string; isocurrencycode: string }>({ collection: 'transactioncurrencies', select: ['transactioncurrencyid', 'isocurrencycode'], ...extras }),
      )
      .then((page) => new Map(page.value.map((c) => [c.isocurrencycode.toUpperCase(), c.transactioncurrencyid])))
      .catch((error: unknown) => {
        this.byIso = null;
        throw error;
      });
    return (await this.byIso).get(iso.toUpperCase()) ?? null;
  }
}

const invalid = (message: string): ConnectorError => new ConnectorError({ kind: 'invalid', system: 'dynamics', message });

export async function toBody(args: { fields: Record<string, FieldValue>; currencies: CurrencyCache; skip?: readonly string[] }): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(args.fields)) {
    if (args.skip?.includes(path)) continue;
    if (path === CURRENCY_PATH) {
      if (value === null) continue;
      if (typeof value !== 'string') throw invalid(`${path} must be an ISO currency code`);
      const id = await args.currencies.idOf(value);
      if (id === null) throw invalid(`the org has no active currency ${value}`);
      body['transactioncurrencyid@odata.bind'] = `/transactioncurrencies(${id})`;
      continue;
    }
    if (path.includes('.')) throw invalid(`${path} is read through a lookup and cannot be written`);
    body[assertName(path)] = value;
  }
  return body;
}
