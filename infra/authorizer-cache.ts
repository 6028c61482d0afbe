// How long API Gateway reuses the HTTP authorizer's answer for one identity source (the cookie
// header). One value for both sides: the CDK stack's default `resultsCacheTtl` and the local
// gateway's emulation of that cache, so local latency and revocation delay match the cloud's.
export const AUTHORIZER_CACHE_TTL_SECONDS = 60;
