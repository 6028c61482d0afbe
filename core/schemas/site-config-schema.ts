// The site's runtime configuration, `/config.json` next to index.html: the deployed stack writes it to
// the site bucket, the local gateway renders it, and the web app reads it at start.
import * as v from 'valibot';

export const siteConfigSchema = v.object({
  /** The WebSocket API the app connects to for pokes; null: there is none, the app polls. */
  webSocketUrl: v.nullable(v.pipe(v.string(), v.regex(/^wss?:\/\//, 'Expected a ws:// or wss:// URL.'))),
});
export type SiteConfig = v.InferOutput<typeof siteConfigSchema>;
