package store_test

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
)

// A trip review's talk reminder is a 谈话提醒 record of the watchdogs'
// register (issue 14): recording it enters, in the same transaction, a
// first-form disposition of the officer linked to the review, with the
// talk under it, which the register lists and counts; a refused talk
// enters nothing, the officer never sees it, and neither does his leader,
// who is no watchdog. Talks recorded before the register knew of them are
// entered by the migration.
func TestReviewTalkIsDisposition(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	tr := f.register(t, f.off, "2026-09-29")
	f.set("2026-10-14 10:00")
	r := openUnreported(t, f, tr.ID)
	talk := trip.Talk{On: domain.MustDate("2026-10-14"), Place: "执行一庭办公室", Content: "提醒如实报告", Statement: "今后严格遵守"}
	bad := talk
	bad.Place = ""
	if err := db.RecordTalk(ctx, f.head, r.ID, bad); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a talk without its place: %v", err)
	}
	if _, n, _ := db.Dispositions(ctx, f.group, store.DispositionFilter{}); n.Total != 0 {
		t.Fatalf("a refused talk entered %d dispositions", n.Total)
	}
	if err := db.RecordTalk(ctx, f.head, r.ID, talk); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		ds, n, err := db.Dispositions(ctx, f.group, store.DispositionFilter{Form: 1})
		if err != nil || n.Total != 1 || ds[0].ReviewID != r.ID || ds[0].UserID != f.off.UserID || ds[0].Measure != "谈话提醒" ||
			ds[0].DecidedOn != talk.On || !strings.Contains(ds[0].Basis, "外出未报告") || ds[0].ClueID != 0 {
			t.Fatalf("%s, the register: %d %+v %v", when, n.Total, ds, err)
		}
		d, err := db.Disposition(ctx, f.group, ds[0].ID)
		if err != nil || len(d.Talks) != 1 || d.Talks[0].Kind != oversight.TalkReminder || d.Talks[0].Place != talk.Place ||
			d.Talks[0].Content != talk.Content || d.Talks[0].Statement != talk.Statement || !strings.Contains(d.Talks[0].Participants, "测试off") {
			t.Fatalf("%s, the talk: %+v %v", when, d, err)
		}
		counts, err := db.DispositionCounts(ctx, f.group, store.DispositionFilter{Year: "2026"})
		if err != nil || len(counts) != 1 || counts[0].N != 1 || counts[0].Measure != "谈话提醒" || counts[0].Period != "2026-10" {
			t.Fatalf("%s, the counts: %+v %v", when, counts, err)
		}
		if _, _, err := db.Dispositions(ctx, f.off, store.DispositionFilter{}); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s, the officer reads the register: %v", when, err)
		}
		if _, err := db.Disposition(ctx, f.head, ds[0].ID); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s, the leader reads the register: %v", when, err)
		}
	}
	check("recorded")
	// Undo the migration that links talks to the register and apply it
	// again: the talk recorded on the review alone comes back as a record.
	if err := db.MigrateDownTo(ctx, 36); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM dispositions").Scan(&n); err != nil || n != 0 {
		t.Fatalf("before the migration: %d dispositions (%v)", n, err)
	}
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	check("migrated")
}

// openUnreported has a party complain of trip tripID's officer, who filed
// no report, and returns the review it opens.
func openUnreported(t *testing.T, f *tripFixture, tripID int64) store.TripReview {
	t.Helper()
	db := f.db
	f.partyComplains(t, domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), ""))
	rs, err := db.TripReviewsOf(ctx, f.group, tripID, 0)
	if err != nil || len(rs) != 1 || rs[0].Reason != "unreported" {
		t.Fatalf("the review: %+v %v", rs, err)
	}
	return rs[0]
}
