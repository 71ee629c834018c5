import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { forbiddenRooms, ROOMS } from './scripts/rooms.mjs';

const electronOnlyInShell = {
  name: 'electron',
  message:
    'Only electron/ may import electron: the back end must run headless and the renderer through the OperatorApi.',
};

const backEndStaysHeadless = {
  group: ['**/renderer/**', '**/electron/**'],
  message: 'main/ is the headless back end: it never reaches into the shell or the UI.',
};

/** The layers may import only downward: shared ← main ← electron, shared ← renderer. */
const layer = (files, patterns) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths: [electronOnlyInShell], patterns }],
  },
});

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'release/**', 'node_modules/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  layer(
    ['shared/**/*.ts'],
    [
      {
        group: ['**/main/**', '**/renderer/**', '**/electron/**'],
        message: 'shared/ is the contract: it imports nothing of the rooms.',
      },
      {
        group: ['node:*', 'ws', 'react', 'react-dom'],
        message: 'shared/ runs in every process: no Node, DOM or UI imports.',
      },
    ],
  ),
  layer(['main/**/*.ts'], [backEndStaysHeadless]),
  // Each room of main/ imports only the rooms below it (scripts/rooms.mjs); tests may import anything.
  ...Object.keys(ROOMS).map((room) => ({
    ...layer(
      [`main/${room}/**/*.ts`],
      [
        backEndStaysHeadless,
        {
          regex: `^\\.\\./(${forbiddenRooms(room).join('|')})/`,
          message: `The ${room} room may import only ${ROOMS[room].join(', ') || 'shared/ and packages'} (scripts/rooms.mjs, main/${room}/README.md).`,
        },
      ],
    ),
    ignores: ['**/*.test.ts'],
  })),
  layer(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [
      {
        group: ['**/main/**', '**/electron/**', 'node:*'],
        message: 'The renderer reaches the back end only through the OperatorApi client.',
      },
    ],
  ),
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
);
