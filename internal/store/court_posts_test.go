package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// Issue 14, liaisons and leaders: a court's administrator names one holder
// per post from the court's members who hold the post's role; the bodies
// of the court and above see them, vacancies included.
func TestCourtPosts(t *testing.T) {
	db := testdb.Open(t)
	admin := domain.ViewerFor(testdb.AddUser(t, db, "adm", "鲁0102", "信息技术处", domain.RoleAdmin), "")
	chief := testdb.AddUser(t, db, "chief", "鲁0102", "执行局", domain.RoleBureau)
	group := testdb.AddUser(t, db, "grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	other := testdb.AddUser(t, db, "qdg", "鲁0202", "派驻纪检监察组", domain.RoleDisciplineGroup)
	jnBureau := domain.ViewerFor(testdb.AddUser(t, db, "jnb", "鲁01", "执行局", domain.RoleBureau), "")
	qdBureau := domain.ViewerFor(testdb.AddUser(t, db, "qdb", "鲁02", "执行局", domain.RoleBureau), "")

	for name, tt := range map[string]struct {
		v    domain.Viewer
		post oversight.Post
		user int64
		want error
	}{
		"the bureau appoints":             {domain.ViewerFor(chief, ""), oversight.PostBureauLeader, chief.ID, domain.ErrForbidden},
		"a group member as bureau leader": {admin, oversight.PostBureauLeader, group.ID, domain.ErrInvalid},
		"another court's member":          {admin, oversight.PostDisciplineLiaison, other.ID, domain.ErrInvalid},
		"an unknown post":                 {admin, "chief", chief.ID, domain.ErrInvalid},
	} {
		if err := db.AppointPost(ctx, tt.v, "鲁0102", tt.post, tt.user); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", name, err, tt.want)
		}
	}
	if err := db.AppointPost(ctx, admin, "鲁0102", oversight.PostBureauLeader, chief.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.AppointPost(ctx, admin, "鲁0102", oversight.PostDisciplineLiaison, group.ID); err != nil {
		t.Fatal(err)
	}
	// One holder per post: appointing again replaces; 0 vacates.
	if err := db.AppointPost(ctx, admin, "鲁0102", oversight.PostDisciplineLiaison, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.AppointPost(ctx, admin, "鲁0102", oversight.PostDisciplineLeader, group.ID); err != nil {
		t.Fatal(err)
	}
	_, posts, err := db.CourtPosts(ctx, jnBureau, "鲁0102")
	if err != nil {
		t.Fatal(err)
	}
	held := map[oversight.Post]string{}
	for _, p := range posts {
		held[p.Post] = p.Name
	}
	if len(posts) != 5 || held[oversight.PostBureauLeader] != chief.Name || held[oversight.PostDisciplineLeader] != group.Name || held[oversight.PostDisciplineLiaison] != "" {
		t.Fatalf("posts %+v", posts)
	}
	if _, _, err := db.CourtPosts(ctx, qdBureau, "鲁0102"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Qingdao's bureau reads Jinan's posts: %v", err)
	}
	cands, err := db.PostCandidates(ctx, admin, "鲁0102")
	if err != nil || len(cands) != 2 {
		t.Fatalf("candidates %+v %v", cands, err)
	}
	recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "court.post", Limit: 50})
	if len(recs) != 4 {
		t.Fatalf("%d court.post audit records, want 4", len(recs))
	}
}

// appoint makes u hold post at his court.
func appoint(t *testing.T, db *store.DB, u *domain.User, post oversight.Post) {
	t.Helper()
	if err := db.AppointPost(ctx, domain.SystemViewer("t"), u.CourtCode, post, u.ID); err != nil {
		t.Fatal(err)
	}
}

// The liaisons hear of the steps they owe: a visit in consultation, an
// on-site visit, a higher court's supervision; never about a case they
// handle themselves, and never what the party said (issue 14).
func TestLiaisonsAreNotified(t *testing.T) {
	db := testdb.Open(t)
	bl := testdb.AddUser(t, db, "bl", "鲁0102", "执行局", domain.RoleBureau)
	dl := testdb.AddUser(t, db, "dl", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	// The office's liaison is also the case's officer: he hears nothing.
	sl := testdb.AddUser(t, db, "sl", "鲁0102", "监察室", domain.RoleSupervisionOffice, domain.RoleOfficer)
	appoint(t, db, bl, oversight.PostBureauLiaison)
	appoint(t, db, dl, oversight.PostDisciplineLiaison)
	appoint(t, db, sl, oversight.PostSupervisionLiaison)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer = sl.Name
	k.ClosedOn, k.ClosingMode = domain.MustDate("2026-10-10"), "执行完毕"
	k.Parties = k.Parties[:1]
	upsert(t, db, domain.SystemViewer("t"), k)
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	cfg := visit.DefaultConfig()
	no := false
	for _, ev := range []visit.Event{{Kind: visit.EventStartPhone}, {Kind: visit.EventPhoneRecorded, Answers: &visit.Answers{Satisfied: &no, Text: "承办人吃请"}}} {
		if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("t"), vs[0].ID, ev, cfg); err != nil {
			t.Fatal(err)
		}
	}
	titles := func(u *domain.User) string {
		t.Helper()
		ms, err := db.Messages(ctx, domain.ViewerFor(u, ""), false, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.Title+" "+m.Link)
		}
		return strings.Join(out, "\n")
	}
	for _, u := range []*domain.User{bl, dl} {
		if s := titles(u); !strings.Contains(s, "回访需三家会商：（2026）鲁0102执1号") || strings.Contains(s, "吃请") {
			t.Errorf("%s's messages: %q", u.Username, s)
		}
	}
	if s := titles(sl); s != "" {
		t.Errorf("the case's officer, a liaison, hears of the visit: %q", s)
	}
	jn := domain.ViewerFor(testdb.AddUser(t, db, "jnb", "鲁01", "执行局", domain.RoleBureau), "")
	if err := db.SuperviseCase(ctx, jn, caseID(t, db, k), domain.Supervision{Doc: "督12号", On: db.Today()}); err != nil {
		t.Fatal(err)
	}
	if s := titles(bl); !strings.Contains(s, "上级法院督办案件：（2026）鲁0102执1号") {
		t.Errorf("the bureau's liaison hears nothing of the supervision: %q", s)
	}
	if s := titles(dl); strings.Contains(s, "督办") {
		t.Errorf("the group's liaison hears of the supervision: %q", s)
	}
}
