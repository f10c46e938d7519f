/** What a mailed link opens: verify the address, set a new password, or join the board one was invited to. */
import { type FormEvent, useEffect, useState } from "react";
import { useEmailFlows } from "../../../src";
import { ErrorText } from "../common/Dialog";

// A link's token is single-use: React's development double effects must not spend it twice.
const spent = new Set<string>();

export function EmailLinkPage(props: { kind: "verify" | "reset" | "invitation"; token: string }) {
  return (
    <main className="auth-screen" id="main">
      <div className="auth-card">
        <h1 className="brand">Atelier</h1>
        {props.kind === "reset" ? <ResetForm token={props.token} /> : <UseToken kind={props.kind} token={props.token} />}
      </div>
    </main>
  );
}

function UseToken(props: { kind: "verify" | "invitation"; token: string }) {
  const flows = useEmailFlows();
  const action = props.kind === "verify" ? flows.verify : flows.acceptInvitation;
  useEffect(() => {
    const key = `${props.kind}:${props.token}`;
    if (!props.token || spent.has(key)) return;
    spent.add(key);
    action.mutate(props.token);
  }, [props.kind, props.token, action]);
  if (!props.token) return <p className="error" role="alert">This link has no token: open it from the e-mail again.</p>;
  if (action.error) {
    return (
      <>
        <ErrorText error={action.error} />
        <a className="button" href="/#/">Go to Atelier</a>
      </>
    );
  }
  if (!action.isSuccess) return <p role="status">{props.kind === "verify" ? "Verifying your address…" : "Joining the board…"}</p>;
  const boardId = props.kind === "invitation" ? (flows.acceptInvitation.data?.boardId ?? null) : null;
  return (
    <>
      <h2>{props.kind === "verify" ? "Your e-mail address is verified" : "You joined the board"}</h2>
      <p className="muted">{props.kind === "verify" ? "Boards you were invited to are now yours to open." : "It is in your boards now."}</p>
      <a className="button" href={boardId ? `/#/boards/${boardId}` : "/#/"}>Continue to Atelier</a>
    </>
  );
}

function ResetForm(props: { token: string }) {
  const { reset } = useEmailFlows();
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate({ token: props.token, newPassword: password });
  };
  if (reset.isSuccess) {
    return (
      <>
        <h2>Your password is changed</h2>
        <p className="muted">Every session was signed out: log in with the new password.</p>
        <a className="button" href="/#/">Log in</a>
      </>
    );
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Set a new password">
      <h2>Choose a new password</h2>
      <label>
        New password
        <input type="password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
      </label>
      <button type="submit" disabled={reset.isPending}>Set new password</button>
      <ErrorText error={reset.error} />
    </form>
  );
}
