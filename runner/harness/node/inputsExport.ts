// The names both sides agree on for the inputs expression compiled into the target (kept apart from
// compileTarget.ts so worker threads do not load esbuild).

/** The function appended to the entry that evaluates the inputs expression in its scope. */
export const INPUTS_EXPORT = '__amdahlInputs';
