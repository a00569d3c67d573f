// Notebook cells in VS Code's notebook editor: a cell's text document belongs to a notebook, which is what is
// saved and profiled; an error found in a cell takes the user to that cell and line.
import * as vscode from 'vscode';
import { NOTEBOOK_CELL_SCHEME } from '../protocol/languages';
import type { Message } from '../protocol/report';

/** The notebook a cell's text document belongs to; undefined for a document that is no cell. */
export function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== NOTEBOOK_CELL_SCHEME) return undefined;
  return vscode.workspace.notebookDocuments.find((notebook) =>
    notebook.getCells().some((cell) => cell.document === document),
  );
}

/** The cell, and its line, of a notebook target's error: shows the notebook there, the cursor on that line. */
export async function revealErrorCell(cellUri: string, error: Message): Promise<void> {
  const uri = vscode.Uri.parse(cellUri);
  if (uri.scheme !== NOTEBOOK_CELL_SCHEME || !error.cell) return;
  const { index, line } = error.cell;
  const notebook =
    vscode.workspace.notebookDocuments.find((n) => n.uri.fsPath === uri.fsPath) ??
    (await vscode.workspace.openNotebookDocument(vscode.Uri.file(uri.fsPath)));
  if (index >= notebook.cellCount) return;
  const shownIn = vscode.window.visibleNotebookEditors.find((editor) => editor.notebook === notebook);
  const editor = await vscode.window.showNotebookDocument(notebook, {
    viewColumn: shownIn?.viewColumn,
    selections: [new vscode.NotebookRange(index, index + 1)],
  });
  editor.revealRange(
    new vscode.NotebookRange(index, index + 1),
    vscode.NotebookEditorRevealType.InCenterIfOutsideViewport,
  );
  // The cell's own text editor exists once the notebook editor has rendered the cell.
  const cell = notebook.cellAt(index).document;
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  const textEditor = await vscode.window.showTextDocument(cell, {
    viewColumn: editor.viewColumn,
    selection: new vscode.Range(position, position),
  });
  textEditor.revealRange(new vscode.Range(position, position));
}
