// ESLint (flat config): typescript-eslint's recommended rules for the daemon, drivers, UI and tests.
// Run by `npm test` (pretest) and `npm run lint`. Formatting is Prettier's (`npm run format:check`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'data/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused names are allowed when prefixed with _ (callbacks with fixed signatures).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Transaction bodies are generator functions (kiosk/store/sql.ts), which cannot be arrows:
      // a body that needs the object it belongs to names it `self`, and nothing else may alias `this`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
    },
  },
  {
    // The simulated hall day's actors read whatever JSON the daemon answers and check it by invariant.
    files: ['test/hall-day/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
