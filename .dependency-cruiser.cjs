/**
 * The import directions ARCHITECTURE.md draws, checked in `npm test` (dependency-cruiser).
 * Edges translate (src/http, src/providers, src/web, src/cli), the core decides, storage remembers,
 * delivery tells the world; src/main.ts composes them all.
 */
const DRIVERS = '^(better-sqlite3|pg|postgres|kysely|ioredis|redis)$';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import circles make layers impossible to reason about and to load in order.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing-outward',
      severity: 'error',
      comment: 'src/core is the domain: no HTTP, storage, delivery, provider, page, CLI or composition code.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-uses-no-framework-or-driver',
      severity: 'error',
      comment: 'src/core imports no HTTP framework, database driver, mailer or PDF library.',
      from: { path: '^src/core/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled'],
        path: '^(node_modules/)?(fastify|@fastify/.*|better-sqlite3|pg|nodemailer|pdf-lib|@libpdf/.*|pino|undici)(/|$)',
      },
    },
    {
      name: 'delivery-and-storage-import-no-edge',
      severity: 'error',
      comment: 'Delivery and storage import no HTTP, provider, page or CLI code (renderers and ports are handed in).',
      from: { path: '^src/(delivery|storage)/' },
      to: { path: '^src/(http|providers|web|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'documents-are-a-library',
      severity: 'error',
      comment: 'src/documents works on bytes and plain data: no storage, delivery or edge code.',
      from: { path: '^src/documents/' },
      to: { path: '^src/(storage|delivery|http|providers|web|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'only-storage-touches-the-database',
      severity: 'error',
      comment: 'Nothing outside src/storage imports a database driver.',
      from: { path: '^src/', pathNot: '^src/storage/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'],
        path: `node_modules/(better-sqlite3|pg|postgres)/`,
      },
    },
    {
      name: 'cli-uses-no-http',
      severity: 'error',
      comment: 'The CLI calls use cases (and the composition root); it does not reach into the HTTP edge.',
      from: { path: '^src/cli/' },
      to: { path: '^src/http/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    skipAnalysisNotInRules: true,
  },
};
