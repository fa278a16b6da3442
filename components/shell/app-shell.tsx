import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "./logo";
import { NavLinks } from "./nav-links";
import { OrgSwitcher } from "./org-switcher";
import { SignOutButton } from "./sign-out-button";
import { NotificationsBell } from "./notifications-bell";
import { ROLE_LABELS, type TRole } from "@/lib/auth/permissions";

type TProps = {
  user: { email: string; name: string };
  role: TRole;
  organization: { id: string; name: string };
  memberships: { organizationId: string; organizationName: string; role: TRole }[];
  children: ReactNode;
};

export function AppShell({ user, role, organization, memberships, children }: TProps) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4 sm:px-6">
          <Link href="/webhooks" className="text-lg"><Logo /></Link>
          <NavLinks role={role} />
          <div className="ml-auto flex items-center gap-3">
            <NotificationsBell />
            <OrgSwitcher current={organization} memberships={memberships} />
            <div className="hidden text-right leading-tight sm:block">
              <p className="text-sm font-medium text-slate-800">{user.name}</p>
              <p className="text-xs text-slate-500">{user.email} · {ROLE_LABELS[role]}</p>
            </div>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
