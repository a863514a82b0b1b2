/** Public surface of the Dynamics 365 / Dataverse connector. */
export { createDynamicsConnector, type DynamicsConnector, type DynamicsConnectorDeps } from './connector.js';
export { parseDynamicsOptions, dynamicsOptionsSchema, type DynamicsOptions, type DynamicsOptionsInput, type DynamicsAuthOptions } from './options.js';
export { dataverseColumnFiles, COLUMN_CSV_HEADER } from './column-list.js';
