/** Public surface of the Salesforce connector. */
export { createSalesforceConnector, type SalesforceConnector, type SalesforceConnectorDeps } from './connector.js';
export { parseSalesforceOptions, salesforceOptionsSchema, type SalesforceOptions, type SalesforceOptionsInput } from './options.js';
export { signJwtAssertion } from './auth.js';
export { salesforceSourceFiles, type SourceFile } from './source-format.js';
