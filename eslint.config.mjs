// Lint rules that keep the architecture honest: apps import libs, libs never import apps, and
// the window engine stays a pure core (no framework, broker, database or clock).
import nx from '@nx/eslint-plugin';

const CLOCK_READS = [
  { object: 'Date', property: 'now', message: 'The window engine is pure: time comes in as an argument.' },
  { object: 'performance', property: 'now', message: 'The window engine is pure: time comes in as an argument.' },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '.local', 'tmp', '**/jest.config.js', 'jest.preset.js'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:data-access', 'type:runtime', 'type:config', 'type:testing'] },
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:core', 'type:data-access'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:core', 'type:data-access', 'type:config', 'type:runtime', 'type:testing'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:core', 'type:runtime', 'type:data-access'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:data-access', 'type:runtime', 'type:testing'] },
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
            {
              sourceTag: 'scope:windowing',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['@nestjs/*', 'kafkajs', 'mysql2', 'mysql2/*', 'ws', 'axios'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Hot paths index arrays and maps whose entries an invariant guarantees; strict null
      // checks stay on everywhere else.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests of any project may use the shared test helpers (random names, real Kafka and MySQL).
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }],
        },
      ],
    },
  },
  {
    files: ['libs/windowing/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-properties': ['error', ...CLOCK_READS],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate'],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the clock; pass time in.' },
      ],
    },
  },
];
