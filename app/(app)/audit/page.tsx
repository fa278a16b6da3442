import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { AuditLogPage } from "@/components/audit/audit-log-page";
import { EmptyState } from "@/components/ui/misc";

export const metadata = { title: "Audit log" };

export default async function Page() {
  const ctx = await requirePageSession();
  if (!can(ctx.actor.role, "audit:read")) return <EmptyState title="Admins only">Ask an admin of your organization for the audit log.</EmptyState>;
  return <AuditLogPage />;
}
