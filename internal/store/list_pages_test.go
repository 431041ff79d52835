package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

// Issue 17: the lists moved onto listPage count beyond a page, serve page
// 2, sort, and keep their scope and filters. One test per list.

// pagedIDs reads a list page by page of size 3 and returns the ids in
// order with the count each page reported.
func pagedIDs(t *testing.T, pages int, read func(store.PageReq) ([]int64, store.PageInfo), sort string, desc bool) ([]int64, int) {
	t.Helper()
	var out []int64
	total := -1
	for p := 1; p <= pages; p++ {
		ids, info := read(store.PageReq{Page: p, Size: 3, Sort: sort, Desc: desc})
		if info.Page != p || info.Size != 3 || (total >= 0 && info.Total != total) {
			t.Fatalf("page %d: %+v", p, info)
		}
		total = info.Total
		out = append(out, ids...)
	}
	return out, total
}

func TestRectificationPage(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	office01 := domain.ViewerFor(testdb.AddUser(t, db, "sup01", "鲁01", "监察室", domain.RoleSupervisionOffice), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	resp := domain.ViewerFor(testdb.AddUser(t, db, "resp", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	var ids []int64
	for i := range 7 {
		s := oversight.Suggestion{Problem: fmt.Sprintf("问题%d", i), Evidence: "抽查", Improve: "改进",
			Deadline: domain.MustDate("2026-04-30").AddDays(-i)}
		id, err := db.IssueSuggestion(ctx, office01, "鲁0102", s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		now = now.Add(time.Minute)
	}
	// resp answers for an item of the first two: one overdue, one not.
	for i, d := range []string{"2026-03-10", "2026-04-10"} {
		it := oversight.Item{Unit: "执行一庭", Responsible: resp.UserID, Deadline: domain.MustDate(d), Task: "整改"}
		if _, err := db.AddRectItem(ctx, bureau, ids[i], it); err != nil {
			t.Fatal(err)
		}
	}
	read := func(v domain.Viewer, f store.RectFilter) func(store.PageReq) ([]int64, store.PageInfo) {
		return func(r store.PageReq) ([]int64, store.PageInfo) {
			rs, info, err := db.RectificationPage(ctx, v, f, r)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, x := range rs {
				out = append(out, x.ID)
			}
			return out, info
		}
	}
	got, total := pagedIDs(t, 3, read(bureau, store.RectFilter{}), "", false)
	want := slices.Clone(ids)
	slices.Reverse(want)
	if total != 7 || !slices.Equal(got, want) {
		t.Fatalf("latest first: %v of %d, want %v", got, total, want)
	}
	// By deadline, ascending: the last issued has the earliest deadline.
	if got, _ := pagedIDs(t, 3, read(bureau, store.RectFilter{}), "deadline", false); !slices.Equal(got, want) {
		t.Fatalf("by deadline: %v, want %v", got, want)
	}
	if got, _ := pagedIDs(t, 2, read(bureau, store.RectFilter{}), "deadline", true); !slices.Equal(got, ids[:6]) {
		t.Fatalf("by deadline, latest first: %v, want %v", got, ids[:6])
	}
	// The responsible person sees his two; the state filter reads the
	// items he sees, 逾期 from today.
	now = time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC)
	if got, info := read(resp, store.RectFilter{})(store.PageReq{}); info.Total != 2 || len(got) != 2 {
		t.Fatalf("the responsible person: %v %+v", got, info)
	}
	if got, info := read(resp, store.RectFilter{State: oversight.StateOverdue})(store.PageReq{}); info.Total != 1 || got[0] != ids[0] {
		t.Fatalf("overdue: %v %+v", got, info)
	}
	if got, info := read(bureau, store.RectFilter{State: oversight.StatePending})(store.PageReq{}); info.Total != 1 || got[0] != ids[1] {
		t.Fatalf("pending: %v %+v", got, info)
	}
}

func TestInspectionPage(t *testing.T) {
	f := newInspectionFixture(t)
	db := f.db
	first, err := db.Inspection(ctx, f.leader, f.id)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{f.id}
	for i := 1; i < 7; i++ {
		in := store.InspectionInput{
			Campaign: inspection.Campaign{Kind: first.Kind, Theme: first.Theme, Title: fmt.Sprintf("评查%c", 'A'+i),
				From: domain.MustDate("2025-01-01").AddDays(i * 10), To: domain.MustDate("2025-12-31"), Plan: "交叉评查。"},
			Courts: []string{"鲁0102"}, MemberIDs: []int64{f.leader.UserID, f.group.UserID, f.office.UserID}, LeaderID: f.leader.UserID,
			PerCourt: 1, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7,
		}
		id, err := db.CreateInspection(ctx, f.leader, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	read := func(v domain.Viewer) func(store.PageReq) ([]int64, store.PageInfo) {
		return func(r store.PageReq) ([]int64, store.PageInfo) {
			list, info, err := db.InspectionPage(ctx, v, r)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, x := range list {
				out = append(out, x.ID)
			}
			return out, info
		}
	}
	// The latest period first: the fixture's 2026 campaign, then the
	// later starts of 2025.
	want := append([]int64{ids[0]}, ids[1:]...)
	slices.Reverse(want[1:])
	if got, total := pagedIDs(t, 3, read(f.leader), "", false); total != 7 || !slices.Equal(got, want) {
		t.Fatalf("latest first: %v of %d, want %v", got, total, want)
	}
	// By title: the fixture's "2026年…", then 评查B … 评查G.
	if got, _ := pagedIDs(t, 3, read(f.leader), "title", false); !slices.Equal(got, ids) {
		t.Fatalf("by title: %v", got)
	}
	// Scope kept: the court beside sees none, the officer's court's
	// bureau all seven (each covers 鲁0102).
	if _, info := read(f.beside)(store.PageReq{}); info.Total != 0 {
		t.Fatalf("beside: %+v", info)
	}
	if _, info := read(f.bureau0102)(store.PageReq{Size: 3, Page: 2}); info.Total != 7 || info.Page != 2 {
		t.Fatalf("bureau of 鲁0102: %+v", info)
	}
}

func TestTrackingList(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("t")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	// Cases 7, 6, …, 1 opened in that order: the latest opened is 执1号.
	var ids []int64
	for i := 7; i >= 1; i-- {
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执%d号", i), "2026-01-05")
		upsert(t, db, sys, k)
		got, err := db.CaseByNumber(ctx, sys, k.No.String())
		if err != nil {
			t.Fatal(err)
		}
		id, err := db.OpenTracking(ctx, sys, got.ID, domain.MustDate("2026-03-01").AddDays(-i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		now = now.Add(time.Minute)
	}
	read := func(f store.TrackingFilter) func(store.PageReq) ([]int64, store.PageInfo) {
		return func(r store.PageReq) ([]int64, store.PageInfo) {
			f.Page = r
			list, info, err := db.TrackingList(ctx, bureau, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, x := range list {
				out = append(out, x.ID)
			}
			return out, info
		}
	}
	latest := slices.Clone(ids)
	slices.Reverse(latest)
	if got, total := pagedIDs(t, 3, read(store.TrackingFilter{}), "", false); total != 7 || !slices.Equal(got, latest) {
		t.Fatalf("latest first: %v of %d, want %v", got, total, latest)
	}
	// Listed as candidates earliest first: 执7号 (7 days before) first.
	if got, _ := pagedIDs(t, 3, read(store.TrackingFilter{Court: "鲁0102"}), "since", false); !slices.Equal(got, ids) {
		t.Fatalf("by candidate date: %v, want %v", got, ids)
	}
	if _, info := read(store.TrackingFilter{Step: tracking.StepTracking})(store.PageReq{}); info.Total != 0 {
		t.Fatalf("step filter: %+v", info)
	}
	if all, err := db.Trackings(ctx, bureau, store.TrackingFilter{Page: store.PageReq{Size: 2}}); err != nil || len(all) != 7 {
		t.Fatalf("Trackings reads all: %d, %v", len(all), err)
	}
}

func TestFindingsPaged(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 4, 10, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("test")
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	beside := domain.ViewerFor(testdb.AddUser(t, db, "bur02", "鲁02", "执行局", domain.RoleBureau), "")
	var nos []string
	for i := 1; i <= 7; i++ {
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执%d号", i), "2026-01-05")
		upsert(t, db, sys, k)
		k, _ = db.CaseByNumber(ctx, sys, k.No.String())
		replaceActs(t, db, sys, k.ID, patrolAct(tracking.ActFundsIn, "2026-03-01", 100))
		nos = append(nos, k.No.String())
	}
	rules := tracking.DefaultPatrolRules()
	for i := range rules {
		rules[i].On = rules[i].Code == tracking.RuleFundsPayout
	}
	if _, err := db.RunPatrol(ctx, sys, "鲁0102", domain.MustDate("2026-04-01"), rules); err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := 1; p <= 3; p++ {
		pg, err := db.Findings(ctx, cc, store.FindingFilter{Page: store.PageReq{Page: p, Size: 3, Sort: "case", Desc: true}})
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total != 7 || pg.Info.Total != 7 || pg.Info.Page != p || pg.Info.Pages != 3 {
			t.Fatalf("page %d: total %d, %+v", p, pg.Total, pg.Info)
		}
		for _, f := range pg.Findings {
			got = append(got, f.CaseNo)
		}
	}
	want := slices.Clone(nos)
	slices.SortFunc(want, func(a, b string) int { return -strings.Compare(a, b) })
	if !slices.Equal(got, want) {
		t.Fatalf("by case number, descending: %v, want %v", got, want)
	}
	if pg, err := db.Findings(ctx, cc, store.FindingFilter{Rule: "no such rule"}); err != nil || pg.Info.Total != 0 || pg.Total != 0 {
		t.Fatalf("another rule: %+v, %v", pg, err)
	}
	if pg, err := db.Findings(ctx, beside, store.FindingFilter{}); err != nil || pg.Info.Total != 0 {
		t.Fatalf("the court beside: %+v, %v", pg, err)
	}
}

func TestAuditPage(t *testing.T) {
	db := testdb.Open(t)
	jn := domain.ViewerFor(testdb.AddUser(t, db, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	for i := range 7 {
		testdb.AddUser(t, db, fmt.Sprintf("ap.%d", i), "鲁0102", "执行一庭", domain.RoleOfficer)
	}
	testdb.AddUser(t, db, "ap.qd", "鲁0202", "执行一庭", domain.RoleOfficer)
	f := store.AuditFilter{Action: "user.create"}
	all, err := db.ListAudit(ctx, jn, store.AuditFilter{Action: "user.create", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	read := func(r store.PageReq) ([]int64, store.PageInfo) {
		recs, info, err := db.AuditPage(ctx, jn, f, r)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, x := range recs {
			out = append(out, x.Seq)
			if !strings.HasPrefix(x.CourtPath, "/鲁/鲁01/") {
				t.Errorf("the watchdog of 鲁01 reads a record of %s", x.CourtPath)
			}
		}
		return out, info
	}
	pages := (len(all) + 2) / 3
	got, total := pagedIDs(t, pages, read, "", false)
	var want []int64
	for _, r := range all {
		want = append(want, r.Seq)
	}
	if total != len(all) || total < 8 || !slices.Equal(got, want) {
		t.Fatalf("newest first: %v of %d, want %v", got, total, want)
	}
	slices.Reverse(want)
	if got, _ := pagedIDs(t, pages, read, "seq", false); !slices.Equal(got, want) {
		t.Fatalf("oldest first: %v, want %v", got, want)
	}
	if _, _, err := db.AuditPage(ctx, domain.ViewerFor(testdb.AddUser(t, db, "ap.admin", "鲁01", "信息技术处", domain.RoleAdmin), ""), f, store.PageReq{}); err == nil {
		t.Fatal("the administrator reads the audit page")
	}
}

func TestMessagePage(t *testing.T) {
	db := testdb.Open(t)
	ua := testdb.AddUser(t, db, "mp.a", "鲁0102", "执行一庭", domain.RoleOfficer)
	ub := testdb.AddUser(t, db, "mp.b", "鲁0102", "执行一庭", domain.RoleOfficer)
	a := domain.ViewerFor(ua, "")
	for i := range 7 {
		notify(t, db, oversight.Notice{Kind: oversight.NoticeVisitOnsite, Title: fmt.Sprintf("消息%d", i), Link: fmt.Sprintf("/visits/%d", i), CourtID: ua.CourtID}, ua)
	}
	notify(t, db, oversight.Notice{Kind: oversight.NoticeVisitOnsite, Title: "别人的", Link: "/visits/99", CourtID: ub.CourtID}, ub)
	read := func(unread bool) func(store.PageReq) ([]int64, store.PageInfo) {
		return func(r store.PageReq) ([]int64, store.PageInfo) {
			ms, info, err := db.MessagePage(ctx, a, unread, r)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, m := range ms {
				out = append(out, m.ID)
			}
			return out, info
		}
	}
	oldest, total := pagedIDs(t, 3, read(false), "time", false)
	if total != 7 || len(oldest) != 7 {
		t.Fatalf("a's messages: %v of %d", oldest, total)
	}
	// Unread first: the oldest, once read, goes last.
	if err := db.MarkRead(ctx, a, oldest[0]); err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(oldest[1:]), oldest[0])
	slices.Reverse(want[:6])
	if got, _ := pagedIDs(t, 3, read(false), "", false); !slices.Equal(got, want) {
		t.Fatalf("unread first: %v, want %v", got, want)
	}
	if _, info := read(true)(store.PageReq{Page: 2, Size: 3}); info.Total != 6 || info.Page != 2 {
		t.Fatalf("unread only: %+v", info)
	}
}
