"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { ZSignIn, type TSignIn } from "@/lib/validation/auth";
import { TextField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/misc";
import { AuthCard } from "./auth-card";

export function SignInForm() {
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<TSignIn>({ resolver: zodResolver(ZSignIn) });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setFailure("Email or password is incorrect.");
      return;
    }
    window.location.assign("/webhooks");
  });

  return (
    <AuthCard title="Sign in" subtitle="Configure, test and inspect your organization's webhooks.">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {failure && <Alert>{failure}</Alert>}
        <TextField label="Email" type="email" autoComplete="username" error={formState.errors.email?.message} {...register("email")} />
        <TextField label="Password" type="password" autoComplete="current-password" error={formState.errors.password?.message} {...register("password")} />
        <Button type="submit" className="w-full" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </AuthCard>
  );
}
