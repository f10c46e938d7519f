/** Who is on a board: the owner, members with roles (change, remove) and pending e-mail invitations. */
import { type FormEvent, useState } from "react";
import { type BoardDetail, type BoardRole, useAuth, useBoardInvitations, useBoardMembers } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { displayName, timeAgo } from "../common/format";

const ROLES: BoardRole[] = ["viewer", "editor", "admin"];

export function MembersPanel(props: { board: BoardDetail; canManage: boolean; onClose: () => void }) {
  const { board, canManage } = props;
  const { user } = useAuth();
  const members = useBoardMembers(board.id);
  return (
    <div className="stack members">
      <h2>Members</h2>
      <ul className="member-list" aria-label="Members">
        <li>
          <span>{displayName(board.owner)}{board.owner.id === user?.id && " (you)"}</span>
          <span className="badge">owner</span>
        </li>
        {board.members.map((m) => (
          <li key={m.userId}>
            <span>{displayName(m.user)}{m.userId === user?.id && " (you)"}</span>
            {canManage ? (
              <span className="row">
                <select
                  aria-label={`Role of ${displayName(m.user)}`}
                  value={m.role.toLowerCase()}
                  onChange={(e) => members.setRole.mutate({ userId: m.userId, role: e.target.value as BoardRole })}
                >
                  {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
                <button type="button" className="secondary small" aria-label={`Remove ${displayName(m.user)}`} onClick={() => members.remove.mutate(m.userId)}>
                  Remove
                </button>
              </span>
            ) : (
              <span className="badge">{m.role.toLowerCase()}</span>
            )}
          </li>
        ))}
      </ul>
      <ErrorText error={members.setRole.error ?? members.remove.error} />
      {canManage && <Invitations boardId={board.id} />}
      <div className="row end">
        <button type="button" className="secondary" onClick={props.onClose}>Close</button>
      </div>
    </div>
  );
}

function Invitations(props: { boardId: string }) {
  const { invitations, invite, revoke } = useBoardInvitations(props.boardId);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<BoardRole>("editor");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail("") });
  };
  const pending = invitations.filter((i) => i.status === "pending");
  return (
    <>
      <form className="invite row wrap" onSubmit={submit} aria-label="Invite by e-mail">
        <label className="grow">
          Email
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as BoardRole)}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" disabled={invite.isPending}>Invite</button>
      </form>
      <p className="hint">People who already have an account join at once; others join when they sign up with this address.</p>
      <ErrorText error={invite.error ?? revoke.error} />
      {pending.length > 0 && (
        <ul className="member-list" aria-label="Pending invitations">
          {pending.map((i) => (
            <li key={i.id}>
              <span>{i.email} <span className="muted small">({i.role}, expires {timeAgo(i.expiresAt)})</span></span>
              <button type="button" className="secondary small" aria-label={`Revoke invitation of ${i.email}`} onClick={() => revoke.mutate(i.id)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
