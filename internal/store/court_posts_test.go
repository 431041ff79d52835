package store_test

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
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
