package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 14, improvement suggestions and rectification: a watchdog of the
// court or above issues, the bureau breaks it into items, the responsible
// person reports and submits, the issuing court's watchdogs accept or
// return; 逾期 is read from the deadline; only the watchdogs and the bureau
// of the court and above, and the responsible person for his own items,
// see any of it.
func TestRectification(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	group01 := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	office01 := domain.ViewerFor(testdb.AddUser(t, db, "sup01", "鲁01", "监察室", domain.RoleSupervisionOffice), "")
	office := domain.ViewerFor(testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	bureau01 := domain.ViewerFor(testdb.AddUser(t, db, "bur01", "鲁01", "执行局", domain.RoleBureau), "")
	beside := domain.ViewerFor(testdb.AddUser(t, db, "grp02", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	resp := domain.ViewerFor(testdb.AddUser(t, db, "resp", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	other := domain.ViewerFor(testdb.AddUser(t, db, "other", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	liaison := testdb.AddUser(t, db, "liaison", "鲁0102", "执行局", domain.RoleBureau)
	admin := domain.SystemViewer("t")
	if err := db.AppointPost(ctx, admin, "鲁0102", oversight.PostBureauLiaison, liaison.ID); err != nil {
		t.Fatal(err)
	}

	s := oversight.Suggestion{Problem: "执行款发放不及时", Evidence: "抽查12件", Improve: "建立执行款台账", Deadline: domain.MustDate("2026-03-31")}
	for _, v := range []domain.Viewer{bureau, resp, beside} {
		if _, err := db.IssueSuggestion(ctx, v, "鲁0102", s); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("%s issues: %v", v.Username, err)
		}
	}
	bad := s
	bad.Problem, bad.Deadline = "", domain.MustDate("2026-03-01")
	var ve *domain.ValidationError
	if _, err := db.IssueSuggestion(ctx, office01, "鲁0102", bad); !errors.As(err, &ve) || ve.Fields["problem"] == "" || ve.Fields["deadline"] == "" {
		t.Fatalf("bad suggestion: %v", err)
	}
	id, err := db.IssueSuggestion(ctx, office01, "鲁0102", s)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := db.UnreadCount(ctx, domain.ViewerFor(liaison, "")); n != 1 {
		t.Fatalf("the bureau's liaison has %d messages", n)
	}
	if todo, _ := db.RectToDos(ctx, bureau); len(todo) != 1 || todo[0].ItemID != 0 {
		t.Fatalf("the bureau's to-dos: %+v", todo)
	}

	// Items: by the bureau, the responsible person of the court.
	it := oversight.Item{Unit: "执行一庭", Responsible: resp.UserID, Deadline: domain.MustDate("2026-03-20"), Task: "建立台账"}
	if _, err := db.AddRectItem(ctx, resp, id, it); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a stranger adds an item: %v", err)
	}
	if _, err := db.AddRectItem(ctx, office, id, it); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a watchdog of the court below adds an item: %v", err)
	}
	late := it
	late.Deadline, late.Responsible = domain.MustDate("2026-04-30"), bureau01.UserID
	if _, err := db.AddRectItem(ctx, bureau, id, late); !errors.As(err, &ve) || ve.Fields["deadline"] == "" || ve.Fields["responsible"] == "" {
		t.Fatalf("bad item: %v", err)
	}
	item, err := db.AddRectItem(ctx, bureau, id, it)
	if err != nil {
		t.Fatal(err)
	}
	it2 := it
	it2.Responsible, it2.Task = other.UserID, "清理积压"
	item2, err := db.AddRectItem(ctx, bureau, id, it2)
	if err != nil {
		t.Fatal(err)
	}

	// Who sees.
	for _, v := range []domain.Viewer{group01, office01, office, bureau, bureau01} {
		r, err := db.Rectification(ctx, v, id)
		if err != nil || len(r.Items) != 2 || !r.Full {
			t.Fatalf("%s: %v", v.Username, err)
		}
	}
	for _, v := range []domain.Viewer{beside, cc} {
		if _, err := db.Rectification(ctx, v, id); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("%s sees it: %v", v.Username, err)
		}
		if rs, _ := db.Rectifications(ctx, v, store.RectFilter{}); len(rs) != 0 {
			t.Fatalf("%s lists it", v.Username)
		}
	}
	if r, err := db.Rectification(ctx, resp, id); err != nil || len(r.Items) != 1 || r.Items[0].ID != item || r.Full {
		t.Fatalf("the responsible person: %+v %v", r, err)
	}

	// Report, submit, return, submit, accept.
	if err := db.ReportRectItem(ctx, other, id, item, oversight.Report{Measures: "x"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another's item: %v", err)
	}
	if err := db.ReportRectItem(ctx, resp, id, item, oversight.Report{Measures: "建立台账", Submit: true}); !errors.As(err, &ve) || ve.Fields["outcome"] == "" {
		t.Fatalf("submitted without an outcome: %v", err)
	}
	if err := db.ReportRectItem(ctx, resp, id, item, oversight.Report{Measures: "建立台账"}); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideRectItem(ctx, office01, id, item, true, ""); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("accepting an item in progress: %v", err)
	}
	rule := oversight.Rule{Title: "执行款管理办法", Number: "历下法〔2026〕3号", On: domain.MustDate("2026-03-01")}
	if err := db.ReportRectItem(ctx, resp, id, item, oversight.Report{Measures: "建立台账", Outcome: "已发放", Rule: rule, Submit: true}); err != nil {
		t.Fatal(err)
	}
	if todo, _ := db.RectToDos(ctx, office01); len(todo) != 1 || todo[0].ItemID != item {
		t.Fatalf("the issuer's to-dos: %+v", todo)
	}
	if err := db.DecideRectItem(ctx, office, id, item, true, ""); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the watchdog of the court below accepts: %v", err)
	}
	if err := db.DecideRectItem(ctx, office01, id, item, false, ""); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("returned without a note: %v", err)
	}
	if err := db.DecideRectItem(ctx, office01, id, item, false, "台账不完整"); err != nil {
		t.Fatal(err)
	}
	if err := db.ReportRectItem(ctx, bureau, id, item, oversight.Report{Measures: "补全台账", Outcome: "已发放", Rule: rule, Submit: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideRectItem(ctx, group01, id, item, true, ""); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Rectification(ctx, bureau, id)
	if got := r.Items[0]; got.State != oversight.StateClosed || got.Rule != rule || got.Measures != "补全台账" {
		t.Fatalf("accepted item: %+v", got)
	}
	if err := db.ReportRectItem(ctx, resp, id, item, oversight.Report{Measures: "再改"}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("reporting a closed item: %v", err)
	}

	// 逾期: past the deadline and not accepted; overdue first on the list.
	now = time.Date(2026, 3, 25, 2, 0, 0, 0, time.UTC)
	today := domain.DateOf(now, domain.Beijing)
	r, _ = db.Rectification(ctx, bureau, id)
	if r.Items[0].Shown(today) != oversight.StateClosed || r.Items[1].Shown(today) != oversight.StateOverdue {
		t.Fatalf("states on %s: %s, %s", today, r.Items[0].Shown(today), r.Items[1].Shown(today))
	}
	if rs, _ := db.Rectifications(ctx, group01, store.RectFilter{State: oversight.StateOverdue}); len(rs) != 1 {
		t.Fatalf("overdue filter: %d", len(rs))
	}
	if todo, _ := db.RectToDos(ctx, other); len(todo) != 1 || !todo[0].Overdue || todo[0].ItemID != item2 {
		t.Fatalf("the overdue to-do: %+v", todo)
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'rectification.%' OR action = 'suggestion.issue'").Scan(&n); err != nil || n != 8 {
		t.Fatalf("audited %d: %v", n, err)
	}
}

// The daily reminders: three days before an item's deadline, the day
// after it, then weekly; once a day however often the job runs; never
// for an item waiting for acceptance.
func TestRectificationReminders(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	office01 := domain.ViewerFor(testdb.AddUser(t, db, "sup01", "鲁01", "监察室", domain.RoleSupervisionOffice), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	resp := domain.ViewerFor(testdb.AddUser(t, db, "resp", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	id, err := db.IssueSuggestion(ctx, office01, "鲁0102", oversight.Suggestion{Problem: "案款发放不及时", Evidence: "抽查", Improve: "建立台账",
		Deadline: domain.MustDate("2026-03-31")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRectItem(ctx, bureau, id, oversight.Item{Unit: "执行一庭", Responsible: resp.UserID, Deadline: domain.MustDate("2026-03-20"), Task: "建立台账"}); err != nil {
		t.Fatal(err)
	}
	unread := func() int {
		n, _ := db.UnreadCount(ctx, resp)
		return n
	}
	base := unread()
	for day, want := range map[string]int{"2026-03-16": 0, "2026-03-17": 1, "2026-03-21": 1, "2026-03-22": 0, "2026-03-28": 1} {
		d := domain.MustDate(day)
		now = time.Date(d.Year(), d.Month(), d.Day(), 2, 0, 0, 0, time.UTC)
		before := unread()
		for range 2 {
			if _, err := db.RemindRectifications(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if got := unread() - before; got != want {
			t.Errorf("%s: %d reminders, want %d", day, got, want)
		}
	}
	if unread()-base != 3 {
		t.Fatalf("%d reminders in all, want 3", unread()-base)
	}
}

// Evidence files: only PDF, images and Office documents (a ZIP or an
// unknown binary only under an Office name), at most 10 MB, kept with
// their SHA-256, read only by those who see the item.
func TestRectificationFiles(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) }
	office01 := domain.ViewerFor(testdb.AddUser(t, db, "sup01", "鲁01", "监察室", domain.RoleSupervisionOffice), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	resp := domain.ViewerFor(testdb.AddUser(t, db, "resp", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	other := domain.ViewerFor(testdb.AddUser(t, db, "other", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	id, err := db.IssueSuggestion(ctx, office01, "鲁0102", oversight.Suggestion{Problem: "案款", Evidence: "抽查", Improve: "台账", Deadline: domain.MustDate("2026-03-31")})
	if err != nil {
		t.Fatal(err)
	}
	item, err := db.AddRectItem(ctx, bureau, id, oversight.Item{Unit: "执行一庭", Responsible: resp.UserID, Deadline: domain.MustDate("2026-03-20"), Task: "台账"})
	if err != nil {
		t.Fatal(err)
	}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 100)...)
	zip := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 100)...)
	for name, tt := range map[string]struct {
		file string
		data []byte
	}{
		"text":             {"说明.txt", []byte("纯文本说明")},
		"HTML":             {"a.pdf", []byte("<html><script>alert(1)</script></html>")},
		"a ZIP named .exe": {"setup.exe", zip},
		"too big":          {"big.pdf", append(pdf, make([]byte, store.MaxAttachment)...)},
	} {
		if _, err := db.AddItemFile(ctx, resp, id, item, tt.file, tt.data); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := db.AddItemFile(ctx, other, id, item, "a.pdf", pdf); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a stranger uploads: %v", err)
	}
	aid, err := db.AddItemFile(ctx, resp, id, item, `C:\扫描\台账.pdf`, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddItemFile(ctx, resp, id, item, "台账.docx", zip); err != nil {
		t.Fatalf("an Office document: %v", err)
	}
	a, data, err := db.AttachmentFile(ctx, office01, aid)
	sum := sha256.Sum256(pdf)
	if err != nil || !bytes.Equal(data, pdf) || a.Name != "台账.pdf" || a.ContentType != "application/pdf" || a.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("the file: %+v %v", a, err)
	}
	if _, _, err := db.AttachmentFile(ctx, other, aid); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a stranger reads the file: %v", err)
	}
}
