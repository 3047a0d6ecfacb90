# /handover and /team log (issue 10)
handover-choose-source = 🔁 <b>Hand clients over.</b> Whose clients?
handover-source-button = { $name } · { $clients }
handover-no-clients = No member of the team has clients to hand over.
handover-choose-how = Clients of <b>{ $name }</b> ({ $clients }). Hand over all, by tag, or pick them?
handover-all-button = All ({ $clients })
handover-tags-button = 🏷 By tag
handover-pick-button = ☑️ Pick clients
handover-cancel-button = Cancel
handover-choose-tag = Which tag of <b>{ $name }</b>'s clients?
handover-tag-button = #{ $tag } · { $clients }
handover-no-tags = The clients of <b>{ $name }</b> have no tags.
handover-pick-title = Tick the clients of <b>{ $name }</b>. Picked: { $picked }.
handover-prev-button = ◀
handover-next-button = ▶
handover-done-button = Done ({ $picked })
handover-choose-target = Who receives { $chosen ->
    [all] all clients
   *[other] the picked clients ({ $chosen })
} of <b>{ $name }</b>?
handover-target-me = { $name } (you)
handover-confirm = Hand over from <b>{ $from }</b> to <b>{ $to }</b>:
    • clients: { $clients }
    • touches: { $touches }
    • sales: { $sales }
    • open promises: { $promises }
    • reminders: { $reminders }
    • shared notes: { $notes }
    { $private ->
        [0] {""}
       *[other] Private notes 🔒 ({ $private }) stay with their author and do not move.
    }
    { $from } loses access to these clients at once.
handover-confirm-button = ✅ Hand over
handover-done = ✅ Handed over { $clients } clients from <b>{ $from }</b> to <b>{ $to }</b> ({ $touches } touches, { $sales } sales, { $promises } promises, { $reminders } reminders).{ $skipped ->
    [0] {""}
   *[other] { " " }{ $skipped } more had already been moved; they were left alone.
}
handover-already-moved = These clients have already been moved (perhaps by another head): nothing changed.
handover-received = 📥 <b>{ $head }</b> handed you clients of { $from }: { $clients }.
    { $names }{ $more ->
        [0] {""}
       *[other] { " " }and { $more } more
    }
    With their history: { $touches } touches, { $sales } sales, { $promises } open promises, { $reminders } reminders. The list: /clients
handover-lost = 📤 <b>{ $head }</b> handed your clients ({ $clients }) to { $to }. Your private notes 🔒 stay with you.
handover-cancelled = Handover cancelled.
handover-same-member = Clients cannot go to the same member: pick another one.
handover-empty = No client is picked.
handover-nothing = { $name } has no team clients to hand over.
handover-member-gone = This person is no longer in your team: nothing was handed over.
handover-client-gone = This client is no longer this member's.
handover-outdated = This handover dialog is outdated. Start again: /handover

team-log-title = 📜 <b>Team log</b>{ $page ->
    [0] {""}
   *[other] , page { $page }
}
team-log-empty = 📜 The team log is empty so far.
team-log-handover = { $when } 🔁 { $actor }: { $from } → { $to }, clients: { $clients }{ $names ->
    [none] {""}
   *[other] { " " }({ $names })
}
team-log-more = and { $more } more
team-log-create = { $when } 🏁 { $actor } created the team
team-log-join = { $when } 👋 { $actor } joined the team
team-log-leave = { $when } 🚪 { $actor } left the team
team-log-remove = { $when } ✖️ { $actor } removed { $from }
team-log-role-head = { $when } ⭐ { $actor } made { $from } a head
team-log-role-manager = { $when } { $actor } made { $from } a manager
team-log-account-deleted = { $when } 🗑 A member deleted their account; the team's clients went to { $to }
team-log-other = { $when } { $actor }: { $kind }
team-log-older-button = ◀ Older
team-log-newer-button = Newer ▶
