"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { deleteWebhookAction } from "@/app/actions/webhooks";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { webhookKeys, type TWebhook } from "../queries";

/** Delete is permanent (003): confirmed by typing the webhook's name. */
export function DeleteDialog({ open, onClose, webhook }: { open: boolean; onClose: () => void; webhook: TWebhook }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const matches = typed.trim() === webhook.name.trim();

  async function remove() {
    setBusy(true);
    setFailure(null);
    const r = await deleteWebhookAction({ id: webhook.id });
    if (!r.ok) {
      setBusy(false);
      return setFailure(r.error.message);
    }
    queryClient.removeQueries({ queryKey: webhookKeys.detail(webhook.id) });
    await queryClient.invalidateQueries({ queryKey: webhookKeys.lists() });
    router.push("/webhooks");
  }

  return (
    <Dialog
      open={open}
      onClose={() => {
        setTyped("");
        setFailure(null);
        onClose();
      }}
      size="sm"
      title="Delete webhook"
      description="This permanently deletes the webhook, its messages and its attempt history. It cannot be undone."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button variant="danger" onClick={remove} disabled={!matches || busy}>{busy ? "Deleting…" : "Delete permanently"}</Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (matches) void remove();
        }}
      >
        <TextField label={`Type the name “${webhook.name}” to confirm`} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </form>
      {failure && <div className="mt-3"><Alert>{failure}</Alert></div>}
    </Dialog>
  );
}
