import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { ImportPage } from "@/components/transfer/import-page";
import { EmptyState } from "@/components/ui/misc";

export const metadata = { title: "Import webhooks" };

export default async function Page() {
  const ctx = await requirePageSession();
  if (!can(ctx.actor.role, "webhook:create")) return <EmptyState title="Admins only">Ask an admin of your organization to import webhooks.</EmptyState>;
  return <ImportPage />;
}
