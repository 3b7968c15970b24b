// ESLint flat config: TypeScript rules for shared/, cloudfunctions/, test/, scripts/ and bench/.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'miniprogram/dist/**', 'miniprogram/src/components/native-recorder/**', 'coverage/**', 'test-output/**', 'data/**', 'bench/results/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused bindings prefixed with _ are deliberate (destructuring to drop a field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Explicit `any` is refused; `unknown` plus a schema is the house style.
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      // shared/ is pure: time and randomness come in as arguments.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'shared/ is pure: pass `now` in.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'shared/ is pure: pass `now` in.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'shared/ is pure: pass ids in.' },
      ],
      'no-restricted-imports': ['error', { patterns: ['@tarojs/*', '@cloudbase/*', 'wx-server-sdk', 'node:*'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: {
      // Plain Node scripts and jest configs use require().
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
