import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { WebhookDetail } from "@/components/webhooks/detail/webhook-detail";

export const metadata = { title: "Webhook" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageSession();
  const { id } = await params;
  const role = ctx.actor.role;
  return (
    <WebhookDetail
      id={id}
      permissions={{
        toggle: can(role, "webhook:toggle"),
        test: can(role, "webhook:test"),
        configure: can(role, "webhook:configure"),
        template: can(role, "webhook:template"),
        remove: can(role, "webhook:delete"),
        retry: can(role, "message:retry"),
        reveal: can(role, "secret:reveal"),
      }}
    />
  );
}
