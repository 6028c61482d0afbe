// The public surface of core/: import from here (or from the module itself) on either side.
export * from './dates.ts';
export * from './errors.ts';
export * from './field-clocks.ts';
export * from './hlc.ts';
export * from './ids.ts';
export * from './mutations/index.ts';
export * from './records.ts';
export * from './schemas.ts';
export * from './snapshot.ts';
export * from './stats/index.ts';
export * from './store.ts';
