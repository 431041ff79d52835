package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The group sees the case's 网上巡查 findings on its page and decides them
// there, coming back to the page; a confirmed one counts in the
// statistics by its rule. The case's officer sees none of it.
func TestTrackingWorkPatrolFindings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	sys := domain.SystemViewer("t")
	officer := testdb.AddUser(t, db, "tp.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	lead := testdb.AddUser(t, db, "tp.lead", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	bur := testdb.AddUser(t, db, "tp.bur", "鲁0102", "执行局", domain.RoleBureau)
	sup := testdb.AddUser(t, db, "tp.sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执41号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: officer.Name, Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王五"}}}
	today := domain.DateOf(db.Now(), domain.Beijing)
	err := db.Update(ctx, sys, func(tx *store.Tx) error {
		if _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); err != nil {
			return err
		}
		_, err := tx.ReplaceCaseActs(ctx, k.ID, []tracking.Act{{Kind: tracking.ActFundsIn, On: today.AddDays(-45), Amount: 1_000_000}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RunPatrol(ctx, sys, "鲁0102", today, tracking.DefaultPatrolRules()); err != nil {
		t.Fatal(err)
	}
	id := startWork(t, e, k.ID, today.AddDays(-10), today.AddDays(30), lead.ID, bur.ID, sup.ID)
	work := fmt.Sprintf("/tracking/%d/work", id)

	b := e.browser().loggedIn("tp.sup")
	page := b.get(work)
	form := regexp.MustCompile(`action="(/patrol/findings/\d+)/confirm"`).FindStringSubmatch(page.body)
	if page.status != http.StatusOK || !strings.Contains(page.body, "案款到账后三十日内未发放") || form == nil {
		t.Fatalf("the work page lists no patrol finding to confirm: %d", page.status)
	}
	if strings.Contains(page.body, "尚未接入") {
		t.Error("the work page still says the patrol is not wired in")
	}
	r := b.post(form[1]+"/confirm", url.Values{"back": {work + "#patrol"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != work+"#patrol" {
		t.Fatalf("confirming: %d %s", r.status, r.header.Get("Location"))
	}
	if page := b.get(work); !strings.Contains(page.body, "已确认") {
		t.Error("the confirmed finding does not show as 已确认")
	}
	if st := b.get("/tracking/stats"); !strings.Contains(st.body, "网上巡查：案款到账后三十日内未发放") {
		t.Error("the statistics do not count the confirmed patrol finding by its rule")
	}
	off := e.browser().loggedIn("tp.off")
	if r := off.get(work); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
		t.Errorf("the officer on the work page: %d", r.status)
	}
	if r := off.get(fmt.Sprintf("/cases/%d", k.ID)); strings.Contains(r.body, "案款到账后三十日内未发放") {
		t.Error("the officer's case page shows the patrol finding")
	}
}
