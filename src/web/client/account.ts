/**
 * Who the page's user is (GET /api/auth/me, asked once per page) and the header's account
 * corner: with a cookie session (access control on, signed in through the form), shows who
 * is signed in and a Sign out button. Without one (access control off, or a token/Basic
 * client) it stays hidden.
 */
import { useEffect, useState } from "preact/hooks";

export interface Me {
  /** False when access control is off (everyone is an admin). */
  auth: boolean;
  role: "admin" | "viewer";
  user?: string;
  via?: string;
}

let asked: Promise<Me | undefined> | undefined;

/** The user, or undefined when the server does not say (no answer, not JSON). */
export function whoAmI(): Promise<Me | undefined> {
  asked ??= fetch("/api/auth/me").then((r) => r.ok ? r.json() : undefined).catch(() => undefined);
  return asked;
}

/**
 * True once the user is known to be allowed to change things (the admin role). Until the
 * answer comes, and for a viewer, controls that need it stay hidden.
 */
export function useCanEdit(): boolean {
  const [can, setCan] = useState(false);
  useEffect(() => {
    let alive = true;
    whoAmI().then((me) => alive && setCan(me?.role === "admin"));
    return () => void (alive = false);
  }, []);
  return can;
}

export async function installAccount(): Promise<void> {
  const box = document.querySelector<HTMLElement>("[data-account]");
  if (!box) return;
  const me = await whoAmI();
  if (me?.via !== "session") return;
  box.querySelector(".who")!.textContent = `${me.user} · ${me.role}`;
  box.hidden = false;
  box.querySelector("button")!.addEventListener("click", async () => {
    // The CSRF header is added by installCsrfHeader; the cookies are cleared by the server.
    // Offline: the sign-in page is where the user goes either way.
    await fetch("/api/auth/logout", { method: "POST" }).catch(() => undefined);
    location.href = "/login";
  });
}
