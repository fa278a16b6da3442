import { requirePageSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { MembersPage } from "@/components/settings/members-page";

export const metadata = { title: "Members" };

export default async function Page() {
  const ctx = await requirePageSession();
  return <MembersPage canManage={can(ctx.actor.role, "member:manage")} currentUserId={ctx.user.id} />;
}
