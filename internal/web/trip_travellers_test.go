package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
)

// Issue 13 point 10 through the pages: the officer picks his companion
// from the court's staff and names outsiders apart; a companion of
// another court is refused in Chinese with the form as typed; the
// companion finds the trip on his home page and files his own 附件1, and
// sees neither the officer's report nor its review; the trip page says
// who has filed.
func TestTripTravellerPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	clock := time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing)
	db.Now = func() time.Time { return clock }
	testdb.AddUser(t, db, "lx.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	mate := testdb.AddUser(t, db, "lx.mate", "鲁0102", "执行二庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "lx.head", "鲁0102", "执行一庭", domain.RoleDeptHead)
	stranger := testdb.AddUser(t, db, "qd.off", "鲁01", "执行一庭", domain.RoleOfficer)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), Officer: "测试lx.off", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}

	off := e.browser().loggedIn("lx.off")
	if r := off.get("/trips/new"); !strings.Contains(r.body, fmt.Sprintf(`name="travellers" value="%d"`, mate.ID)) || !strings.Contains(r.body, "其他同行人员（非本院人员）") ||
		strings.Contains(r.body, "测试qd.off") {
		t.Fatalf("the new trip form offers no staff: %s", r.body)
	}
	form := url.Values{"cases": {"(2026)鲁0102执1号"}, "destination": {"370203"}, "depart_at": {"2026-09-29T08:00"}, "return_at": {"2026-09-30T18:00"},
		"companions": {"协助执行的公安民警张三"}, "task": {"查封被执行人房产"}, "travellers": {fmt.Sprint(mate.ID), fmt.Sprint(stranger.ID)}}
	if r := off.post("/trips", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "同行人员测试qd.off不是本院在职人员") ||
		!strings.Contains(r.body, fmt.Sprintf(`value="%d" checked`, mate.ID)) {
		t.Fatalf("a stranger chosen: %d %s", r.status, r.body)
	}
	if ts, _ := db.Trips(ctx, domain.SystemViewer("t"), store.TripFilter{}); len(ts) != 0 {
		t.Fatal("a refused trip was registered")
	}
	form["travellers"] = []string{fmt.Sprint(mate.ID)}
	r := off.post("/trips", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	path := r.header.Get("Location")
	if r := off.get(path); !strings.Contains(r.body, "测试lx.mate（执行二庭）") || !strings.Contains(r.body, "协助执行的公安民警张三") {
		t.Fatalf("trip page: %s", r.body)
	}

	clock = time.Date(2026, 10, 9, 9, 0, 0, 0, domain.Beijing)
	off = e.browser().loggedIn("lx.off")
	mb := e.browser().loggedIn("lx.mate")
	if r := mb.get("/"); !hasTodo(r.body, "填写外出执行情况报告单", "赴山东省青岛市市北区（") {
		t.Fatalf("the companion's home lacks the report to-do: %s", r.body)
	}
	if r := mb.get("/trips"); !strings.Contains(r.body, path) {
		t.Fatal("the companion's list lacks the trip")
	}
	kc, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), no.String())
	report := func(yes bool, account string) url.Values {
		v := url.Values{"returned_on": {"2026-09-30"}, "attest": {"yes"}, "password": {testdb.Password}, fmt.Sprintf("case_%d", kc.ID): {account}}
		for _, it := range trip.Items {
			v.Set(it.Code, "no")
		}
		if yes {
			v.Set("T2", "yes")
		}
		return v
	}
	if r := off.post(path+"/report", report(true, "查封房产一处，officer")); r.status != http.StatusSeeOther {
		t.Fatalf("the officer's report: %d %s", r.status, r.body)
	}
	page := mb.get(path)
	if !strings.Contains(page.body, `action="`+path+`/report"`) || strings.Contains(page.body, "查封房产一处，officer") || strings.Contains(page.body, "报告审查") ||
		!strings.Contains(page.body, "已报告") || !strings.Contains(page.body, "未报告") {
		t.Fatalf("the companion's trip page: %s", page.body)
	}
	if r := mb.get(path + "/print"); strings.Contains(r.body, "查封房产一处，officer") {
		t.Fatal("the companion prints the officer's report")
	}
	if r := mb.post(path+"/report", report(false, "查封房产一处，mate")); r.status != http.StatusSeeOther {
		t.Fatalf("the companion's report: %d %s", r.status, r.body)
	}
	tr, reports, _ := db.TripByID(ctx, domain.SystemViewer("t"), tripID(t, path))
	if tr.Status != trip.StatusReported || len(reports) != 2 || reports[1].Signature.Signer != "测试lx.mate" {
		t.Fatalf("after both: %+v %+v", tr, reports)
	}
	if r := mb.post(path+"/report", report(false, "again")); r.status != http.StatusConflict {
		t.Fatalf("the companion files twice: %d", r.status)
	}
	head := e.browser().loggedIn("lx.head")
	page = head.get(path)
	if !strings.Contains(page.body, "查封房产一处，officer") || !strings.Contains(page.body, "查封房产一处，mate") || !strings.Contains(page.body, "报告审查") {
		t.Fatalf("the head's trip page: %s", page.body)
	}
	if r := head.get("/trips/accountability?year=2026"); !strings.Contains(strings.Join(strings.Fields(r.body), ""), `<tdclass="col-num">1</td><tdclass="col-num">2</td><tdclass="col-num">0</td><tdclass="col-num">2</td>`) {
		t.Fatalf("accountability: %s", r.body)
	}
}
