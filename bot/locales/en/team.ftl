# Teams (issue 10): /team, invites, joining and leaving.
team-none = You are not in a team yet. Create yours: <code>/team new Name</code>. To join a team, ask its head for an invite link.
team-head-only = Only a head of the team can do this.
team-member-not-found = There is no such member in your team.
team-invite-not-found = Your team has no such link.
team-already-member = You are in a team already. To create a new one, leave first: /team leave
team-new-usage = Write the name: <code>/team new Sales North</code>
team-created = ✅ Team <b>{ $name }</b> created, you are its head. { $clients ->
    [0] {""}
    [one] Your { $clients } client now belongs to the team.
   *[other] Your { $clients } clients now belong to the team.
}
    Invite a manager: /team invite
team-invite-created = 🔗 Link to join <b>{ $team }</b> ({ $kind ->
    [single] single use
   *[many] for several people
}, valid until { $until }):
    { $link }
    Forward it to the manager. Revoke: /team invites
team-invite-too-many = There are { $limit } open links already. Revoke some: /team invites
team-invites-title = 🔗 The team's open links:
team-invites-none = No open links. A new one: /team invite
team-invite-line = { $kind ->
    [single] single use
   *[many] multi-use
}, until { $until }, used { $used } times
team-invite-revoke-button = ❌ Revoke the link until { $until }
team-invite-revoked = Link revoked.
team-join-unknown = This invite link was not found. Ask the head for a new one.
team-join-revoked = The head revoked this link. Ask for a new one.
team-join-expired = This link has expired. Ask the head for a new one.
team-join-used = Someone has joined with this link already: it is single use. Ask the head for a new one.
team-join-already-here = You are in this team already.
team-join-other-team = You are in team “{ $team }”. A manager can be in one team only: leave it first (/team leave).
team-join-offer = You are invited to team <b>{ $team }</b>{ $head ->
    [none] {""}
   *[other] {" "}(head: { $head })
}.
    { $clients ->
        [0] Your future clients will belong to the team: the head sees their cards and history.
       *[other] Bring your clients ({ $clients }) into the team? Then the team owns them: the head sees them, and if you leave, the clients stay with the team.
    }
team-join-bring-button = ✅ Join and give my clients to the team
team-join-keep-button = Join, keep my clients
team-join-button = ✅ Join
team-joined = ✅ You are in team <b>{ $team }</b>. { $clients ->
    [0] {""}
    [one] { $clients } client now belongs to the team.
   *[other] { $clients } clients now belong to the team.
}
team-member-joined = 👋 { $name } joined the team.
team-info = 👥 Team <b>{ $team }</b>
    Head: { $heads }
    Members: { $count }
team-members-title = 👥 <b>{ $team }</b> — members:
team-member-line = { $role ->
    [head] 👑
   *[other] 👤
} { $name } · { $clients ->
    [one] { $clients } client
   *[other] { $clients } clients
}
team-member-card = { $role ->
    [head] 👑 head
   *[other] 👤 manager
} <b>{ $name }</b>
team-make-head-button = 👑 Make head
team-make-manager-button = 👤 Make manager
team-remove-button = 🚪 Remove from the team
team-remove-ask = Remove { $name } from the team? The team's clients ({ $clients }) go to you until you hand them on (/handover). { $name }'s private notes stay theirs.
team-remove-confirm-button = Yes, remove
team-cancel-button = Cancel
team-removed = { $name } is no longer in the team. Clients you received: { $clients }.
team-you-were-removed = You were removed from team “{ $team }”. The team's clients stay with the team; your personal clients and notes stay with you.
team-remove-self = You cannot remove yourself: to leave, /team leave
team-last-head = A team keeps at least one head: name another one first.
team-role-head = 👑 { $name } is a head now.
team-role-manager = 👤 { $name } is a manager now.
team-leave-ask = Leave team “{ $team }”? The team's clients stay in it (they go to the head); your personal clients and notes stay with you.
team-leave-last-ask = You are the last member of “{ $team }”. Leave and dissolve the team? The clients stay with you.
team-leave-confirm-button = Yes, leave
team-leave-only-head = You are the only head: name another one first (/team members), then leave.
team-left = You left the team. Clients handed to the head: { $clients }.
team-dissolved = The team is dissolved; the clients stay with you.
team-rankings-on = Rankings on: managers see their place in /team.
team-rankings-off = Rankings off: managers see no places.
team-rankings-usage = Rankings: <code>/team rankings on</code> or <code>/team rankings off</code>
team-usage =
    👥 Team:
    /team — the team's summary
    /team new Name — create a team
    /team invite — a single-use link; /team invite many — for several people, 7 days
    /team invites — open links
    /team members — members, roles, removal
    /team rankings on|off — show managers their place
    /team log — handovers and joins
    /team leave — leave the team
