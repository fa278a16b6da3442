"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { markNotificationsReadAction } from "@/app/actions/notifications";

type TNotification = { id: string; kind: string; title: string; body: string; link: string | null; readAt: string | null; createdAt: string };

export const notificationKeys = { all: ["notifications"] as const };

async function fetchNotifications(): Promise<{ items: TNotification[]; unread: number }> {
  const res = await fetch("/api/v1/notifications");
  if (!res.ok) throw new Error("Could not load notifications");
  return res.json();
}

export function NotificationsBell() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const { data } = useQuery({ queryKey: notificationKeys.all, queryFn: fetchNotifications, refetchInterval: 30_000 });
  const unread = data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", esc);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", esc);
    };
  }, [open]);

  async function markAllRead() {
    await markNotificationsReadAction({});
    await queryClient.invalidateQueries({ queryKey: notificationKeys.all });
  }

  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-label={unread ? `Notifications (${unread} unread)` : "Notifications"}
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen((o) => !o)}
        className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.8">
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white">{unread > 99 ? "99+" : unread}</span>
        )}
      </button>
      {open && (
        <div role="dialog" aria-label="Notifications" className="absolute right-0 z-20 mt-2 w-80 rounded-lg bg-white shadow-lg ring-1 ring-slate-200">
          <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
            <p className="text-sm font-semibold text-slate-900">Notifications</p>
            {unread > 0 && <button type="button" onClick={markAllRead} className="text-xs font-medium text-brand-700 hover:underline">Mark all read</button>}
          </div>
          <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
            {(data?.items ?? []).length === 0 && <li className="px-3 py-6 text-center text-sm text-slate-500">Nothing yet. Failures and auto-disabled webhooks show up here.</li>}
            {(data?.items ?? []).map((n) => (
              <li key={n.id} className={n.readAt ? "px-3 py-2.5" : "bg-brand-50/50 px-3 py-2.5"}>
                {n.link ? <Link href={n.link} onClick={() => setOpen(false)} className="text-sm font-medium text-slate-900 hover:underline">{n.title}</Link> : <p className="text-sm font-medium text-slate-900">{n.title}</p>}
                <p className="mt-0.5 text-xs text-slate-600">{n.body}</p>
                <p className="mt-1 text-[11px] text-slate-400">{new Date(n.createdAt).toLocaleString()}</p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
