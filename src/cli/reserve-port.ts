/**
 * Binds the server's port before anything else happens, so that a port in use ends `serve` with
 * one line before it has opened (or migrated) the database, written a server key or started the
 * worker. The reservation is released just before the HTTP server listens on the same address.
 */
import { createServer } from 'node:net';
import { CoreError } from '../core/errors.js';

export interface PortReservation {
  /** The port reserved (the one the system chose, when 0 was asked for). */
  readonly port: number;
  release(): Promise<void>;
}

export function explainListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (another server? choose another with --port or PORT)`;
    case 'EACCES':
      return `not allowed to listen on port ${port} of ${host} (ports below 1024 need privileges; choose another with --port)`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${host}: not an address of this machine (--host)`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

export function reservePort(host: string, port: number): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    // Anyone who connects while the server is starting (a health check polling) is turned away at
    // once: a connection left open here would keep release() waiting for it, and the server from starting.
    const server = createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CoreError('conflict', explainListenError(error, host, port))),
    );
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        release: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
