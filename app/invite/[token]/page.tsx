import { findInvitation } from "@/lib/domain/members";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { AuthCard } from "@/components/auth/auth-card";

export const metadata = { title: "Join organization" };
export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitation({ token });
  if (!invitation) {
    return <AuthCard title="Invitation not valid">This link is invalid, was already used or has expired. Ask an admin for a new one.</AuthCard>;
  }
  return <AcceptInvitationForm token={token} {...invitation} />;
}
