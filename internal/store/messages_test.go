package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
)

// notify writes n to users in a transaction of its own.
func notify(t *testing.T, db *store.DB, n oversight.Notice, users ...*domain.User) {
	t.Helper()
	var ids []int64
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	if err := db.Update(context.Background(), domain.SystemViewer("t"), func(tx *store.Tx) error { return tx.Notify(context.Background(), ids, n) }); err != nil {
		t.Fatal(err)
	}
}

// outboxKeys lists the staff texts queued, key and body.
func outboxKeys(t *testing.T, db *store.DB) []string {
	t.Helper()
	return testdb.Strings(t, db, "SELECT idempotency_key || ' ' || body FROM sms_outbox WHERE kind = 'notice' ORDER BY id")
}

// Each reads, counts and marks his own messages only: another's are
// not found.
func TestMessagesAreOwn(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	ua := testdb.AddUser(t, db, "lia", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	ub := testdb.AddUser(t, db, "lib", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	a, b := domain.ViewerFor(ua, ""), domain.ViewerFor(ub, "")
	n := oversight.Notice{Kind: oversight.NoticeVisitOnsite, Title: "有一件回访待实地回访", Link: "/visits/1", CourtID: ua.CourtID}
	notify(t, db, n, ua, ub, ua) // a repeated recipient gets one
	n.Kind, n.Title, n.Link = oversight.NoticeCaseSupervised, "有一件案件被上级法院督办", "/cases/1"
	notify(t, db, n, ua)

	for _, c := range []struct {
		v    domain.Viewer
		want int
	}{{a, 2}, {b, 1}} {
		if k, err := db.UnreadCount(ctx, c.v); err != nil || k != c.want {
			t.Fatalf("%s unread: %d %v, want %d", c.v.Username, k, err, c.want)
		}
	}
	ms, err := db.Messages(ctx, a, false, 50)
	if err != nil || len(ms) != 2 || ms[0].Link != "/cases/1" || !ms[0].Unread() || ms[0].Kind.Label() != "上级法院督办" {
		t.Fatalf("a's messages: %+v %v", ms, err)
	}
	bs, _ := db.Messages(ctx, b, false, 50)
	if len(bs) != 1 || bs[0].Link != "/visits/1" {
		t.Fatalf("b's messages: %+v", bs)
	}
	// b cannot mark a's message, nor learn that it is there.
	if err := db.MarkRead(ctx, b, ms[0].ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("b marks a's message: %v", err)
	}
	if err := db.MarkRead(ctx, a, ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRead(ctx, a, ms[0].ID); err != nil {
		t.Fatalf("marking read twice: %v", err)
	}
	// Unread first: the older, unread one now leads the newer, read one.
	ms, _ = db.Messages(ctx, a, false, 50)
	if len(ms) != 2 || ms[0].Link != "/visits/1" || !ms[0].Unread() || ms[1].Unread() {
		t.Fatalf("after marking one: %+v", ms)
	}
	if un, _ := db.Messages(ctx, a, true, 50); len(un) != 1 {
		t.Fatalf("unread only: %+v", un)
	}
	if lim, _ := db.Messages(ctx, a, false, 1); len(lim) != 1 {
		t.Fatalf("limit: %+v", lim)
	}
	if k, err := db.MarkAllRead(ctx, a); err != nil || k != 1 {
		t.Fatalf("mark all: %d %v", k, err)
	}
	if k, _ := db.UnreadCount(ctx, a); k != 0 {
		t.Fatalf("a unread after all: %d", k)
	}
	if k, _ := db.UnreadCount(ctx, b); k != 1 {
		t.Fatalf("a's mark-all touched b: %d", k)
	}
	// A refused notice writes nothing.
	err = db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error {
		return tx.Notify(ctx, []int64{ub.ID}, oversight.Notice{Kind: oversight.NoticeGeneral, Title: "x", Link: "https://evil.example/"})
	})
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("bad link: %v", err)
	}
}

// Texts go for the kinds the administrator switches on, to recipients
// with a mobile on record, once each.
func TestNotifyTexts(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	withMobile := testdb.AddUser(t, db, "lim", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	withMobile.Mobile = "13700000009"
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { return tx.UpdateUser(ctx, withMobile) }); err != nil {
		t.Fatal(err)
	}
	without := testdb.AddUser(t, db, "lin", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	admin := domain.ViewerFor(testdb.AddUser(t, db, "adm", "鲁", "信息技术处", domain.RoleAdmin), "")

	// By default only the trip review is texted.
	on, err := db.NoticeSMS(ctx)
	if err != nil || !on[oversight.NoticeTripReview] || on[oversight.NoticeVisitOnsite] {
		t.Fatalf("defaults: %v %v", on, err)
	}
	n := oversight.Notice{Kind: oversight.NoticeVisitOnsite, Title: "有一件回访待实地回访", Link: "/visits/1", CourtID: withMobile.CourtID}
	notify(t, db, n, withMobile, without)
	if ks := outboxKeys(t, db); len(ks) != 0 {
		t.Fatalf("texted a kind that is off: %q", ks)
	}

	if err := db.SetNoticeSMS(ctx, domain.ViewerFor(without, ""), map[oversight.NoticeKind]bool{oversight.NoticeVisitOnsite: true}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a watchdog switched texts: %v", err)
	}
	if err := db.SetNoticeSMS(ctx, admin, map[oversight.NoticeKind]bool{oversight.NoticeVisitOnsite: true}); err != nil {
		t.Fatal(err)
	}
	if on, _ := db.NoticeSMS(ctx); !on[oversight.NoticeVisitOnsite] || on[oversight.NoticeTripReview] {
		t.Fatalf("after the switch: %v", on)
	}
	notify(t, db, n, withMobile, without)
	ks := outboxKeys(t, db)
	ms, _ := db.Messages(ctx, domain.ViewerFor(withMobile, ""), false, 1)
	want := fmt.Sprintf("message:%d 【济南市历下区人民法院】执廉提醒：您有一条新消息（待实地回访），请登录执廉系统查看。", ms[0].ID)
	if len(ks) != 1 || ks[0] != want {
		t.Fatalf("texts: %q, want %q", ks, want)
	}
	// A notice with a key is texted once per recipient, however often.
	n.Key = "onsite:1"
	notify(t, db, n, withMobile)
	notify(t, db, n, withMobile)
	if ks := outboxKeys(t, db); len(ks) != 2 || !strings.HasPrefix(ks[1], fmt.Sprintf("onsite:1:%d ", withMobile.ID)) {
		t.Fatalf("keyed texts: %q", ks)
	}
	var audited int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'notice.sms' AND detail LIKE '%待实地回访%'").Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("audit: %d %v", audited, err)
	}
}

// The header's count (read with the session) runs on every page: it reads the partial index
// alone, however many messages others have.
func BenchmarkUnreadCount(b *testing.B) {
	ctx := context.Background()
	db := testdb.Open(b)
	u := testdb.AddUser(b, db, "bench", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	other := testdb.AddUser(b, db, "other", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	tx, err := db.WriteDB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins := db.Rebind("INSERT INTO messages (user_id, court_id, kind, title, link, created_at, read_at) VALUES (?, ?, 'general', '通知', '/', ?, ?)")
	now := db.Now().UTC()
	for i := range 50000 {
		who, read := other.ID, any(now)
		if i%10 == 0 {
			who = u.ID
		}
		if i%3 == 0 {
			read = nil
		}
		if _, err := tx.Exec(ins, who, u.CourtID, now, read); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	v := domain.ViewerFor(u, "")
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.UnreadCount(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
}

// An officer who is also one of the watchdogs' liaisons hears nothing of
// the review of his own report; the other liaison does, and nobody reads
// more than where to look.
func TestTripReviewSparesTheOfficer(t *testing.T) {
	db := testdb.Open(t)
	clock := time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing)
	db.Now = func() time.Time { return clock }
	self := testdb.AddUser(t, db, "selfl", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleDisciplineGroup)
	appoint(t, db, self, oversight.PostDisciplineLiaison)
	other := testdb.AddUser(t, db, "otherl", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	appoint(t, db, other, oversight.PostSupervisionLiaison)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer = self.Name
	upsert(t, db, domain.SystemViewer("t"), k)
	v := domain.ViewerFor(self, "")
	tr, err := db.CreateTrip(ctx, v, trip.Plan{CaseNumbers: []string{"（2026）鲁0102执1号"}, Destinations: []string{"370203"}, Task: "查封",
		DepartAt: time.Date(2026, 9, 29, 8, 0, 0, 0, domain.Beijing), ReturnAt: time.Date(2026, 9, 30, 18, 0, 0, 0, domain.Beijing)}, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	a := allNo()
	a["T4"] = true
	clock = time.Date(2026, 10, 9, 10, 0, 0, 0, domain.Beijing)
	if _, err := db.FileTripReport(ctx, v, tr.ID, accounted(tr, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: a, Attested: true}), trip.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	if n, err := db.UnreadCount(ctx, v); err != nil || n != 0 {
		t.Fatalf("the officer has %d messages (%v)", n, err)
	}
	ms, err := db.Messages(ctx, domain.ViewerFor(other, ""), false, 10)
	if err != nil || len(ms) != 1 || ms[0].Kind != oversight.NoticeTripReview || !strings.HasPrefix(ms[0].Link, "/trip-reviews/") ||
		strings.Contains(ms[0].Title, self.Name) || strings.Contains(ms[0].Title, "执1号") || strings.Contains(ms[0].Title, "张三") {
		t.Fatalf("the other liaison's messages: %+v %v", ms, err)
	}
}
