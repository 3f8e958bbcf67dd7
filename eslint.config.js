// Lint: the layering rule of DESIGN.md, enforced rather than remembered.
import tseslint from 'typescript-eslint';

const driverAndFramework = ['fastify', 'fastify-*', '@fastify/*', 'kysely', 'better-sqlite3', 'pg', 'ioredis', 'nodemailer', 'pino', 'prom-client', 'commander', 'rate-limiter-flexible', 'qrcode', 'jose', '@node-rs/argon2'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'data/**', 'test-results/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {},
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/server/config.ts', 'src/cli/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only the config parser reads the environment (DESIGN.md practice 10)' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/store/**', '**/server/**', '**/delivery/**', '**/cli/**'], message: 'core imports nothing from the outer layers (DESIGN.md)' },
          { group: driverAndFramework, message: 'core imports no framework or driver: declare a port (DESIGN.md)' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'core reads no process.env: settings come in through CoreDeps' }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'core takes time from ctx.now / a Clock (DESIGN.md practice 1)' },
        { object: 'process', property: 'env', message: 'core reads no process.env (DESIGN.md practice 10)' },
      ],
    },
  },
  {
    files: ['src/store/**/*.ts', 'src/delivery/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/server/**', '**/cli/**'], message: 'store and delivery must not import the server or the CLI' }],
      }],
    },
  },
  {
    files: ['src/delivery/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/server/**', '**/cli/**', '**/store/**'], message: 'delivery imports only core' }],
      }],
    },
  },
);
