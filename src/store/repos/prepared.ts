/**
 * Queries compiled once and run with each call's values. Kysely builds an operation tree and
 * compiles it to SQL on every call; on the sign-in's hot path that was about a sixth of the
 * event loop's time per TOTP verification (bench/README.md), for SQL texts that never change.
 * A prepared query is built once per dialect with marker values, and each call only fills the
 * parameter array, then runs through the same Kysely executor (connection, transaction,
 * driver) as a built query would, or, where the store registered one for that handle
 * (`runDirectly`), straight through the driver's connection.
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database, Dialect } from '../schema.js';
import type { RepoDeps } from './codec.js';

/** Stands for the builder's n-th argument (or one field of it) while the query is compiled. */
class Marker {
  constructor(
    readonly index: number,
    readonly key?: string,
  ) {}
}

/** Where each compiled parameter comes from: a call argument (or one of its fields), or a constant of the builder. */
type Slot = { arg: number; key?: string } | { value: unknown };

interface Compiled {
  query: CompiledQuery;
  slots: Slot[];
}

function compileWithMarkers<A extends unknown[]>(db: Kysely<Database>, build: (db: Kysely<Database>, ...args: A) => Compilable<unknown>, markers: unknown[]): Compiled {
  const query = build(db, ...(markers as A)).compile();
  const slots = query.parameters.map((p): Slot => (p instanceof Marker ? { arg: p.index, key: p.key } : { value: p }));
  // A marker that Kysely turned into SQL text instead of a parameter would run every call
  // with the marker's value: refuse the builder outright (a programming error, caught by the
  // first call of any test).
  if (query.sql.includes('[object Object]')) throw new Error(`prepared query inlines a value: ${query.sql}`);
  return { query, slots };
}

/**
 * Prepare `build`: its arguments after `db` become the query's parameters, by position. The
 * builder must use them only as values (not in `in` lists of varying length, not to choose
 * columns or shape the query), since it runs once per dialect.
 */
export function prepared<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): (deps: RepoDeps, ...args: A) => Promise<QueryResult<R>> {
  return preparedWith(build, () => Array.from({ length: build.length - 1 }, (_, i) => new Marker(i)));
}

/**
 * Prepare a statement over one row object (an INSERT): `build` gets a row whose `columns` are
 * markers, and each call's row fills them by name.
 */
export function preparedRow<Row extends Record<string, unknown>, R>(
  columns: readonly (keyof Row & string)[],
  build: (db: Kysely<Database>, row: Row) => Compilable<R>,
): (deps: RepoDeps, row: Row) => Promise<QueryResult<R>> {
  return preparedWith(build, () => [Object.fromEntries(columns.map((c) => [c, new Marker(0, c)]))]);
}

/**
 * The same over `count` rows (a multi-row INSERT): each call passes exactly `count` rows, and
 * row r's `columns` fill the markers of row r (the r-th argument of the prepared builder).
 */
export function preparedRows<Row extends Record<string, unknown>, R>(
  columns: readonly (keyof Row & string)[],
  count: number,
  build: (db: Kysely<Database>, rows: Row[]) => Compilable<R>,
): (deps: RepoDeps, rows: Row[]) => Promise<QueryResult<R>> {
  const run = preparedWith<Row[], R>(
    (db, ...rows) => build(db, rows),
    () => Array.from({ length: count }, (_, r) => Object.fromEntries(columns.map((c) => [c, new Marker(r, c)]))),
  );
  return (deps, rows) => {
    if (rows.length !== count) throw new Error(`prepared insert of ${count} rows called with ${rows.length}`);
    return run(deps, ...rows);
  };
}

function preparedWith<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>, markers: () => unknown[]): (deps: RepoDeps, ...args: A) => Promise<QueryResult<R>> {
  const byDialect = new Map<Dialect, Compiled>();
  return (deps, ...args) => {
    let compiled = byDialect.get(deps.dialect);
    if (!compiled) {
      compiled = compileWithMarkers(deps.db, build, markers());
      byDialect.set(deps.dialect, compiled);
    }
    const parameters = compiled.slots.map((s) => ('arg' in s ? (s.key === undefined ? args[s.arg] : (args[s.arg] as Record<string, unknown>)[s.key]) : s.value));
    const query = { ...compiled.query, parameters } as CompiledQuery<R>;
    const direct = directRunners.get(deps.db);
    return direct ? (direct(query) as Promise<QueryResult<R>>) : deps.db.executeQuery<R>(query);
  };
}

type Runner = (query: CompiledQuery) => Promise<QueryResult<unknown>>;
const directRunners = new WeakMap<Kysely<Database>, Runner>();

/**
 * Run the prepared queries made through `db` (a root handle or a transaction) with `run`, the
 * connection's own execute, instead of Kysely's executor: for the embedded SQLite, whose
 * queries are synchronous, Kysely's connection provider and its promise hops cost 2.5-4.5 us
 * per query (bench/README.md, fifth round), 15 queries per TOTP verification. Only the
 * handles the store registers take this path; a transaction a repository opens itself does not.
 */
export function runDirectly(db: Kysely<Database>, run: Runner): void {
  directRunners.set(db, run);
}

