/** For nock tests only (importing nock patches node:http for the whole test file). */
import nock from 'nock';
import { API, INSTANCE, JSON_HEADERS } from './harness.js';

/** An org without `/composite`: the connector learns it from one 404 and writes in two calls. */
export function noComposite(): void {
  nock(INSTANCE).post(`${API}/composite`).reply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], JSON_HEADERS);
}
