import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listWebhooks } from "@/lib/domain/webhooks";
import { WebhookList } from "@/components/webhooks/webhook-list";

export const metadata = { title: "Webhooks" };

export default async function Page() {
  const ctx = await requirePageSession();
  const webhooks = await listWebhooks({ actor: ctx.actor });
  return <WebhookList webhooks={webhooks} canCreate={can(ctx.actor.role, "webhook:create")} />;
}
