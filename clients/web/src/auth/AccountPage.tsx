/** The signed-in user: who they are, password change (local accounts) and log out. */
import { type FormEvent, useState } from "react";
import { type AuthConfig, useAuth, useChangePassword } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { displayName } from "../common/format";

const SIGNED_IN: Record<string, string> = {
  none: "This server runs without sign-in (development mode): everyone is this user.",
  local: "Signed in with your e-mail address and password.",
};

export function AccountPage(props: { config: AuthConfig }) {
  const { user } = useAuth();
  return (
    <main className="page narrow" id="main">
      <h1>Account</h1>
      <section className="panel" aria-label="Profile">
        <p>
          <strong>{displayName(user)}</strong>
          {user?.email && user.displayName && <span className="muted"> · {user.email}</span>}
        </p>
        <p className="muted">{SIGNED_IN[props.config.mode] ?? `Signed in through ${props.config.mode}.`}</p>
      </section>
      {props.config.localAccounts && <PasswordForm />}
    </main>
  );
}

function PasswordForm() {
  const change = useChangePassword();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ currentPassword: current, newPassword: next }, { onSuccess: () => (setCurrent(""), setNext("")) });
  };
  return (
    <form className="panel stack" onSubmit={submit} aria-label="Change password">
      <h2>Change password</h2>
      <label>
        Current password
        <input type="password" required value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" />
      </label>
      <label>
        New password
        <input type="password" required minLength={8} value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" />
      </label>
      <button type="submit" disabled={change.isPending}>Change password</button>
      {change.isSuccess && <p role="status" className="ok">Password changed; your other sessions were signed out.</p>}
      <ErrorText error={change.error} />
    </form>
  );
}
