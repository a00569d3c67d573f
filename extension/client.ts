// Starts the runner's language server over IPC; the client restarts it after a crash (and says so in the log).
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { LANGUAGE_IDS, NOTEBOOK_CELL_SCHEME, NOTEBOOK_LANGUAGE_IDS } from '../protocol/languages';
import { SERVER_EXEC_ARGV } from '../protocol/lsp';
import { readConfig } from './config';

export function createClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6010'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // Files, and the cells of notebooks (each cell is a text document of its own, synced as one).
    documentSelector: [
      ...LANGUAGE_IDS.map((language) => ({ scheme: 'file', language })),
      ...NOTEBOOK_LANGUAGE_IDS.map((language) => ({ scheme: NOTEBOOK_CELL_SCHEME, language })),
    ],
    outputChannel: log,
    middleware: {
      // amdahl.codeLens turns the lenses off per folder; read at each request so a change applies at once.
      provideCodeLenses: (document, token, next) => {
        const config = readConfig(document.uri);
        if (config.ok && !config.value.codeLens) return [];
        return next(document, token);
      },
    },
  };
  return new LanguageClient('amdahl', 'Amdahl runner', serverOptions, clientOptions);
}
