import { Badge } from "@/components/ui/misc";

/** Enabled / Disabled; an auto-disabled webhook also shows the engine's reason. */
export function WebhookStatusBadge({ enabled, disabledReason, compact = false }: { enabled: boolean; disabledReason: string | null; compact?: boolean }) {
  if (enabled) return <Badge tone="green">Enabled</Badge>;
  if (!disabledReason) return <Badge tone="gray">Disabled</Badge>;
  return (
    <span className={compact ? "inline-flex flex-col items-start gap-0.5" : "inline-flex items-center gap-2"}>
      <Badge tone="amber">Disabled</Badge>
      <span className="text-xs text-amber-800">{disabledReason}</span>
    </span>
  );
}
