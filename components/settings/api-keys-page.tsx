"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ZCreateApiKey, type TCreateApiKey } from "@/lib/validation/api-key";
import { ROLE_LABELS, ROLES } from "@/lib/auth/permissions";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/actions/api-keys";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Alert, Badge, Card, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/misc";
import { fetchJson, settingsKeys, type TApiKeyRow } from "./queries";

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

export function ApiKeysPage() {
  const queryClient = useQueryClient();
  const { data, error } = useQuery({ queryKey: settingsKeys.apiKeys(), queryFn: () => fetchJson<{ apiKeys: TApiKeyRow[] }>("/api/v1/api-keys") });
  const [created, setCreated] = useState<{ key: string; name: string; prefix: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys() });
  const { register, handleSubmit, formState, setError, reset } = useForm<TCreateApiKey>({
    resolver: zodResolver(ZCreateApiKey),
    defaultValues: { name: "", role: "ADMIN" },
  });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const result = await createApiKeyAction(values);
    if (!result.ok) {
      for (const [field, msg] of Object.entries(result.error.fieldErrors ?? {})) setError(field as keyof TCreateApiKey, { message: msg });
      setFailure(result.error.message);
      return;
    }
    setCreated({ key: result.data.key, name: result.data.name, prefix: result.data.prefix });
    reset({ name: "", role: "ADMIN" });
    await refresh();
  });

  async function revoke(row: TApiKeyRow) {
    if (!confirm(`Revoke "${row.name}" (${row.prefix}…)? Clients using it will get 401 — at once on this server, within seconds on other app servers.`)) return;
    const result = await revokeApiKeyAction({ id: row.id });
    if (!result.ok) setFailure(result.error.message);
    // A revoked key is no use to copy: the one-time banner goes with it.
    else if (created?.prefix === row.prefix) setCreated(null);
    await refresh();
  }

  return (
    <div>
      <PageHeader title="API keys" description={<>Your platform sends events and manages webhooks with <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>.</>} />
      <Card className="mb-6 p-5">
        <h2 className="text-base font-semibold">Create an API key</h2>
        <form onSubmit={onSubmit} noValidate className="mt-4 flex flex-wrap items-start gap-3">
          <TextField label="Key name" className="w-72" placeholder="e.g. RMM platform production" error={formState.errors.name?.message} {...register("name")} />
          <SelectField label="Key role" className="w-52" error={formState.errors.role?.message} {...register("role")}>
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </SelectField>
          <Button type="submit" className="mt-6" disabled={formState.isSubmitting}>Create key</Button>
        </form>
        {failure && <div className="mt-3"><Alert>{failure}</Alert></div>}
        {created && (
          <div className="mt-4">
            <Alert tone="green" title={`New key "${created.name}" — copy it now, it will not be shown again`}>
              <code aria-label="New API key" className="break-all font-mono text-xs">{created.key}</code>
            </Alert>
          </div>
        )}
      </Card>
      {error && <Alert>{(error as Error).message}</Alert>}
      {data && data.apiKeys.length === 0 && <EmptyState title="No API keys yet">Create one for each system that sends events.</EmptyState>}
      {data && data.apiKeys.length > 0 && (
        <Table label="API keys">
          <thead>
            <tr><Th>Name</Th><Th>Key</Th><Th>Role</Th><Th>Created</Th><Th>Last used</Th><Th>Status</Th><Th className="text-right">Actions</Th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.apiKeys.map((k) => (
              <tr key={k.id}>
                <Td className="font-medium text-slate-900">{k.name}</Td>
                <Td><code className="font-mono text-xs">{k.prefix}…</code></Td>
                <Td>{ROLE_LABELS[k.role]}</Td>
                <Td>{when(k.createdAt)}</Td>
                <Td>{when(k.lastUsedAt)}</Td>
                <Td>{k.revokedAt ? <Badge tone="red">Revoked</Badge> : <Badge tone="green">Active</Badge>}</Td>
                <Td className="text-right">
                  {!k.revokedAt && <Button variant="ghost" size="sm" aria-label={`Revoke ${k.name}`} onClick={() => revoke(k)}>Revoke</Button>}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
