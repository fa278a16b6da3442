import Link from "next/link";
import type { TWebhookListItem } from "@/lib/domain/webhooks";
import { Badge, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/misc";

export function WebhookList({ webhooks, canCreate }: { webhooks: TWebhookListItem[]; canCreate: boolean }) {
  const newButton = canCreate ? (
    <Link href="/webhooks/new" className="inline-flex items-center rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700">
      New webhook
    </Link>
  ) : null;
  return (
    <div>
      <PageHeader title="Webhooks" description="Messages your organization sends to other systems when something happens." actions={webhooks.length ? newButton : null} />
      {webhooks.length === 0 ? (
        <EmptyState title="No webhooks yet" action={newButton}>
          A webhook sends a JSON message to a URL of yours when an alert fires, a microservice runs, an object changes, an operation runs or a ticket changes.
        </EmptyState>
      ) : (
        <Table label="Webhooks">
          <thead>
            <tr><Th>Name</Th><Th>Event type</Th><Th>Target URL</Th><Th>Status</Th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {webhooks.map((w) => (
              <tr key={w.id}>
                <Td className="font-medium"><Link className="text-brand-700 hover:underline" href={`/webhooks/${w.id}`}>{w.name}</Link></Td>
                <Td>{w.eventTypes.join(", ")}</Td>
                <Td className="max-w-xs truncate font-mono text-xs">{w.targetUrl}</Td>
                <Td>{w.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone={w.disabledReason ? "amber" : "gray"}>{w.disabledReason ? "Auto-disabled" : "Disabled"}</Badge>}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
