/**
 * `countersign singpass-client keygen|token`: the relying party's side, for trying the Singpass
 * surface locally. keygen makes an ES256 key pair (the public half as a JWKS file for
 * `singpass-client add --jwks-file`); token prints a JWT signed with the private half, shaped as
 * the surface checks it (ES256, kid, client_id, iat, exp ≤ 2 min later, a fresh jti).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { fail } from '../../cli/options.js';

const MAX_LIFETIME_SECONDS = 120;

function readPrivateKey(file: string): JWK & { kid: string } {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    return fail(
      `cannot read a JSON private key from ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON'}`,
    );
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string')
    fail(`${file} is not an EC P-256 private key (JWK); make one with singpass-client keygen`);
  if (typeof jwk.kid !== 'string' || jwk.kid === '') fail(`${file} has no kid: the surface picks the RP's key by it`);
  return jwk as JWK & { kid: string };
}

function parseClaims(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const claims: unknown = JSON.parse(text);
    if (claims !== null && typeof claims === 'object' && !Array.isArray(claims))
      return claims as Record<string, unknown>;
  } catch {
    // reported below
  }
  return fail('--claims must be a JSON object, e.g. \'{"doc_name":"contract.pdf","x":0.5,"y":0.5,"page":1}\'');
}

export function registerRpTokenCommands(group: Command): void {
  group
    .command('keygen')
    .description('make an ES256 key pair for a relying party: a private JWK file and a public JWKS file')
    .requiredOption('--private-key-file <file>', 'where to write the private key (mode 0600; keep it secret)')
    .requiredOption('--jwks-file <file>', 'where to write the public JWKS (for singpass-client add --jwks-file)')
    .option('--kid <kid>', 'the key id', `rp-${randomUUID().slice(0, 8)}`)
    .action(async (options: { privateKeyFile: string; jwksFile: string; kid: string }) => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const meta = { kid: options.kid, use: 'sig', alg: 'ES256' };
      try {
        writeFileSync(options.privateKeyFile, `${JSON.stringify({ ...(await exportJWK(privateKey)), ...meta })}\n`, {
          mode: 0o600,
          flag: 'wx',
        });
        writeFileSync(
          options.jwksFile,
          `${JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), ...meta }] }, null, 2)}\n`,
        );
      } catch (error) {
        fail(
          `cannot write the key files: ${(error as NodeJS.ErrnoException).code === 'EEXIST' ? `${options.privateKeyFile} exists (a key is never overwritten)` : (error as Error).message}`,
        );
      }
      console.log(`key ${options.kid}: private ${options.privateKeyFile}, public JWKS ${options.jwksFile}`);
    });

  group
    .command('token')
    .description('print an RP token (the Authorization header value) for the Singpass surface')
    .requiredOption('--client-id <id>', 'the client_id registered with singpass-client add')
    .requiredOption('--key-file <file>', "the RP's private key (JWK with a kid), e.g. from singpass-client keygen")
    .option('--request-id <id>', 'the request_id claim (cancel a sign request)')
    .option(
      '--claims <json>',
      'more claims as a JSON object (initiate: doc_name, x, y, page; signed-doc: exchange_code)',
    )
    .addOption(
      new Option('--ttl-seconds <n>', `lifetime, at most ${MAX_LIFETIME_SECONDS}`).default(
        String(MAX_LIFETIME_SECONDS),
      ),
    )
    .action(
      async (options: {
        clientId: string;
        keyFile: string;
        requestId?: string;
        claims?: string;
        ttlSeconds: string;
      }) => {
        const ttl = Number(options.ttlSeconds);
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_LIFETIME_SECONDS)
          fail(`--ttl-seconds must be a whole number from 1 to ${MAX_LIFETIME_SECONDS}`);
        const jwk = readPrivateKey(options.keyFile);
        const claims = {
          ...parseClaims(options.claims),
          client_id: options.clientId,
          jti: randomUUID(),
          ...(options.requestId !== undefined ? { request_id: options.requestId } : {}),
        };
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
          .setIssuedAt(now)
          .setExpirationTime(now + ttl)
          .sign(await importJWK(jwk, 'ES256'));
        console.log(token);
      },
    );
}
