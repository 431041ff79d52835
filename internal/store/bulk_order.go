package store

// OrderAfter makes tx, a batch of a load's (UpdateBulk), wait for the
// batch before it, written beside it on another connection, before it
// takes the audit chain's head and before it commits: wait returns once
// that batch has ended, with its error if it failed. The batch's COPYs
// then overlap the other's, and yet the batches audit and commit in the
// file's order, each whole, as one after the other would: a process
// killed meanwhile leaves a prefix of the file's batches. The caller
// must know that the two take no lock the other waits for (their case
// numbers differ, and no index or trigger shared by their rows is live:
// caseimport overlaps batches only while the reading indexes are
// deferred), since waiting here for a batch that waits for this one is
// a deadlock the server cannot see.
func (tx *Tx) OrderAfter(wait func() error) { *tx.order = wait }

// Ordered waits for what OrderAfter named, once; later calls, and a
// transaction without it, return at once. Audit calls it, and UpdateBulk
// before its commit; a caller calls it before it records anything whose
// order counts and that is not audited (an import's progress, what it
// counts).
func (tx *Tx) Ordered() error {
	if tx.order == nil || *tx.order == nil {
		return nil
	}
	wait := *tx.order
	*tx.order = nil
	return wait()
}
