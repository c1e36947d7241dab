// A read-only loopback host for the demo photos shipped with Murmur, so `murmur simulate` can send
// tweets with real photos that the local analysis downloads, with no X account and no internet.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const DEMO_MEDIA_DIR = fileURLToPath(new URL('../demo-media/', import.meta.url));

/** The demo photos, by the name in their URL. */
export const DEMO_PHOTOS = {
  /** Printed words, a car, the demo gallery's known person and a stranger. */
  street: 'street.jpg',
} as const;

/** The demo known-people gallery, copied into a new gallery folder. */
export const DEMO_GALLERY_DIR = `${DEMO_MEDIA_DIR}gallery`;

const FILES = new Set<string>(Object.values(DEMO_PHOTOS));

export interface DemoMediaHost {
  /** e.g. `http://127.0.0.1:8788`; photo URLs are `<origin>/<file>`. */
  origin: string;
  /** `host:port`, as MURMUR_MEDIA_HOSTS lists it. */
  hostPort: string;
  close(): Promise<void>;
}

export async function startDemoMediaHost(host: string, port: number): Promise<DemoMediaHost> {
  const server = createServer(async (req, res) => {
    const name = (req.url ?? '/').slice(1);
    if (req.method !== 'GET' || !FILES.has(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(`${DEMO_MEDIA_DIR}${name}`);
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPort = `${host}:${address.port}`;
  return {
    origin: `http://${hostPort}`,
    hostPort,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
