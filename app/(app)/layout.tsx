import type { ReactNode } from "react";
import { requirePageSession } from "@/lib/auth/session";
import { AppShell } from "@/components/shell/app-shell";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const ctx = await requirePageSession();
  return (
    <AppShell
      user={ctx.user}
      role={ctx.actor.role}
      organization={ctx.organization}
      memberships={ctx.memberships}
    >
      {children}
    </AppShell>
  );
}
