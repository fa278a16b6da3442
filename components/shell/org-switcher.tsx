"use client";
import { useTransition } from "react";
import { switchOrganizationAction } from "@/app/actions/session";
import type { TRole } from "@/lib/auth/permissions";

type TProps = { current: { id: string; name: string }; memberships: { organizationId: string; organizationName: string; role: TRole }[] };

export function OrgSwitcher({ current, memberships }: TProps) {
  const [pending, startTransition] = useTransition();
  if (memberships.length < 2) return <span className="rounded-md bg-slate-100 px-2.5 py-1 text-sm font-medium text-slate-700">{current.name}</span>;
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Organization</span>
      <select
        aria-label="Organization"
        className="rounded-md border-0 bg-slate-100 py-1 pl-2.5 pr-8 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-200"
        value={current.id}
        disabled={pending}
        onChange={(e) => {
          const organizationId = e.target.value;
          startTransition(async () => {
            const result = await switchOrganizationAction({ organizationId });
            if (result.ok) window.location.assign("/webhooks");
          });
        }}
      >
        {memberships.map((m) => (
          <option key={m.organizationId} value={m.organizationId}>{m.organizationName}</option>
        ))}
      </select>
    </label>
  );
}
