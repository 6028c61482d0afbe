// How long API Gateway reuses the HTTP authorizer's answer for one identity source (the cookie
// header). One value for both sides: the CDK stack's default `resultsCacheTtl` and the local
// gateway's emulation of that cache, so local latency and revocation delay match the cloud's.
//
// A cached answer outlives the session it names: a signed-out cookie keeps working until its entry
// expires, and API Gateway offers no way to evict one. So the TTL is the revocation delay, and it is
// 0 (no cache): every session route pays one authorizer call (a warm Lambda and one indexed read
// of `sessions`, a few milliseconds), and a revoked session is refused on the very next request.
// docs/architecture.md ("Authentication") weighs this against a short TTL.

/** The longest a revoked session may still be accepted on any HTTP route. */
export const REVOCATION_BOUND_SECONDS = 5;

export const AUTHORIZER_CACHE_TTL_SECONDS = 0;
