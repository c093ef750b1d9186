// A local RFC 3161 timestamp authority for the B-T tests: `openssl ts -reply` behind node:http.
// Its key and certificate are made with `openssl req` (extendedKeyUsage critical, timeStamping).
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runTool } from './pdf-tools.js';

export interface LocalTsa {
  url: string;
  /** The TSA's certificate (PEM path), to verify its tokens with `openssl ts -verify`. */
  certificatePath: string;
  /** Timestamp queries received. */
  requests: number;
  close(): Promise<void>;
}

export type TsaBehaviour = 'answer' | 'error' | 'wrong-digest';

export async function startLocalTsa(directory: string, behaviour: TsaBehaviour = 'answer'): Promise<LocalTsa> {
  const dir = join(directory, `tsa-${behaviour}`);
  await mkdir(dir, { recursive: true });
  const key = join(dir, 'tsa.key');
  const certificate = join(dir, 'tsa.crt');
  const config = join(dir, 'ts.cnf');
  await writeFile(join(dir, 'serial'), '01\n');
  await writeFile(
    config,
    [
      '[ req ]',
      'distinguished_name = dn',
      '[ dn ]',
      '[ tsa_ext ]',
      'extendedKeyUsage = critical,timeStamping',
      'keyUsage = critical,digitalSignature',
      '[ tsa ]',
      'default_tsa = tsa_config',
      '[ tsa_config ]',
      `dir = ${dir}`,
      'serial = $dir/serial',
      `signer_cert = ${certificate}`,
      `signer_key = ${key}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ess_cert_id_alg = sha256',
      'ess_cert_id_chain = no',
      'ordering = no',
      'tsa_name = no',
      '',
    ].join('\n'),
  );
  const made = await runTool('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate],
    ...['-days', '30', '-subj', '/CN=Countersign test TSA', '-config', config, '-extensions', 'tsa_ext'],
  ]);
  if (made.code !== 0) throw new Error(`openssl req: ${made.stderr}`);

  let counter = 0;
  const state = { requests: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.requests++;
      void (async () => {
        if (behaviour === 'error') {
          response.writeHead(500).end('TSA down');
          return;
        }
        const query = join(dir, `query-${++counter}.tsq`);
        const reply = join(dir, `reply-${counter}.tsr`);
        if (behaviour === 'wrong-digest') {
          // A genuine token, but for other data than the signature we asked about.
          const other = join(dir, `other-${counter}.txt`);
          await writeFile(other, 'not the signature');
          await runTool('openssl', ['ts', '-query', '-data', other, '-sha256', '-cert', '-out', query]);
        } else {
          await writeFile(query, Buffer.concat(chunks));
        }
        const answered = await runTool('openssl', [
          ...['ts', '-reply', '-config', config, '-queryfile', query],
          ...['-inkey', key, '-signer', certificate, '-out', reply],
        ]);
        if (answered.code !== 0) {
          response.writeHead(500).end(answered.stderr);
          return;
        }
        response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(await readFile(reply));
      })();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsr`,
    certificatePath: certificate,
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
