/** Sign up and log in (local accounts). After sign-up on a server that verifies e-mail, a notice says so. */
import { type FormEvent, useState } from "react";
import { type AuthConfig, useAuth } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { ForgotPassword } from "./ForgotPassword";

type Mode = "login" | "signup";

export function AuthScreen(props: { config: AuthConfig }) {
  const [mode, setMode] = useState<Mode>("login");
  const [verifyNotice, setVerifyNotice] = useState<string | null>(null);
  return (
    <main className="auth-screen" id="main">
      <div className="auth-card">
        <h1 className="brand">Atelier</h1>
        <p className="muted">Generate images, audio and video on shared boards.</p>
        <div className="tabs" role="tablist" aria-label="Account">
          {(["login", "signup"] as const).map((m) => (
            <button
              key={m}
              role="tab"
              type="button"
              aria-selected={mode === m}
              className={mode === m ? "tab active" : "tab"}
              onClick={() => setMode(m)}
            >
              {m === "login" ? "I have an account" : "I am new here"}
            </button>
          ))}
        </div>
        {verifyNotice && (
          <p className="notice" role="status">
            We sent a verification link to <strong>{verifyNotice}</strong>. Open it, then log in.
          </p>
        )}
        <CredentialsForm
          key={mode}
          mode={mode}
          onSignedUp={(email) => {
            if (props.config.emailVerification) {
              setVerifyNotice(email);
              setMode("login");
            }
          }}
        />
        {mode === "login" && props.config.passwordReset && <ForgotPassword />}
      </div>
    </main>
  );
}

function CredentialsForm(props: { mode: Mode; onSignedUp: (email: string) => void }) {
  const { logIn, signUp } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const action = props.mode === "login" ? logIn : signUp;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (props.mode === "login") await logIn.mutateAsync({ email, password }).catch(() => undefined);
    else {
      const body = name.trim() ? { email, password, displayName: name.trim() } : { email, password };
      const ok = await signUp.mutateAsync(body).then(() => true, () => false);
      if (ok) props.onSignedUp(email);
    }
  };
  const label = props.mode === "login" ? "Log in" : "Sign up";
  return (
    <form className="stack" onSubmit={submit} aria-label={label}>
      {props.mode === "signup" && (
        <label>
          Display name
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="nickname" maxLength={200} />
        </label>
      )}
      <label>
        Email
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
      </label>
      <label>
        Password
        <input
          type="password"
          required
          minLength={props.mode === "signup" ? 8 : 1}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete={props.mode === "signup" ? "new-password" : "current-password"}
        />
      </label>
      {props.mode === "signup" && <p className="hint">At least 8 characters.</p>}
      <button type="submit" disabled={action.isPending}>{label}</button>
      <ErrorText error={action.error} />
    </form>
  );
}
