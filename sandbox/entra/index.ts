/**
 * The Entra ID token endpoint emulator, used by msal-node against the sandbox
 * and, through `tokenValidator`, by the Partner Center, Dataverse and Graph emulators.
 */
export {
  createEntraEmulator,
  startEntraEmulator,
  DEFAULT_TENANT_ID,
  type EntraControl,
  type EntraEmulatorArgs,
  type StartEntraArgs,
} from './emulator.js';
export type { EntraClient, EntraUser } from './directory.js';
export type { IssuedToken } from './token-issuer.js';
export type { AccessTokenClaims, TokenValidator } from './types.js';
export { DEVICE_CODE_GRANT } from './grants.js';
