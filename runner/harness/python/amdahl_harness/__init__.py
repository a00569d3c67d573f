"""The stdlib-only Python harness: speaks protocol/harness.ts with the Node runner over stdin and fd 3."""
