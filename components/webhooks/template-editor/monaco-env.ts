/**
 * Monaco served by the app itself, never from a CDN: the `monaco-editor`
 * package is bundled (editor API + the JSON language only) and handed to
 * @monaco-editor/react with `loader.config({ monaco })`; its web workers are
 * bundled too (`new Worker(new URL(…, import.meta.url))`). Browser-only:
 * import this module through a dynamic import.
 *
 * `editor.api` is the bare editor: the features a template author uses are
 * imported one by one below (suggest, hover for markers, find, folding…) —
 * the other languages and features of `editor.main` stay out of the bundle.
 *
 * Also registers, once, the `#variable` completion of webhook templates: each
 * editor model registers the variables of its event types under its URI.
 */
import * as monaco from "monaco-editor/editor/editor.api.js";
import "monaco-editor/features/codicon/register.js";
import "monaco-editor/editor/browser/coreCommands.js";
import "monaco-editor/editor/common/standaloneStrings.js";
import "monaco-editor/editor/contrib/suggest/browser/suggestController.js";
import "monaco-editor/editor/contrib/hover/browser/hoverContribution.js";
import "monaco-editor/editor/contrib/gotoError/browser/gotoError.js";
import "monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus.js";
import "monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js";
import "monaco-editor/editor/contrib/clipboard/browser/clipboard.js";
import "monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js";
import "monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo.js";
import "monaco-editor/features/find/register.js";
import "monaco-editor/editor/contrib/folding/browser/folding.js";
import "monaco-editor/editor/contrib/format/browser/formatActions.js";
import "monaco-editor/editor/contrib/indentation/browser/indentation.js";
import "monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js";
import "monaco-editor/editor/contrib/multicursor/browser/multicursor.js";
import "monaco-editor/editor/contrib/smartSelect/browser/smartSelect.js";
import "monaco-editor/editor/contrib/snippet/browser/snippetController2.js";
import "monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter.js";
import "monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js";
import "monaco-editor/editor/contrib/readOnlyMessage/browser/contribution.js";
import { jsonDefaults } from "monaco-editor/languages/features/json/register.js";
import { loader } from "@monaco-editor/react";
import type { TDiagnostic } from "@/lib/templates";
import { sampleText } from "./sample";

export { monaco };

export type TVariableInfo = { token: string; caption: string; sample: unknown };

type TMonacoEnvironment = { getWorker: (workerId: string, label: string) => Worker };

(globalThis as unknown as { MonacoEnvironment: TMonacoEnvironment }).MonacoEnvironment = {
  getWorker(_workerId, label) {
    if (label === "json") return new Worker(new URL("monaco-editor/language/json/json.worker.js", import.meta.url), { type: "module" });
    return new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), { type: "module" });
  },
};

// The template linter (lintTemplate) reports JSON errors with Hookyard's own
// messages; the JSON worker's own validation and schema completion would
// duplicate or contradict them.
jsonDefaults.setDiagnosticsOptions({ validate: false });
jsonDefaults.setModeConfiguration({
  documentFormattingEdits: true,
  documentRangeFormattingEdits: true,
  completionItems: false,
  hovers: false,
  documentSymbols: true,
  tokens: true,
  colors: false,
  foldingRanges: true,
  diagnostics: false,
  selectionRanges: true,
});

loader.config({ monaco });

const contexts = new Map<string, TVariableInfo[]>();

/** The variables offered by completion in one model (by its URI). */
export function setModelVariables(uri: string, variables: TVariableInfo[]): void {
  contexts.set(uri, variables);
}

export function clearModelVariables(uri: string): void {
  contexts.delete(uri);
}

/** True when the text (one line, up to the cursor) ends inside a JSON string literal. */
export function endsInsideString(textBefore: string): boolean {
  let inside = false;
  for (let i = 0; i < textBefore.length; i++) {
    const c = textBefore[i];
    if (inside && c === "\\") {
      i++;
      continue;
    }
    if (c === '"') inside = !inside;
  }
  return inside;
}


monaco.languages.registerCompletionItemProvider("json", {
  triggerCharacters: ["#"],
  provideCompletionItems(model, position) {
    const variables = contexts.get(model.uri.toString());
    if (!variables) return { suggestions: [] };
    const before = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
    const match = /#[A-Za-z0-9_]*$/.exec(before);
    if (!match) return { suggestions: [] };
    // Just completed (or typed in full): do not reopen the list for a finished variable.
    const typed = match[0];
    if (variables.some((v) => v.token === typed) && !variables.some((v) => v.token !== typed && v.token.startsWith(typed))) return { suggestions: [] };
    const inString = endsInsideString(before.slice(0, before.length - match[0].length));
    const range = new monaco.Range(position.lineNumber, position.column - match[0].length, position.lineNumber, position.column);
    return {
      suggestions: variables.map((v, i) => ({
        label: { label: v.token, detail: `  e.g. ${truncate(sampleText(v.sample), 28)}`, description: v.caption },
        kind: monaco.languages.CompletionItemKind.Variable,
        detail: `Sample: ${sampleText(v.sample)}`,
        documentation: { value: `**${v.caption}**\n\nSample value: \`${sampleText(v.sample)}\`` },
        insertText: inString ? v.token : `"${v.token}"`,
        filterText: v.token,
        sortText: String(i).padStart(4, "0"),
        range,
      })),
    };
  },
});

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Template diagnostics (lintTemplate) as Monaco markers of a model. */
export function setDiagnosticMarkers(model: monaco.editor.ITextModel, diagnostics: readonly TDiagnostic[]): void {
  monaco.editor.setModelMarkers(
    model,
    "hookyard-template",
    diagnostics.map((d) => ({
      severity: d.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      message: d.message,
      code: d.code,
      startLineNumber: d.line,
      startColumn: d.column,
      endLineNumber: d.endLine ?? d.line,
      endColumn: Math.max(d.endColumn ?? d.column + 1, d.column + 1),
    })),
  );
}
