package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 14, clues: a watchdog registers one from a complaint, the
// verifier records steps and concludes, which enters the dispositions;
// nobody else sees them, and the person concerned — himself a watchdog —
// never does, not in a list, a count or a to-do.
func TestClues(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("t")
	grp := domain.ViewerFor(testdb.AddUser(t, db, "grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	above := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	sup := domain.ViewerFor(testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	named := domain.ViewerFor(testdb.AddUser(t, db, "named", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	beside := domain.ViewerFor(testdb.AddUser(t, db, "grp02", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	off := testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer)

	cid, err := db.RegisterComplaint(ctx, sys, "鲁0102", oversight.Complaint{Kind: oversight.KindComplaint, Channel: "来信",
		ReceivedOn: domain.MustDate("2026-03-01"), Content: "吃拿卡要"})
	if err != nil {
		t.Fatal(err)
	}
	in := oversight.Clue{Source: oversight.SourceComplaint, SourceID: cid, Persons: []string{"off", "named"}, Summary: "收受当事人财物",
		DueOn: domain.MustDate("2026-03-20")}
	bad := in
	bad.SourceID = cid + 99
	var ve *domain.ValidationError
	if _, err := db.RegisterClue(ctx, grp, "鲁0102", bad, ""); !errors.As(err, &ve) || ve.Fields["source_id"] == "" {
		t.Fatalf("a missing source: %v", err)
	}
	if _, err := db.RegisterClue(ctx, bureau, "鲁0102", in, ""); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the bureau registers: %v", err)
	}
	if _, err := db.RegisterClue(ctx, grp, "鲁0102", in, "named"); !errors.As(err, &ve) || ve.Fields["verifier"] == "" {
		t.Fatalf("the person concerned as verifier: %v", err)
	}
	id, err := db.RegisterClue(ctx, grp, "鲁0102", in, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		v    domain.Viewer
		n    int
		err  error
	}{{"the registrar", grp, 1, nil}, {"above", above, 1, nil}, {"the office", sup, 1, nil}, {"the person concerned", named, 0, nil},
		{"beside", beside, 0, nil}, {"the bureau", bureau, 0, domain.ErrForbidden}, {"the officer", domain.ViewerFor(off, ""), 0, domain.ErrForbidden}} {
		ls, n, err := db.Clues(ctx, c.v, store.ClueFilter{})
		if !errors.Is(err, c.err) || n.Total != c.n || len(ls) != c.n {
			t.Errorf("%s lists %d of %d (%v)", c.name, len(ls), n.Total, err)
		}
		if _, err := db.Clue(ctx, c.v, id); (c.n == 1) != (err == nil) {
			t.Errorf("%s reads the clue: %v", c.name, err)
		}
	}
	if err := db.AddClueStep(ctx, sup, id, domain.MustDate("2026-03-02"), "谈话了解"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a step before assignment: %v", err)
	}
	if err := db.AssignClue(ctx, named, id, "named"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the person concerned assigns: %v", err)
	}
	if err := db.AssignClue(ctx, grp, id, "sup"); err != nil {
		t.Fatal(err)
	}
	if ts, _ := db.ClueTodos(ctx, sup, 10); len(ts) != 1 || ts[0].ID != id {
		t.Errorf("the verifier's to-dos: %+v", ts)
	}
	if ts, _ := db.ClueTodos(ctx, named, 10); len(ts) != 0 {
		t.Errorf("the person concerned has to-dos")
	}
	// The verifier is told where to look, and nothing of the matter; the
	// person concerned is told nothing.
	if ms, err := db.Messages(ctx, sup, false, 10); err != nil || len(ms) != 1 || ms[0].Kind != oversight.NoticeClueAssigned ||
		ms[0].Link != fmt.Sprintf("/clues/%d", id) || strings.Contains(ms[0].Title, "吃拿卡要") {
		t.Errorf("the verifier's messages: %+v %v", ms, err)
	}
	if n, _ := db.UnreadCount(ctx, named); n != 0 {
		t.Errorf("the person concerned has %d messages", n)
	}
	vd := oversight.Verdict{Conclusion: oversight.TalkRemind, Basis: "属实但情节轻微", DecidedOn: domain.MustDate("2026-03-02")}
	if err := db.ConcludeClue(ctx, sup, id, vd); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("concluding before a step: %v", err)
	}
	if err := db.AddClueStep(ctx, sup, id, domain.MustDate("2026-03-09"), "谈话了解"); !errors.As(err, &ve) || ve.Fields["step_on"] == "" {
		t.Fatalf("a step in the future: %v", err)
	}
	if err := db.AddClueStep(ctx, sup, id, domain.MustDate("2026-03-02"), "谈话了解"); err != nil {
		t.Fatal(err)
	}
	if err := db.ConcludeClue(ctx, sup, id, oversight.Verdict{Conclusion: oversight.Discipline, Form: 1, Basis: "x", DecidedOn: domain.MustDate("2026-03-02")}); !errors.As(err, &ve) || ve.Fields["form"] == "" {
		t.Fatalf("a sanction of the first form: %v", err)
	}
	if l, _ := db.Clue(ctx, grp, id); l.State != oversight.ClueVerifying || len(l.Steps) != 1 {
		t.Fatalf("after a refused conclusion: %+v", l)
	}
	if err := db.ConcludeClue(ctx, sup, id, vd); err != nil {
		t.Fatal(err)
	}
	l, _ := db.Clue(ctx, grp, id)
	if l.State != oversight.ClueClosed || l.Form != 1 || l.Conclusion != oversight.TalkRemind {
		t.Fatalf("concluded: %+v", l)
	}
	ds, n, err := db.Dispositions(ctx, grp, store.DispositionFilter{Clue: id})
	if err != nil || n.Total != 2 || ds[0].Measure != "谈话提醒" || ds[0].Form != 1 {
		t.Fatalf("the dispositions: %d %v", n.Total, err)
	}
	// Not even the other person's: its basis is the clue's.
	if _, n, _ := db.Dispositions(ctx, named, store.DispositionFilter{}); n.Total != 0 {
		t.Errorf("the person concerned counts %d dispositions", n.Total)
	}
	if c, _ := db.DispositionCounts(ctx, named, store.DispositionFilter{}); len(c) != 0 {
		t.Errorf("the person concerned counts: %+v", c)
	}
	counts, err := db.DispositionCounts(ctx, above, store.DispositionFilter{Year: "2026"})
	if err != nil || len(counts) != 1 || counts[0].N != 2 || counts[0].Period != "2026-03" {
		t.Errorf("the counts: %+v %v", counts, err)
	}
	talk := oversight.Talk{Kind: oversight.TalkReminder, HeldOn: domain.MustDate("2026-03-02"), Place: "谈话室", Participants: "甲、乙", Content: "提醒"}
	if err := db.AddTalk(ctx, grp, ds[0].ID, oversight.Talk{Kind: oversight.TalkReminder}); !errors.As(err, &ve) {
		t.Fatalf("an empty talk: %v", err)
	}
	if err := db.AddTalk(ctx, grp, ds[0].ID, talk); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.Disposition(ctx, grp, ds[0].ID); len(d.Talks) != 1 {
		t.Errorf("the talk is not on record")
	}
	if err := db.AssignClue(ctx, grp, id, "grp"); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("reassigning a closed clue: %v", err)
	}
	// A direct second-form disposition, and the measure must fit.
	if _, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: "off", Form: 2, Measure: "谈话提醒", Basis: "b", Decider: "d",
		DecidedOn: domain.MustDate("2026-03-01")}); !errors.As(err, &ve) || ve.Fields["measure"] == "" {
		t.Fatalf("a first-form measure on the second: %v", err)
	}
	did, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: "off", Form: 2, Measure: "警告", Basis: "b", Decider: "d",
		DecidedOn: domain.MustDate("2026-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddTalk(ctx, grp, did, talk); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("a talk under the second form: %v", err)
	}
}
