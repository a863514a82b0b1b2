/** Status server: health, readiness, Prometheus metrics, and routes others add. */
export type { RouteRegistrar } from './build-server.js';
export { buildServer } from './build-server.js';
export type { HealthReport, Readiness } from './health.js';
export { judgeReadiness } from './health.js';
export type { Metrics } from './metrics.js';
export { createMetrics } from './metrics.js';
export { buildWebhookServer } from './webhook-server.js';
