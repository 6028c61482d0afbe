// Every schema in one place: records, mutation arguments, sync messages.
export * from './schemas/mutation-schemas.ts';
export * from './schemas/record-schemas.ts';
export * from './schemas/sync-schemas.ts';
