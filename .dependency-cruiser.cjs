// Dependency rules for server/, checked by `npm run lint:deps` (part of `npm run check`).
//
// The one rule the architecture asks for is "no import cycles between the top-level folders of server/".
// dependency-cruiser finds cycles per module or per folder, and its folder graph points each import at the
// folder that directly holds the imported file. The other rules below make that folder graph the graph of
// top-level folders, so the folder rule catches every cycle between them, also one no module cycle shows
// (a/x → b/index, b/y → a/index):
// - a capability is imported only through its index.ts, so an import of folder b lands on node server/b;
// - platform/ is plumbing: it imports nothing but platform/ and config/ (so it may be imported file by file);
// - config/ imports nothing else from server/, so neither platform/ nor config/ can close a cycle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-between-server-folders',
      comment:
        'Top-level folders of server/ form a DAG: break a cycle with a port (interface) or move the type.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^server/[^/]+$' },
      to: { circular: true },
    },
    {
      name: 'only-through-index',
      comment:
        'Import another capability through its index.ts, its public surface (platform/ files are tools).',
      severity: 'error',
      from: { path: '^server/([^/]+)/' },
      to: {
        path: '^server/[^/]+/',
        pathNot: ['^server/$1/', '^server/[^/]+/index\\.ts$', '^server/platform/'],
      },
    },
    {
      name: 'platform-has-no-business',
      comment: 'platform/ is plumbing without business rules: it may use only platform/ and config/.',
      severity: 'error',
      from: { path: '^server/platform/' },
      to: { path: '^server/', pathNot: '^server/(platform|config)/' },
    },
    {
      name: 'config-is-a-leaf',
      comment: 'config/ only reads the environment: it imports nothing else from server/.',
      severity: 'error',
      from: { path: '^server/config/' },
      to: { path: '^server/', pathNot: '^server/config/' },
    },
  ],
  options: {
    includeOnly: '^server/',
    // Browser bundles have their own tsconfig and never import the server.
    exclude: { path: '^server/[^/]+/page/' },
    doNotFollow: { path: 'node_modules' },
    // Type-only imports couple folders too: count them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Folder rules need the folder graph, which dependency-cruiser derives with its metrics.
    metrics: true,
  },
};
