// Node flags the extension starts the language server with: the server is idle most of the time, so a small
// young generation keeps its resident memory down (it holds a few documents and parse trees, no big heaps).
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=1'];
