"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ZInviteMember, type TInviteMember } from "@/lib/validation/member";
import { ROLE_LABELS, ROLES, type TRole } from "@/lib/auth/permissions";
import { changeMemberRoleAction, inviteMemberAction, removeMemberAction, revokeInvitationAction } from "@/app/actions/members";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Alert, Card, PageHeader, Table, Td, Th } from "@/components/ui/misc";
import { fetchJson, settingsKeys, type TInvitationRow, type TMemberRow } from "./queries";

type TMembersData = { members: TMemberRow[]; invitations: TInvitationRow[] };

export function MembersPage({ canManage, currentUserId }: { canManage: boolean; currentUserId: string }) {
  const queryClient = useQueryClient();
  const { data, isLoading, error } = useQuery({ queryKey: settingsKeys.members(), queryFn: () => fetchJson<TMembersData>("/api/v1/members") });
  const [message, setMessage] = useState<{ tone: "red" | "green"; text: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: settingsKeys.members() });

  async function run(p: Promise<{ ok: boolean; error?: { message: string } }>, done: string) {
    const result = await p;
    setMessage(result.ok ? { tone: "green", text: done } : { tone: "red", text: result.error?.message ?? "Failed" });
    await refresh();
  }

  return (
    <div>
      <PageHeader title="Members" description="People of this organization and what each may do." />
      {canManage && <InviteForm onInvited={refresh} />}
      {message && <div className="mb-4"><Alert tone={message.tone}>{message.text}</Alert></div>}
      {error && <Alert>{(error as Error).message}</Alert>}
      {isLoading && <p className="text-sm text-slate-500">Loading members…</p>}
      {data && (
        <Table label="Members">
          <thead>
            <tr><Th>Name</Th><Th>Email</Th><Th>Role</Th>{canManage && <Th className="text-right">Actions</Th>}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.members.map((m) => (
              <tr key={m.membershipId}>
                <Td className="font-medium text-slate-900">{m.name}{m.userId === currentUserId && <span className="ml-2 text-xs text-slate-500">(you)</span>}</Td>
                <Td>{m.email}</Td>
                <Td>
                  {canManage ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300"
                      value={m.role}
                      onChange={(e) => run(changeMemberRoleAction({ membershipId: m.membershipId, role: e.target.value }), `Role of ${m.email} changed.`)}
                    >
                      {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                    </select>
                  ) : (
                    ROLE_LABELS[m.role]
                  )}
                </Td>
                {canManage && (
                  <Td className="text-right">
                    <Button variant="ghost" size="sm" onClick={() => { if (confirm(`Remove ${m.email} from this organization?`)) void run(removeMemberAction({ membershipId: m.membershipId }), `${m.email} removed.`); }}>
                      Remove
                    </Button>
                  </Td>
                )}
              </tr>
            ))}
            {data.invitations.map((inv) => (
              <tr key={inv.id} className="bg-slate-50/60">
                <Td className="italic text-slate-500">Invitation pending</Td>
                <Td>{inv.email}</Td>
                <Td>{ROLE_LABELS[inv.role]}</Td>
                {canManage && (
                  <Td className="text-right">
                    <Button variant="ghost" size="sm" onClick={() => run(revokeInvitationAction({ id: inv.id }), `Invitation for ${inv.email} revoked.`)}>Revoke</Button>
                  </Td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const [link, setLink] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError, reset } = useForm<TInviteMember>({
    resolver: zodResolver(ZInviteMember),
    defaultValues: { email: "", role: "SUPPORT" as TRole },
  });
  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const result = await inviteMemberAction(values);
    if (!result.ok) {
      for (const [field, msg] of Object.entries(result.error.fieldErrors ?? {})) setError(field as keyof TInviteMember, { message: msg });
      setFailure(result.error.message);
      return;
    }
    setLink(result.data.link);
    reset({ email: "", role: values.role });
    onInvited();
  });
  return (
    <Card className="mb-6 p-5">
      <h2 className="text-base font-semibold">Invite a member</h2>
      <p className="mt-1 text-sm text-slate-600">Creates a one-time link valid for 7 days. Send it to the person yourself.</p>
      <form onSubmit={onSubmit} noValidate className="mt-4 flex flex-wrap items-start gap-3">
        <TextField label="Email" type="email" className="w-72" error={formState.errors.email?.message} {...register("email")} />
        <SelectField label="Role" className="w-52" error={formState.errors.role?.message} {...register("role")}>
          {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
        </SelectField>
        <Button type="submit" className="mt-6" disabled={formState.isSubmitting}>Create invitation link</Button>
      </form>
      {failure && <div className="mt-3"><Alert>{failure}</Alert></div>}
      {link && (
        <div className="mt-4">
          <Alert tone="green" title="Invitation link (shown once)">
            <code className="break-all font-mono text-xs" aria-label="Invitation link">{link}</code>
          </Alert>
        </div>
      )}
    </Card>
  );
}
