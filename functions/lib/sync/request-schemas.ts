// The sync endpoints' request schemas are core's (the client validates with the same ones); this
// module only re-exports the ones functions/ use, so handlers import from one place.
export {
  checkUpdateQuerySchema,
  deviceIdSchema,
  markSyncedRequestSchema,
  markUpdateRequestSchema,
  mutationHeadersSchema,
  notifyChangeRequestSchema,
  pullQuerySchema,
  pushRequestSchema,
  readDayQuerySchema,
} from '../../../core/schemas.ts';
