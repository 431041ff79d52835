package store_test

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestBulkSettingsOnlyInTheBatch: an import's batch commits on
// PostgreSQL without waiting for the WAL flush (synchronous_commit off),
// and only the batch: the connection commits synchronously again after
// it, as every other write does. A batch still commits its rows.
func TestBulkSettingsOnlyInTheBatch(t *testing.T) {
	db := testdb.Open(t)
	inside, after, err := db.SettingAroundBulk(ctx, "synchronous_commit")
	if err != nil {
		t.Fatal(err)
	}
	if db.Engine == store.Postgres && (inside != "off" || after != "on") {
		t.Errorf("synchronous_commit %q in the batch, %q after it; want off, on", inside, after)
	}
	sys := domain.SystemViewer("test")
	k := testCase(t, "（2026）鲁0102执1号", "2026-01-05")
	err = db.UpdateBulk(ctx, sys, func(tx *store.Tx) error {
		_, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CaseByNumber(ctx, sys, k.Number); err != nil {
		t.Errorf("the batch's case: %v", err)
	}
}
