// ESLint (typescript-eslint, type-checked rules) over the sources, scripts and benchmarks; `npm run lint` also
// checks Prettier formatting.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', '.local/**', 'bench/results/**'],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // The .js/.mjs files are outside tsconfig.json: each gets the default project.
          allowDefaultProject: ['*.js', 'scripts/*.mjs', 'bench/*.mjs'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests parse untyped JSON (HTTP answers, Redis job data): the no-unsafe-* family would flag every read.
    // no-floating-promises and the rest stay on.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // waitFor's probes and fake receivers are async by contract.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Unit specs' fakes implement async interfaces without awaiting anything, and Jest's asymmetric matchers
    // (expect.stringMatching, expect.any) are typed `any`.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/require-await': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Plain JavaScript has no annotations, so whatever an untyped import returns is `any`; the promise and
    // await rules stay on.
    files: ['**/*.js', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
