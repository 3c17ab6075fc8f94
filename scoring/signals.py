from django.dispatch import Signal

# Sent inside the roll-up's transaction, right after a new snapshot is stored, so that what
# listeners write (the awards app's draft dossier) commits or rolls back with the snapshot.
# Arguments: snapshot.
snapshot_created = Signal()

# Sent inside the reopen transaction after the current snapshot is marked superseded.
# Arguments: period, snapshot (the superseded one, or None), user, reason.
period_reopened = Signal()
