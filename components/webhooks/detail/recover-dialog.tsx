"use client";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { recoverFailedAction } from "@/app/actions/webhooks";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { localInputToIso, webhookKeys } from "../queries";

function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Recover: every failed (or skipped) message of the webhook since a time goes back to the queue. */
export function RecoverDialog({ open, onClose, webhookId }: { open: boolean; onClose: () => void; webhookId: string }) {
  const queryClient = useQueryClient();
  const [since, setSince] = useState(() => localInput(new Date(Date.now() - 24 * 3_600_000)));
  const [result, setResult] = useState<{ tone: "red" | "green"; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit() {
    const iso = localInputToIso(since);
    if (!iso) return setFieldError("Enter a date and time");
    setBusy(true);
    setResult(null);
    setFieldError(undefined);
    const r = await recoverFailedAction({ id: webhookId, since: iso });
    setBusy(false);
    if (!r.ok) {
      setFieldError(r.error.fieldErrors?.since);
      return setResult({ tone: "red", text: r.error.message });
    }
    setResult({ tone: "green", text: r.data.recovered ? `${r.data.recovered} message${r.data.recovered === 1 ? "" : "s"} queued again.` : "No failed messages since then." });
    await queryClient.invalidateQueries({ queryKey: webhookKeys.detail(webhookId) });
  }

  return (
    <Dialog
      open={open}
      onClose={() => {
        setResult(null);
        onClose();
      }}
      title="Recover failed messages"
      description="Failed and skipped messages created since this time are sent again, in order, once the receiver is fixed."
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Close</Button>
          <Button onClick={submit} disabled={busy}>{busy ? "Recovering…" : "Recover"}</Button>
        </>
      }
    >
      <TextField label="Failed since" type="datetime-local" value={since} error={fieldError} onChange={(e) => setSince(e.target.value)} />
      {result && <div className="mt-3"><Alert tone={result.tone}>{result.text}</Alert></div>}
    </Dialog>
  );
}
