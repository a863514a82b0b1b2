/** Public surface of the Partner Center connector. */
export { createPartnerCenterConnector } from './connector.js';
export type { PartnerCenterDeps } from './connector.js';
export type { InvalidItem } from './context.js';
export { parsePartnerCenterOptions, partnerCenterFacts } from './options.js';
export type { PartnerCenterOptions, PartnerCenterOptionsInput } from './options.js';
export { classifyInbound } from './classify-inbound.js';
export { parseReferral } from './parse.js';
export { audienceScopes } from './auth/token-provider.js';
export type { TokenAudience, TokenProvider } from './auth/token-provider.js';
export { createStaticTokenProvider } from './auth/static-token.js';
