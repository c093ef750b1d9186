/**
 * Composition root: configuration -> dependencies -> server. Built by hand, no container.
 * Everything a process shares with other processes lives in the store, never in memory here.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { CoreError } from './core/errors.js';
import { createIdGenerator, systemClock } from './core/ids.js';
import type { Clock, CoreDeps, DocumentInspector } from './core/ports.js';
import { inspectPdf, InvalidDocumentError, type LoadSealingIdentityOptions } from './documents/pdf.js';
import { createWebhooks } from './delivery/webhooks.js';
import { createDelivery, silentLogger, type Delivery } from './delivery/create-delivery.js';
import { createNativeWebhookRenderer } from './delivery/native-webhook.js';
import type { WebhookRenderer } from './delivery/webhook-renderer.js';
import { createWebhookUrlPolicy } from './delivery/webhook-url-policy.js';
import { deliveryAdminRoutes } from './http/v1/delivery-admin.js';
import { createPresenter } from './http/v1/present.js';
import { webhookRoutes } from './http/v1/webhooks.js';
import { benchRoutes } from './http/bench-routes.js';
import { buildServer } from './http/server.js';
import { createLogger } from './logging/create-logger.js';
import { SURFACES } from './providers/index.js';
import type { SurfaceContext } from './providers/surface.js';
import { createSecretSealer } from './security/sealed-secrets.js';
import {
  openStore,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  type OpenedStore,
  type StoreTx,
} from './storage/open-store.js';

export interface AppOptions {
  /** Tests inject a controllable clock; everything else uses the system clock. */
  readonly clock?: Clock;
  readonly logger?: Logger | false;
  readonly plugins?: Parameters<typeof buildServer>[1]['plugins'];
  readonly nativeRoutes?: Parameters<typeof buildServer>[1]['nativeRoutes'];
  /** Hooks on the root instance, seeing every route (tests: the OpenAPI check of each native answer). */
  readonly observe?: Parameters<typeof buildServer>[1]['observe'];
  /** Start the outbox worker loop (`serve` does when config.workerEnabled); tests may instead call app.delivery.worker.drainOnce(). */
  readonly worker?: boolean;
}

export interface App {
  readonly config: Config;
  readonly deps: CoreDeps<StoreTx>;
  readonly store: OpenedStore;
  readonly server: FastifyInstance;
  readonly publicUrl: string;
  readonly surfaceContext: SurfaceContext;
  /** The outbox worker and what it delivers with (mail archive, document copies, queue). */
  readonly delivery: Delivery;
  close(): Promise<void>;
}

/** The server key: from configuration, or generated once into the data dir (mode 0600, the dir 0700 when created here). */
export function loadServerKey(config: Pick<Config, 'dataDir' | 'serverKey'>): Buffer {
  if (config.serverKey) return Buffer.from(config.serverKey, 'utf8');
  const dir = resolve(config.dataDir);
  const file = join(dir, 'server.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

/** Independent keys for independent purposes, all derived from the one server key. */
export function deriveKey(serverKey: Buffer, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', serverKey, Buffer.alloc(0), `countersign:${purpose}`, 32));
}

/**
 * Where the sealing identity comes from (COUNTERSIGN_SEAL_P12 and _PASSWORD, else seal.pem in the
 * data dir, its key encrypted under a key derived from the server key). For `loadSealingIdentity`.
 */
export function sealingIdentityOptions(config: Config): LoadSealingIdentityOptions {
  return {
    dataDir: config.dataDir,
    keyEncryptionKey: deriveKey(loadServerKey(config), 'seal-key'),
    publicUrl: publicUrlOf(config),
    p12Path: config.sealP12,
    p12Password: config.sealP12Password,
  };
}

export const pdfInspector: DocumentInspector = {
  async inspect(bytes) {
    try {
      return await inspectPdf(bytes);
    } catch (error) {
      if (error instanceof InvalidDocumentError)
        throw new CoreError('invalid_document', error.message, { reason: error.reason });
      throw error;
    }
  },
};

export function createCoreDeps(config: Config, store: OpenedStore, clock: Clock = systemClock): CoreDeps<StoreTx> {
  const serverKey = loadServerKey(config);
  return {
    store,
    clock,
    ids: createIdGenerator(),
    documents: pdfInspector,
    settings: {
      signSessionMs: config.signSessionMinutes * 60_000,
      signSessionCooldownMs: config.signSessionCooldownSeconds * 1000,
      maxSignSessionsPerSigner: config.signSessionsPerSigner,
      linkKey: deriveKey(serverKey, 'signing-links'),
    },
    webhookUrls: createWebhookUrlPolicy({ allowPrivateNetworks: config.allowPrivateWebhookTargets }),
  };
}

export function publicUrlOf(config: Config): string {
  return (config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`).replace(
    /\/$/,
    '',
  );
}

export function createSurfaceContext(
  config: Config,
  deps: CoreDeps<StoreTx>,
  publicUrl = publicUrlOf(config),
): SurfaceContext {
  return {
    deps,
    publicUrl,
    sealer: createSecretSealer(deriveKey(loadServerKey(config), 'sealed-secrets')),
  };
}

/**
 * Every webhook format, for delivery: the native one, whose `data.signature_request` is the native
 * API's own view of the request, and each provider surface's.
 */
export function createWebhookRenderers(context: SurfaceContext): WebhookRenderer[] {
  const presenter = createPresenter(context.publicUrl, context.deps.settings.linkKey);
  return [
    createNativeWebhookRenderer({ presentRequest: presenter.request, clock: context.deps.clock }),
    ...SURFACES.flatMap((surface) => (surface.webhookRenderer ? [surface.webhookRenderer(context)] : [])),
  ];
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const store = openStore(config);
  const deps = createCoreDeps(config, store, options.clock);
  const logger = options.logger ?? (config.logLevel === 'silent' ? false : createLogger(config));
  const publicUrl = publicUrlOf(config);
  const surfaceContext = createSurfaceContext(config, deps, publicUrl);
  const webhooks = createWebhooks(surfaceContext, {
    allowPrivateNetworks: config.allowPrivateWebhookTargets,
    renderers: createWebhookRenderers(surfaceContext),
  });
  const delivery = createDelivery({
    config,
    deps,
    maintenance: store.maintenance,
    publicUrl,
    handlers: webhooks.handlers,
    logger: logger ? logger.child({ component: 'outbox-worker' }) : silentLogger,
  });
  const server = await buildServer(deps, {
    publicUrl,
    logger,
    http: config,
    surfaces: SURFACES,
    surfaceContext,
    documentCopies: delivery.copies,
    nativeRoutes: [
      ...webhookRoutes(webhooks.admin),
      ...deliveryAdminRoutes(delivery, deps.clock),
      ...(options.nativeRoutes ?? []),
    ],
    plugins: [...(options.plugins ?? []), ...(config.benchRoutes ? [benchRoutes(store)] : [])],
    ...(options.observe ? { observe: options.observe } : {}),
  });
  if (options.worker) delivery.worker.start();
  return {
    config,
    deps,
    store,
    server,
    publicUrl,
    surfaceContext,
    delivery,
    async close() {
      await server.close();
      await delivery.close();
      await store.close();
    },
  };
}
