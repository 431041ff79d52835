package store

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zhilian/zhilian/internal/domain"
)

// A deadlock's victim is a conflict to people but never "the visit moved
// on" to a system step, and the SMS paths run it again (the review of
// issue 12: a round that lost a deadlock left its visit waiting).
func TestDeadlockIsRetriedNotPassedOver(t *testing.T) {
	deadlock := translate(&pgconn.PgError{Code: "40P01"})
	if !errors.Is(deadlock, domain.ErrConflict) || !errors.Is(deadlock, errRetry) || movedOn(deadlock) {
		t.Fatalf("deadlock: %v, moved on %v", deadlock, movedOn(deadlock))
	}
	if unique := translate(&pgconn.PgError{Code: "23505"}); !movedOn(unique) || errors.Is(unique, errRetry) {
		t.Fatalf("unique violation: %v", unique)
	}
	calls := 0
	err := retrying(context.Background(), 5, func() error {
		if calls++; calls < 3 {
			return deadlock
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("retried %d times: %v", calls, err)
	}
	calls = 0
	if err := retrying(context.Background(), 5, func() error { calls++; return deadlock }); !errors.Is(err, errRetry) || calls != 5 {
		t.Fatalf("gave up after %d: %v", calls, err)
	}
	calls = 0
	other := errors.New("disk on fire")
	if err := retrying(context.Background(), 5, func() error { calls++; return other }); err != other || calls != 1 {
		t.Fatalf("another error retried %d times", calls)
	}
}
