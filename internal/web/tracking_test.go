package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Mechanism 1 page by page: a flagged case becomes a candidate on the
// refresh button; the bureau sees the to-do and evaluates; a body records
// the consultation; the bureau disagrees; the co-leaders decide
// differently (tracked); a group with the case's officer is refused beside
// its field, a proper group starts the tracking. The case's officer and
// his department head, both also of the bureau, see nothing of it on any
// page, nor a to-do.
func TestTrackingPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	off := testdb.AddUser(t, db, "tp.off", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau)
	testdb.AddUser(t, db, "tp.head", "鲁0102", "执行一庭", domain.RoleDeptHead, domain.RoleBureau)
	bur := testdb.AddUser(t, db, "tp.bur", "鲁0102", "执行局", domain.RoleBureau)
	grp := testdb.AddUser(t, db, "tp.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup := testdb.AddUser(t, db, "tp.sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	chief := testdb.AddUser(t, db, "tp.chief", "鲁0102", "执行局", domain.RoleBureau)
	leader := testdb.AddUser(t, db, "tp.leader", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "tp.grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	for p, u := range map[oversight.Post]int64{oversight.PostBureauLeader: chief.ID, oversight.PostDisciplineLeader: leader.ID} {
		if err := db.AppointPost(ctx, sys, "鲁0102", p, u); err != nil {
			t.Fatal(err)
		}
	}
	no, _ := domain.ParseCaseNo("（2026）鲁0102执5号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: off.Name, Department: "执行一庭", SocialImpact: true}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	b := e.browser().loggedIn("tp.bur")
	if r := b.post("/tracking/refresh", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("refreshing: %d", r.status)
	}
	r := b.get("/tracking")
	if r.status != 200 || !strings.Contains(r.body, k.Number) || !strings.Contains(r.body, "有较大社会影响") {
		t.Fatalf("the list: %d", r.status)
	}
	ts, err := db.Trackings(ctx, sys, store.TrackingFilter{})
	if err != nil || len(ts) != 1 {
		t.Fatalf("trackings: %v %v", ts, err)
	}
	page := "/tracking/" + strconv64(ts[0].ID)
	if r := b.get("/"); !hasTodo(r.body, "综合评估重点案件候选", k.Number) {
		t.Errorf("the bureau's to-do is missing")
	}
	if r := b.get(page); !strings.Contains(r.body, `action="`+page+`/evaluate"`) || strings.Contains(r.body, `action="`+page+`/consult"`) {
		t.Errorf("the bureau's buttons on a candidate")
	}
	g := e.browser().loggedIn("tp.grp")
	if r := g.get(page); r.status != 200 || strings.Contains(r.body, `action="`+page+`/evaluate"`) {
		t.Errorf("the group's page: %d", r.status)
	}
	if r := g.post(page+"/evaluate", url.Values{"result": {"track"}}); r.status != http.StatusForbidden {
		t.Errorf("the group evaluates: %d", r.status)
	}
	if r := b.post(page+"/evaluate", url.Values{"result": {"track"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请写明评估理由") {
		t.Fatalf("an incomplete evaluation: %d", r.status)
	}
	ev := url.Values{"result": {"track"}, "reasoning": {"社会关注度高"}}
	for _, f := range []string{"amount", "parties", "media", "complaints", "findings"} {
		ev.Set("score_"+f, "4")
	}
	if r := b.post(page+"/evaluate", ev); r.status != http.StatusSeeOther {
		t.Fatalf("evaluating: %d %s", r.status, r.body)
	}
	s := e.browser().loggedIn("tp.sup")
	cons := url.Values{"held_on": {db.Today().String()}, "minutes": {"三家会商"}, "people_bureau": {"张局长"}, "people_discipline_group": {"李组长"},
		"people_supervision_office": {"王主任"}}
	if r := s.post(page+"/consult", cons); r.status != http.StatusSeeOther {
		t.Fatalf("consulting: %d", r.status)
	}
	if r := b.post(page+"/opinion", url.Values{"role": {"bureau"}, "agree": {"no"}, "opinion": {"案件已基本执行"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the bureau's opinion: %d", r.status)
	}
	if r := g.post(page+"/opinion", url.Values{"role": {"discipline_group"}, "agree": {"yes"}, "opinion": {"舆情关注"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the group's opinion: %d", r.status)
	}
	if r := s.post(page+"/opinion", url.Values{"role": {"supervision_office"}, "agree": {"yes"}, "opinion": {"同意"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the office's opinion: %d", r.status)
	}
	c := e.browser().loggedIn("tp.chief")
	if r := c.get("/"); !strings.Contains(r.body, "共同领导决定是否跟踪（执行局局长）") {
		t.Errorf("the co-leader's to-do is missing")
	}
	if r := b.post(page+"/decide", url.Values{"post": {"bureau_leader"}, "track": {"yes"}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("a bureau member decides as its head: %d", r.status)
	}
	if r := c.post(page+"/decide", url.Values{"post": {"bureau_leader"}, "track": {"no"}, "reason": {"不必跟踪"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the bureau's head decides: %d", r.status)
	}
	l := e.browser().loggedIn("tp.leader")
	if r := l.post(page+"/decide", url.Values{"post": {"discipline_leader"}, "track": {"yes"}, "reason": {"应当跟踪"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the group's head decides: %d", r.status)
	}
	if r := b.get(page + "/minutes"); r.status != 200 || !strings.Contains(r.body, "重点案件会商纪要") || !strings.Contains(r.body, "共同领导决定不一致") {
		t.Errorf("the minutes: %d", r.status)
	}
	bad := url.Values{"member_" + strconv64(off.ID): {"bureau"}, "member_" + strconv64(grp.ID): {"discipline_group"}, "member_" + strconv64(sup.ID): {"supervision_office"},
		"leader": {strconv64(grp.ID)}, "from": {db.Today().String()}, "to": {db.Today().AddDays(90).String()}, "plan": {"每月查看流程"}}
	if r := g.post(page+"/group", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "应当回避") {
		t.Fatalf("a group with the case's officer: %d", r.status)
	}
	good := bad
	delete(good, "member_"+strconv64(off.ID))
	good.Set("member_"+strconv64(bur.ID), "bureau")
	if r := g.post(page+"/group", good); r.status != http.StatusSeeOther {
		t.Fatalf("forming the group: %d %s", r.status, r.body)
	}
	if r := s.get("/tracking?step=tracking"); !strings.Contains(r.body, k.Number) || !strings.Contains(r.body, "共同领导决定") {
		t.Errorf("the tracked case is not listed with its decision")
	}
	// A watchdog of the court above sees, and may not act.
	up := e.browser().loggedIn("tp.grp01")
	if r := up.get(page); r.status != 200 || strings.Contains(r.body, "<form class=\"form\" method=\"post\"") {
		t.Errorf("the higher watchdog's page: %d", r.status)
	}
	// The case's officer and his department head see nothing of it.
	for _, u := range []string{"tp.off", "tp.head"} {
		x := e.browser().loggedIn(u)
		if r := x.get("/tracking"); strings.Contains(r.body, k.Number) {
			t.Errorf("%s sees the case on the list", u)
		}
		for _, p := range []string{page, page + "/minutes"} {
			if r := x.get(p); r.status != http.StatusNotFound {
				t.Errorf("%s %s: %d", u, p, r.status)
			}
		}
		if r := x.get("/"); strings.Contains(r.body, page) {
			t.Errorf("%s has a to-do about it", u)
		}
		if r := x.post(page+"/opinion", url.Values{"role": {"bureau"}}); r.status != http.StatusNotFound {
			t.Errorf("%s acts: %d", u, r.status)
		}
	}

	// The bureau flags another case on its page: a candidate from today.
	no2, _ := domain.ParseCaseNo("（2026）鲁0102执6号", domain.DefaultCaseTypes)
	k2 := &domain.Case{No: no2, FiledOn: domain.MustDate("2026-01-06"), Officer: off.Name, Department: "执行一庭"}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k2}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if r := g.post("/cases/"+strconv64(k2.ID)+"/flags", url.Values{"public_opinion": {"1"}}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("a watchdog flags a case: %d", r.status)
	}
	if r := b.post("/cases/"+strconv64(k2.ID)+"/flags", url.Values{"public_opinion": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("flagging: %d", r.status)
	}
	if r := b.get("/tracking?scope=public_opinion"); !strings.Contains(r.body, k2.Number) || !strings.Contains(r.body, "可能引发重大舆情</strong>（自"+db.Today().String()) {
		t.Errorf("the flagged case is no candidate")
	}
}
