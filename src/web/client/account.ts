/**
 * The header's account corner: with a cookie session (access control on, signed in
 * through the form), shows who is signed in and a Sign out button. Without one (access
 * control off, or a token/Basic client) it stays hidden.
 */
export async function installAccount(): Promise<void> {
  const box = document.querySelector<HTMLElement>("[data-account]");
  if (!box) return;
  // No answer or no JSON: the corner stays hidden, as when signed in some other way.
  const me = await fetch("/api/auth/me").then((r) => r.ok ? r.json() : undefined).catch(
    () => undefined,
  );
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
