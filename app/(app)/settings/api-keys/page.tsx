import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { ApiKeysPage } from "@/components/settings/api-keys-page";
import { EmptyState } from "@/components/ui/misc";

export const metadata = { title: "API keys" };

export default async function Page() {
  const ctx = await requirePageSession();
  if (!can(ctx.actor.role, "apikey:manage")) return <EmptyState title="Admins only">Ask an admin of your organization to manage API keys.</EmptyState>;
  return <ApiKeysPage />;
}
