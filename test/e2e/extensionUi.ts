// The extension's visible surface that the scenarios rely on, in one place: command titles, lens texts, settings.
export const PROFILE_COMMAND_TITLE = 'Profile Parallel Speedup';

/** "Amdahl: Record Inputs...": records the calls a command makes, then offers to profile over them. */
export const RECORD_COMMAND_TITLE = 'Record Inputs...';

/** The lens above a function before it has been profiled. */
export const PROFILE_LENS = /Profile/i;

/** The lens after a profile: it shows the result, a speedup such as "2.0x" or "1.85×". */
export const RESULT_LENS = /\d+(\.\d+)?\s*[x×]/;

/** The progress notification of a running profile ("Amdahl: profiling fn"); the run's errors also start "Amdahl:". */
export const PROGRESS_NOTIFICATION = /Amdahl: profiling/i;

/** Keeps runs short on a 2-core machine: two worker counts, a few samples, a pass limit. */
export const QUICK_RUN_SETTINGS: Record<string, unknown> = {
  'amdahl.workers': [1, 2],
  'amdahl.repeat': 3,
  'amdahl.budgetSeconds': 10,
  'amdahl.timeoutSeconds': 120,
};
