import { createServer, type AddressInfo } from 'node:net';

/**
 * A TCP port on `host` that nothing listens on right now (the kernel picks it), for the daemon
 * configuration the sandbox writes: a fixed port would collide with whatever already uses it.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
