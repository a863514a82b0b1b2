/** Public surface of the Dataverse Web API emulator. */
export { createDataverseEmulator, startDataverseEmulator, type DataverseEmulator, type DataverseEmulatorArgs, type StartedDataverseEmulator } from './emulator.js';
export type { DataverseControl } from './control/control.js';
export type { DataverseOptions, ServiceProtectionLimits } from './options.js';
export type { TokenValidator } from './http/auth.js';
export type { LimitKind } from './http/service-protection.js';
export type { SeedResult } from './seed/seed.js';
