import { requirePageSession } from "@/lib/auth/session";
import { ApiReferencePage } from "@/components/api-reference/api-reference-page";

export const metadata = { title: "API reference" };

export default async function Page() {
  await requirePageSession();
  return <ApiReferencePage />;
}
