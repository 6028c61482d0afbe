// Every schema in one place: records, mutation arguments, sync messages, the site's config.
export * from './schemas/mutation-schemas.ts';
export * from './schemas/record-schemas.ts';
export * from './schemas/site-config-schema.ts';
export * from './schemas/sync-schemas.ts';
