"use client";
import { useEffect, useRef } from "react";
import Editor from "@monaco-editor/react";
import { clearModelVariables, endsInsideString, monaco, setDiagnosticMarkers, setModelVariables, type TVariableInfo } from "./monaco-env";
import type { TDiagnostic } from "@/lib/templates";

export type TTemplateEditorApi = {
  /** Inserts `#variable` at the cursor (quoted when the cursor is outside a string). */
  insertVariable: (token: string) => void;
  /** Replaces the whole text as one undoable edit (presets). */
  replaceAll: (text: string) => void;
  focus: () => void;
};

export type TTemplateEditorProps = {
  /**
   * The initial text. While the editor is mounted it owns the text (changes
   * come back through onChange); use the API's replaceAll to change it from
   * outside. A read-only editor follows `value`.
   */
  value: string;
  onChange?: (value: string) => void;
  /** Model path: one per editor on a page. */
  path: string;
  label: string;
  variables: TVariableInfo[];
  diagnostics?: readonly TDiagnostic[];
  readOnly?: boolean;
  height?: number | string;
  onReady?: (api: TTemplateEditorApi) => void;
};

export default function TemplateEditorImpl({ value, onChange, path, label, variables, diagnostics, readOnly = false, height = 420, onReady }: TTemplateEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const diagnosticsRef = useRef(diagnostics);
  diagnosticsRef.current = diagnostics;
  const uri = monaco.Uri.parse(`file:///${path}`).toString();

  useEffect(() => {
    setModelVariables(uri, variables);
  }, [uri, variables]);
  useEffect(() => () => clearModelVariables(uri), [uri]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) setDiagnosticMarkers(model, diagnostics ?? []);
  }, [diagnostics]);

  // A read-only view follows its value (e.g. after the webhook was edited).
  useEffect(() => {
    const editor = editorRef.current;
    if (readOnly && editor && editor.getValue() !== value) editor.setValue(value);
  }, [readOnly, value]);

  return (
    <div className="overflow-hidden rounded-md ring-1 ring-slate-300">
      <Editor
        height={height}
        language="json"
        path={`file:///${path}`}
        defaultValue={value}
        onChange={(v) => onChange?.(v ?? "")}
        loading={<div className="p-4 text-sm text-slate-500">Loading editor…</div>}
        options={{
          readOnly,
          domReadOnly: readOnly,
          ariaLabel: label,
          minimap: { enabled: false },
          fontSize: 13,
          lineNumbersMinChars: 3,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          tabSize: 2,
          wordWrap: "on",
          renderLineHighlight: readOnly ? "none" : "line",
          // JSON counts "#" as a word character, so "#" opens suggestions through quick
          // suggest (the provider answers only after a "#"); no word-based noise.
          quickSuggestions: { strings: true, other: true, comments: false },
          quickSuggestionsDelay: 10,
          wordBasedSuggestions: "off",
          suggestOnTriggerCharacters: true,
          suggest: { showInlineDetails: true, preview: false },
          fixedOverflowWidgets: true,
          scrollbar: { alwaysConsumeMouseWheel: false },
        }}
        onMount={(editor) => {
          editorRef.current = editor;
          const model = editor.getModel();
          if (model && model.getValue() !== value) model.setValue(value);
          if (model) setDiagnosticMarkers(model, diagnosticsRef.current ?? []);
          const replace = (range: monaco.IRange, text: string, source: string) => {
            editor.pushUndoStop();
            editor.executeEdits(source, [{ range, text, forceMoveMarkers: true }]);
            editor.pushUndoStop();
          };
          onReady?.({
            focus: () => editor.focus(),
            replaceAll: (text) => {
              const m = editor.getModel();
              if (m) replace(m.getFullModelRange(), text, "preset");
            },
            insertVariable: (token) => {
              const selection = editor.getSelection();
              const m = editor.getModel();
              if (!selection || !m) return;
              const before = m.getValueInRange({ startLineNumber: selection.startLineNumber, startColumn: 1, endLineNumber: selection.startLineNumber, endColumn: selection.startColumn });
              replace(selection, endsInsideString(before) ? token : `"${token}"`, "variables-panel");
              editor.focus();
            },
          });
        }}
      />
    </div>
  );
}
