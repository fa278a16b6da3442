import type { ReactNode } from "react";
import { Logo } from "@/components/shell/logo";
import { Card } from "@/components/ui/misc";

export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center text-xl"><Logo /></div>
        <Card className="p-6">
          <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
          {subtitle && <p className="mt-1 text-sm text-slate-600">{subtitle}</p>}
          <div className="mt-5">{children}</div>
        </Card>
      </div>
    </main>
  );
}
