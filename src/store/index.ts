/**
 * The storage layer's public face: open a store (SQLite or PostgreSQL), migrate it, and build
 * the limiter on it. Repositories are reached through the Store port only.
 */
export { openStore } from './connect.js';
export type { OpenedStore, OpenStoreOptions } from './connect.js';
export { migrateToLatest, knownMigrations, MigrationError } from './migrate.js';
export { createLimiter } from './limiter.js';
export type { LimiterOptions } from './limiter.js';
export { isUniqueViolation } from './errors.js';
export type { Database, Dialect } from './schema.js';
