"use client";
import { useState } from "react";
import { Button } from "./button";

/** Copies text to the clipboard; says so for a moment (and in a live region). */
export function CopyButton({ text, label = "Copy", copiedLabel = "Copied", className, size = "sm", onError }: { text: string | (() => string); label?: string; copiedLabel?: string; className?: string; size?: "sm" | "md"; onError?: () => void }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(typeof text === "function" ? text() : text);
      setState("copied");
    } catch {
      setState("failed");
      onError?.();
    }
    setTimeout(() => setState("idle"), 2000);
  }
  return (
    <Button variant="secondary" size={size} className={className} onClick={copy} aria-label={label}>
      <span aria-live="polite">{state === "copied" ? copiedLabel : state === "failed" ? "Copy failed" : label}</span>
    </Button>
  );
}
