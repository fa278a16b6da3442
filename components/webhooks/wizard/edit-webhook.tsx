"use client";
import { useQuery } from "@tanstack/react-query";
import { Alert, EmptyState } from "@/components/ui/misc";
import { fetchWebhook, HttpError, webhookKeys } from "../queries";
import { WebhookWizard } from "./webhook-wizard";

/** Loads the webhook, then the wizard with its values (fresh each time: no background refetch while editing). */
export function EditWebhook({ id, canConfigure, canToggle }: { id: string; canConfigure: boolean; canToggle: boolean }) {
  const { data, error, isPending } = useQuery({ queryKey: webhookKeys.detail(id), queryFn: () => fetchWebhook(id), staleTime: 0, refetchOnWindowFocus: false });
  if (isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (error) return error instanceof HttpError && error.status === 404 ? <EmptyState title="Webhook not found">It may have been deleted.</EmptyState> : <Alert>{error.message}</Alert>;
  return <WebhookWizard key={data.id} mode="edit" webhook={data} canConfigure={canConfigure} canToggle={canToggle} />;
}
