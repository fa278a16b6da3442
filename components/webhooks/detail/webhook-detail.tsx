"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { setWebhookEnabledAction } from "@/app/actions/webhooks";
import { Button } from "@/components/ui/button";
import { Alert, EmptyState } from "@/components/ui/misc";
import { Tabs } from "@/components/ui/tabs";
import { fetchWebhook, HttpError, webhookKeys } from "../queries";
import { WebhookStatusBadge } from "../status-badge";
import { eventTypesLabel } from "../format";
import { OverviewTab } from "./overview-tab";
import { MetricsTab } from "./metrics-tab";
import { TestDialog } from "./test-dialog";
import { DeleteDialog } from "./delete-dialog";
import type { TDetailPermissions } from "./permissions";

type TTabKey = "overview" | "metrics";

/** The detail view of 003: header with actions, Overview and Metrics tabs. */
export function WebhookDetail({ id, permissions }: { id: string; permissions: TDetailPermissions }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const queryClient = useQueryClient();
  const tab: TTabKey = search.get("tab") === "metrics" ? "metrics" : "overview";
  const { data: webhook, error, isPending } = useQuery({ queryKey: webhookKeys.detail(id), queryFn: () => fetchWebhook(id) });
  const [dialog, setDialog] = useState<"test" | "delete" | null>(null);
  const [toggling, setToggling] = useState(false);
  const [notice, setNotice] = useState<{ tone: "red" | "green"; text: string } | null>(null);

  if (isPending) return <div className="h-48 animate-pulse rounded-lg bg-white ring-1 ring-slate-200" aria-label="Loading webhook" />;
  if (error) {
    return error instanceof HttpError && error.status === 404 ? (
      <EmptyState title="Webhook not found" action={<Link className="text-sm font-medium text-brand-700 hover:underline" href="/webhooks">Back to webhooks</Link>}>It may have been deleted.</EmptyState>
    ) : (
      <Alert>{error.message}</Alert>
    );
  }

  async function toggle() {
    if (!webhook) return;
    setToggling(true);
    setNotice(null);
    const result = await setWebhookEnabledAction({ id, enabled: !webhook.enabled });
    setToggling(false);
    if (!result.ok) return setNotice({ tone: "red", text: result.error.message });
    setNotice({ tone: "green", text: result.data.enabled ? "Webhook enabled: matching events now send messages." : "Webhook disabled: no new messages are created." });
    await queryClient.invalidateQueries({ queryKey: webhookKeys.detail(id) });
    await queryClient.invalidateQueries({ queryKey: webhookKeys.lists() });
  }

  const setTab = (next: TTabKey) => {
    const params = new URLSearchParams(search.toString());
    if (next === "overview") params.delete("tab");
    else params.set("tab", next);
    const qs = params.toString();
    router.replace(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false });
  };

  const canEdit = permissions.configure || permissions.template;

  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href="/webhooks" className="hover:text-slate-800 hover:underline">Webhooks</Link>
        <span aria-hidden="true"> / </span>
        <span className="text-slate-700">{webhook.name}</span>
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{webhook.name}</h1>
            <WebhookStatusBadge enabled={webhook.enabled} disabledReason={webhook.disabledReason} />
          </div>
          <p className="mt-1 text-sm text-slate-600">
            {eventTypesLabel(webhook.eventTypes)} → <span className="break-all font-mono text-xs">{webhook.targetUrl}</span>
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {permissions.toggle && (
            <Button variant={webhook.enabled ? "secondary" : "primary"} onClick={toggle} disabled={toggling}>
              {webhook.enabled ? "Disable" : "Enable"}
            </Button>
          )}
          {permissions.test && (
            <Button variant="secondary" onClick={() => setDialog("test")}>Test</Button>
          )}
          {canEdit && (
            <Link href={`/webhooks/${id}/edit`} className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              {permissions.configure ? "Edit" : "Edit template"}
            </Link>
          )}
          {permissions.remove && (
            <Button variant="danger" onClick={() => setDialog("delete")}>Delete</Button>
          )}
        </div>
      </div>
      {notice && (
        <div className="mb-4">
          <Alert tone={notice.tone}>{notice.text}</Alert>
        </div>
      )}
      <Tabs<TTabKey>
        label="Webhook sections"
        value={tab}
        onChange={setTab}
        tabs={[
          { key: "overview", label: "Overview" },
          { key: "metrics", label: "Metrics" },
        ]}
      >
        {tab === "overview" ? <OverviewTab webhook={webhook} permissions={permissions} /> : <MetricsTab webhook={webhook} permissions={permissions} />}
      </Tabs>
      {permissions.test && <TestDialog open={dialog === "test"} onClose={() => setDialog(null)} webhook={webhook} />}
      {permissions.remove && <DeleteDialog open={dialog === "delete"} onClose={() => setDialog(null)} webhook={webhook} />}
    </div>
  );
}
