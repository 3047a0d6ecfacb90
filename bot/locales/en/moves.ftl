move-btn-wrong-client = 🏢 Wrong client
move-ask = { $kind ->
    [n] Which client should the note move to
    [rq] Which client should the request move to
   *[rv] Which client should the review move to
} (now <b>{ $client }</b>)? Type the name.
move-done = ✅ { $kind ->
    [n] Note moved
    [rq] Request moved
   *[rv] Review moved
}: <b>{ $old }</b> → <b>{ $new }</b>.
move-gone = That entry is gone: nothing to move.
