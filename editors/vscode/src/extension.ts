// Starts `imprimatur lsp` for Markdown and MDX pages. Everything the writer
// sees — findings, fixes, explanations, owners and approvals — comes from
// the server; this file only starts it and turns the server's
// "suppress on this line" action into a real snippet (the cursor lands in
// the reason), which VS Code's workspace edits cannot carry.
import * as vscode from "vscode";
import {
  CodeAction as ProtocolCodeAction,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

const INSERT_SNIPPET = "imprimatur.insertSuppression";

interface SnippetData {
  snippet: string;
  position: { line: number; character: number };
}

function hasSnippet(data: unknown): data is SnippetData {
  const d = data as SnippetData | undefined;
  return typeof d?.snippet === "string" && typeof d?.position?.line === "number";
}

function makeClient(): LanguageClient {
  const settings = vscode.workspace.getConfiguration("imprimatur");
  const command = settings.get<string>("path") || "imprimatur";
  const server: ServerOptions = { command, args: ["lsp"] };
  const watcher = vscode.workspace.createFileSystemWatcher(
    "**/{imprimatur.yml,.imprimatur.yml,.vale.ini,_vale.ini,vale.ini,CODEOWNERS,*.yml,*.yaml,*.ini,*.txt,*.dic,*.aff,*.tengo}"
  );
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "mdx" },
      { scheme: "file", pattern: "**/*.{md,mdx,markdown}" },
    ],
    initializationOptions: { config: settings.get<string | null>("config") ?? undefined },
    synchronize: { fileEvents: watcher },
    middleware: {
      async provideCodeActions(document, range, context, token, next) {
        const actions = (await next(document, range, context, token)) ?? [];
        return actions.map((action) => {
          const data = (action as ProtocolCodeAction).data;
          if (!(action instanceof vscode.CodeAction) || !hasSnippet(data)) {
            return action;
          }
          // Insert the comment as a snippet instead of the plain edit.
          action.edit = undefined;
          action.command = {
            title: action.title,
            command: INSERT_SNIPPET,
            arguments: [document.uri, data],
          };
          return action;
        });
      },
    },
  };
  return new LanguageClient("imprimatur", "imprimatur", server, options);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand(INSERT_SNIPPET, async (uri: vscode.Uri, data: SnippetData) => {
      const editor = await vscode.window.showTextDocument(uri);
      const at = new vscode.Position(data.position.line, data.position.character);
      await editor.insertSnippet(new vscode.SnippetString(data.snippet), at);
    }),
    vscode.commands.registerCommand("imprimatur.restart", async () => {
      await client?.stop();
      client = makeClient();
      await client.start();
    })
  );
  client = makeClient();
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
