// Starts the runner's language server over IPC; the client restarts it after a crash (and says so in the log).
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
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
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'javascriptreact' },
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'typescriptreact' },
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
