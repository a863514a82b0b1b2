/** Configuration: parsed once at start-up from one YAML file plus secrets from the environment. */
export { DEFAULT_CONFIG_PATH, loadConfig, parseConfigText, resolveConfigPath } from './load-config.js';
export { maskConfig } from './mask.js';
export type { ConfigProblem } from './problems.js';
export { formatProblems } from './problems.js';
export type { Config } from './schema/root.js';
export type { DynamicsConfig } from './schema/dynamics.js';
export type { GraphConfig } from './schema/graph.js';
export type { HealthConfig } from './schema/health.js';
export type { LoggingConfig } from './schema/logging.js';
export type { PartnerCenterConfig } from './schema/partner-center.js';
export type { SalesforceConfig } from './schema/salesforce.js';
export type { SandboxConfig } from './schema/sandbox.js';
export type { ServerConfig } from './schema/server.js';
export type { StoreConfig } from './schema/store.js';
export type { SyncConfig } from './schema/sync.js';
export type { RateLimitConfig } from './schema/common.js';
export type { LoadContext } from './secret.js';
export { Secret } from './secret.js';
