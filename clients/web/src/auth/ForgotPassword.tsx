/** "Forgot your password?": mails a reset link (the answer never tells whether the address has an account). */
import { type FormEvent, useState } from "react";
import { useEmailFlows } from "../../../src";
import { ErrorText } from "../common/Dialog";

export function ForgotPassword() {
  const { requestReset } = useEmailFlows();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  if (!open) {
    return <button type="button" className="link small" onClick={() => setOpen(true)}>Forgot your password?</button>;
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    requestReset.mutate(email);
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Reset password">
      <label>
        Email for the reset link
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
      </label>
      <button type="submit" className="secondary" disabled={requestReset.isPending}>Send reset link</button>
      {requestReset.isSuccess && <p role="status" className="ok">If an account uses this address, a link is on its way.</p>}
      <ErrorText error={requestReset.error} />
    </form>
  );
}
