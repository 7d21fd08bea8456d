import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/*.generated.ts', '**/generated/**', 'tmp/**', '**/vendor/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints: [
            // An app is a leaf: nothing imports it, and it imports only libs.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:stream-ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:stream-ingest'] },
            { sourceTag: 'scope:metric-store', onlyDependOnLibsWithTags: ['scope:shared', 'scope:metric-store'] },
            { sourceTag: 'scope:health-engine', onlyDependOnLibsWithTags: ['scope:shared', 'scope:health-engine'] },
            { sourceTag: 'scope:exporter', onlyDependOnLibsWithTags: ['scope:shared', 'scope:exporter'] },
            { sourceTag: 'scope:web-api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:web-api'] },
            { sourceTag: 'scope:launcher', onlyDependOnLibsWithTags: ['scope:shared', 'scope:launcher'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
