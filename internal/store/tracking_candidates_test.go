package store_test

import (
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

// caseNoID returns the id of the case numbered n.
func caseNoID(t *testing.T, db *store.DB, n string) int64 {
	t.Helper()
	k, err := db.CaseByNumber(ctx, domain.SystemViewer("t"), n)
	if err != nil {
		t.Fatal(err)
	}
	return k.ID
}

// One case per scope of the seed, a case with several reasons, a
// 执行审查 case and a long-closed case that are no candidates; the refresh
// is idempotent, ends reasons that stop holding and lapses candidates left
// without any.
func TestTrackingCandidates(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("t")
	officer := testdb.AddUser(t, db, "officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	group := domain.ViewerFor(testdb.AddUser(t, db, "grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	no := func(i int) string { return "（2026）鲁0102执" + string(rune('0'+i)) + "号" }
	var cases []*domain.Case
	for i := 1; i <= 8; i++ {
		cases = append(cases, testCase(t, no(i), "2026-01-05"))
	}
	cases[0].SocialImpact = true
	cases[1].PublicOpinion = true
	cases[5].SocialImpact, cases[5].PublicOpinion = true, true // several reasons
	cases[6].SocialImpact, cases[6].ClosedOn, cases[6].ClosingMode = true, domain.MustDate("2026-01-20"), "执行完毕"
	review := testCase(t, "（2026）鲁0102执异1号", "2026-01-05")
	review.SocialImpact = true
	old := testCase(t, "（2025）鲁0102执1号", "2025-01-05")
	old.SocialImpact, old.ClosedOn, old.ClosingMode = true, domain.MustDate("2025-06-01"), "执行完毕"
	upsert(t, db, sys, append(cases, review, old)...)

	// 3: a complaint assessed as having a clear lead, on 2026-02-10.
	now = time.Date(2026, 2, 10, 2, 0, 0, 0, time.UTC)
	cid, err := db.RegisterComplaint(ctx, sys, "鲁0102", oversight.Complaint{Kind: oversight.KindComplaint, Channel: "来信",
		ReceivedOn: domain.MustDate("2026-02-09"), CaseNumbers: []string{no(3), no(6)}, Content: "执行法官吃请"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AssessComplaint(ctx, group, cid, oversight.LeadClear, "有具体时间地点"); err != nil {
		t.Fatal(err)
	}
	// 4: two petitions within six months, the second on 2026-02-20.
	now = time.Date(2026, 2, 21, 2, 0, 0, 0, time.UTC)
	for _, on := range []string{"2026-01-10", "2026-02-20"} {
		if _, err := db.RegisterComplaint(ctx, sys, "鲁0102", oversight.Complaint{Kind: oversight.KindPetition, Channel: "来访",
			ReceivedOn: domain.MustDate(on), CaseNumbers: []string{no(4)}, Content: "迟迟不发放案款", Level: oversight.LevelCourt, Repeat: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// 5: proposed by the system: a dissatisfied visit gone on site, and a
	// 不如实报告 trip review.
	k5 := caseNoID(t, db, no(5))
	court := cases[0].CourtID
	testdb.Exec(t, db, `INSERT INTO visits (id, case_id, kind, court_id, step, created_by, created_at, updated_at, reached_onsite)
		SELECT 900, id, 'focused', court_id, 'onsite_pending', 't', ?, ?, TRUE FROM cases WHERE id = ?`, now, now, k5)
	testdb.Exec(t, db, "INSERT INTO visit_answers (visit_id, source, satisfied, at) VALUES (900, 'phone', FALSE, ?)", time.Date(2026, 2, 15, 3, 0, 0, 0, time.UTC))
	_ = court
	testdb.Exec(t, db, `INSERT INTO trips (id, court_id, officer_id, destination, destination_name, out_of_jurisdiction, depart_at, return_at, task, report_due, escalate_on, created_at, updated_at)
		SELECT 700, court_id, ?, '370102', '历下区', FALSE, ?, ?, '查控', '2026-02-20', '2026-02-25', ?, ? FROM cases WHERE id = ?`, officer.ID, now, now, now, now, k5)
	testdb.Exec(t, db, "INSERT INTO trip_cases (trip_id, case_id) VALUES (700, ?)", k5)
	testdb.Exec(t, db, `INSERT INTO trip_reviews (trip_id, court_id, officer_id, reason, opened_at) SELECT 700, court_id, ?, 'contradicted', ? FROM cases WHERE id = ?`,
		officer.ID, time.Date(2026, 2, 18, 3, 0, 0, 0, time.UTC), k5)

	now = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	// 5: added by a body with a reason.
	if _, err := db.AddCandidateReason(ctx, bureau, no(8), ""); err == nil {
		t.Fatal("a reason without words is accepted")
	}
	if _, err := db.AddCandidateReason(ctx, bureau, "（2026）鲁0102执异1号", "审查案件"); err == nil {
		t.Fatal("a 执行审查 case is accepted")
	}
	if _, err := db.AddCandidateReason(ctx, bureau, no(8), "申请执行人系农民工群体"); err != nil {
		t.Fatal(err)
	}
	res, err := db.RefreshCandidates(ctx, sys, "鲁0102")
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 10 || res.Opened != 7 || res.Ended != 0 {
		t.Fatalf("first refresh: %+v", res)
	}
	again, err := db.RefreshCandidates(ctx, group, "鲁0102")
	if err != nil || again != (store.RefreshResult{}) {
		t.Fatalf("second refresh changed %+v, %v", again, err)
	}
	list, err := db.Candidates(ctx, group, store.CandidateFilter{Court: "鲁0102"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]tracking.Merged{}
	for _, c := range list {
		got[c.CaseNo] = c.Merged
		if c.TrackingID == 0 || c.Step != tracking.StepCandidate {
			t.Errorf("%s: tracking %d at %s", c.CaseNo, c.TrackingID, c.Step)
		}
	}
	want := map[string][]string{
		no(1): {"有较大社会影响 2026-03-02"},
		no(2): {"可能引发重大舆情 2026-03-02"},
		no(3): {"有明确线索的投诉举报 2026-02-10"},
		no(4): {"当事人反映强烈的信访 2026-02-20"},
		no(5): {"其他需要跟踪监督的案件 2026-02-15"},
		no(6): {"有较大社会影响 2026-03-02", "可能引发重大舆情 2026-03-02", "有明确线索的投诉举报 2026-02-10"},
		no(7): {"有较大社会影响 2026-03-02"},
		no(8): {"其他需要跟踪监督的案件 2026-03-02"},
	}
	if len(got) != len(want) {
		t.Fatalf("candidates: %v", got)
	}
	for n, w := range want {
		var s []string
		for _, m := range got[n] {
			s = append(s, m.Label+" "+m.Since.String())
		}
		if len(s) != len(w) {
			t.Fatalf("%s: %v, want %v", n, s, w)
		}
		for i := range w {
			if s[i] != w[i] {
				t.Fatalf("%s: %v, want %v", n, s, w)
			}
		}
	}
	if notes := got[no(5)][0].Notes; len(notes) != 2 {
		t.Fatalf("the system's proposals for case 5: %v", notes)
	}

	// The flag is withdrawn: the reason ends and the candidate lapses; the
	// history keeps it.
	cases[0].SocialImpact = false
	upsert(t, db, sys, cases[0])
	now = now.Add(24 * time.Hour)
	res, err = db.RefreshCandidates(ctx, bureau, "鲁0102")
	if err != nil || res.Ended != 1 || res.Lapsed != 1 {
		t.Fatalf("after withdrawing a flag: %+v, %v", res, err)
	}
	rs, err := db.CaseReasons(ctx, group, caseNoID(t, db, no(1)))
	if err != nil || len(rs) != 1 || rs[0].Ended != domain.MustDate("2026-03-03") {
		t.Fatalf("history of case 1: %+v, %v", rs, err)
	}
	// Case scoped by Scope filter.
	if l, err := db.Candidates(ctx, bureau, store.CandidateFilter{Scope: tracking.ScopePetition}); err != nil || len(l) != 1 || l[0].CaseNo != no(4) {
		t.Fatalf("petition candidates: %v, %v", l, err)
	}
	// The officer of the cases sees none of it.
	if _, err := db.Candidates(ctx, domain.ViewerFor(officer, ""), store.CandidateFilter{}); err == nil {
		t.Fatal("an officer lists candidates")
	}
}
