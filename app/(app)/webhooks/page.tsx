import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { WebhookList } from "@/components/webhooks/webhook-list";

export const metadata = { title: "Webhooks" };

export default async function Page() {
  const ctx = await requirePageSession();
  return <WebhookList canCreate={can(ctx.actor.role, "webhook:create")} />;
}
