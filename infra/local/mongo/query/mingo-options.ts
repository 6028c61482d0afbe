// Options for every mingo call on client input: no server-side JavaScript ($where, $function,
// $accumulator). MongoDB would run it; this server refuses it (NotImplemented) instead.
export const MINGO_OPTIONS = { scriptEnabled: false } as const;
