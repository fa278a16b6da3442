import { redirect } from "next/navigation";
import { getSessionContext } from "@/lib/auth/session";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (await getSessionContext()) redirect("/webhooks");
  return <SignInForm />;
}
