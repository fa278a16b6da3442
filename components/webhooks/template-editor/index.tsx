"use client";
import dynamic from "next/dynamic";
import type { TTemplateEditorProps } from "./editor-impl";

export type { TTemplateEditorApi, TTemplateEditorProps } from "./editor-impl";

/** The Monaco template editor, loaded in the browser only (bundled with the app, no CDN). */
export const TemplateEditor = dynamic<TTemplateEditorProps>(() => import("./editor-impl"), {
  ssr: false,
  loading: () => <div className="flex h-[200px] items-center justify-center rounded-md bg-white text-sm text-slate-500 ring-1 ring-slate-300">Loading editor…</div>,
});
