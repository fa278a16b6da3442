/**
 * next-auth configuration: e-mail + password (scrypt), JWT sessions that carry
 * the user id. The active organization and role are resolved per request in
 * lib/auth/context.ts from the memberships, so a role change or a removed
 * membership takes effect at once.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getEnv } from "@/lib/env";
import { ZSignIn } from "@/lib/validation/auth";
import { verifyCredentials } from "@/lib/domain/users";

export function authOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.authSecret,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = ZSignIn.safeParse(raw);
          if (!parsed.success) return null;
          const user = await verifyCredentials(parsed.data);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
