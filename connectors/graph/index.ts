/** Public surface of the Microsoft Graph notifier. */
export { createGraphNotifier } from './graph-notifier.js';
export type { GraphNotifierArgs, GraphTokenSource } from './graph-notifier.js';
export { redactContactDetails } from './redact.js';
export { createGraphClientCredentialsTokens, GRAPH_SCOPE } from './graph-tokens.js';
