import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { EmptyState } from "@/components/ui/misc";
import { WebhookWizard } from "@/components/webhooks/wizard/webhook-wizard";

export const metadata = { title: "New webhook" };

export default async function Page() {
  const ctx = await requirePageSession();
  if (!can(ctx.actor.role, "webhook:create")) return <EmptyState title="Admins only">Only an organization admin can create webhooks.</EmptyState>;
  return <WebhookWizard mode="create" canConfigure canToggle={can(ctx.actor.role, "webhook:toggle")} />;
}
