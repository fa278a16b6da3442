import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { EmptyState } from "@/components/ui/misc";
import { EditWebhook } from "@/components/webhooks/wizard/edit-webhook";

export const metadata = { title: "Edit webhook" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageSession();
  const { id } = await params;
  const role = ctx.actor.role;
  if (!can(role, "webhook:configure") && !can(role, "webhook:template")) {
    return <EmptyState title="You cannot edit webhooks">Your role can read webhooks and their deliveries, retry and recover messages. Ask an admin to change this webhook.</EmptyState>;
  }
  return <EditWebhook id={id} canConfigure={can(role, "webhook:configure")} canToggle={can(role, "webhook:toggle")} />;
}
