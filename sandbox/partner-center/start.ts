/**
 * Starts the Partner Center emulator on a loopback port (TLS when given a certificate).
 */
import type { SandboxClock } from '../shared/clock.js';
import type { FaultRule } from '../shared/faults.js';
import { startEmulatorServer, type EmulatorServer } from '../shared/http.js';
import type { PartnerCenterControl } from './control.js';
import { createPartnerCenterEmulator, type PartnerCenterEmulatorArgs } from './emulator.js';
import { partnerErrorBody } from './errors.js';

export interface StartPartnerCenterArgs extends PartnerCenterEmulatorArgs {
  clock: SandboxClock;
  tls?: { key: string; cert: string };
  port?: number;
  faults?: FaultRule[];
}

/**
 * Starts the emulator on 127.0.0.1 (`port` or a free one), over TLS when `tls` is given, with
 * optional fault rules. Links, nextLinks and the certificate URL use the server's URL. Closing the
 * server also stops the simulation and pending webhook retries.
 */
export async function startPartnerCenterEmulator(
  args: StartPartnerCenterArgs,
): Promise<{ server: EmulatorServer; control: PartnerCenterControl }> {
  const { router, control } = createPartnerCenterEmulator(args);
  const server = await startEmulatorServer({
    name: 'partner-center',
    router,
    clock: args.clock,
    ...(args.tls ? { tls: args.tls } : {}),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.faults ? { faults: args.faults } : {}),
    faultSeed: args.seed,
    // Partner Center docs, "Referrals API response codes": injected errors answer in the Partner API shape; 429 mirrors the documented body.
    errorBody: (status) =>
      status === 429
        ? { body: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' } }
        : { body: partnerErrorBody(status === 503 ? 'serviceNotAvailable' : 'generalException', `Injected HTTP ${status}`) },
  });
  control.setBaseUrl(server.url);
  const close = server.close.bind(server);
  server.close = async () => {
    control.dispose();
    await close();
  };
  return { server, control };
}
