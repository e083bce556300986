/**
 * Architecture rules checked in CI (`npm run depcruise`):
 * - a module reaches another module only through that module's contracts/ folder;
 * - a module's contracts/ import nothing internal to the module;
 * - libs/ know no module and nothing of the application;
 * - no import cycles (type-only imports excepted).
 */
module.exports = {
  forbidden: [
    {
      name: 'module-boundary',
      comment: "Another module is reached only through its contracts/ (commands, queries, views, integration events).",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/contracts/'] },
    },
    {
      name: 'contracts-are-self-contained',
      comment: 'contracts/ may not import the internals of their own module.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/contracts/' },
      to: { path: '^src/modules/$1/', pathNot: ['^src/modules/$1/contracts/'] },
    },
    {
      name: 'libs-know-no-application',
      comment: 'libs/ is cross-cutting code: it never imports src/.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^(src|libs)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|var|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
