"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { can, type TRole } from "@/lib/auth/permissions";

export function NavLinks({ role }: { role: TRole }) {
  const pathname = usePathname();
  const links = [
    { href: "/webhooks", label: "Webhooks", show: true },
    { href: "/settings/members", label: "Members", show: true },
    { href: "/settings/api-keys", label: "API keys", show: can(role, "apikey:manage") },
    { href: "/audit", label: "Audit log", show: can(role, "audit:read") },
    { href: "/api-reference", label: "API", show: true },
  ];
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {links.filter((l) => l.show).map((l) => {
        const active = pathname === l.href || pathname.startsWith(l.href + "/");
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            className={cn("rounded-md px-3 py-1.5 text-sm font-medium", active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900")}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
