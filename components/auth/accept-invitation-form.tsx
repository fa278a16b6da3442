"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { ZAcceptInvitation, type TAcceptInvitation } from "@/lib/validation/auth";
import { acceptInvitationAction } from "@/app/actions/invitations";
import { ROLE_LABELS, type TRole } from "@/lib/auth/permissions";
import { TextField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/misc";
import { AuthCard } from "./auth-card";

type TProps = { token: string; email: string; role: TRole; organizationName: string; existingUser: boolean };

export function AcceptInvitationForm({ token, email, role, organizationName, existingUser }: TProps) {
  const [state, setState] = useState<{ done?: boolean; error?: string }>({});
  const { register, handleSubmit, formState } = useForm<TAcceptInvitation>({
    resolver: zodResolver(ZAcceptInvitation),
    defaultValues: { token, name: "", password: "" },
  });
  const subtitle = <>Join <strong>{organizationName}</strong> as {ROLE_LABELS[role]} with {email}.</>;
  if (state.done) {
    return (
      <AuthCard title="You're in" subtitle={subtitle}>
        <a className="text-sm font-medium text-brand-700 hover:underline" href="/sign-in">Continue to sign in</a>
      </AuthCard>
    );
  }
  const accept = async (values: TAcceptInvitation | { token: string }) => {
    const result = await acceptInvitationAction(values);
    setState(result.ok ? { done: true } : { error: result.error.message });
  };
  if (existingUser) {
    return (
      <AuthCard title="Join organization" subtitle={subtitle}>
        {state.error && <div className="mb-3"><Alert>{state.error}</Alert></div>}
        <Button className="w-full" onClick={() => accept({ token })}>Accept invitation</Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create your account" subtitle={subtitle}>
      <form onSubmit={handleSubmit(accept)} noValidate className="space-y-4">
        {state.error && <Alert>{state.error}</Alert>}
        <TextField label="Your name" autoComplete="name" error={formState.errors.name?.message} {...register("name")} />
        <TextField label="Password" type="password" autoComplete="new-password" hint="At least 10 characters." error={formState.errors.password?.message} {...register("password")} />
        <Button type="submit" className="w-full" disabled={formState.isSubmitting}>Accept and create account</Button>
      </form>
    </AuthCard>
  );
}
