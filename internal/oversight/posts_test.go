package oversight

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestPosts(t *testing.T) {
	for _, p := range Posts {
		if !p.Valid() || p.Label() == string(p) || !p.Role().Valid() {
			t.Errorf("post %s: label %q, role %q", p, p.Label(), p.Role())
		}
	}
	if p, ok := LiaisonOf(domain.RoleSupervisionOffice); !ok || p != PostSupervisionLiaison {
		t.Fatalf("the office's liaison: %s", p)
	}
	group := Holder{CourtID: 7, Roles: []domain.Role{domain.RoleDisciplineGroup}}
	for name, tt := range map[string]struct {
		p    Post
		h    Holder
		want bool
	}{
		"the group's leader":           {PostDisciplineLeader, group, true},
		"a group member as the bureau": {PostBureauLiaison, group, false},
		"another court's member":       {PostDisciplineLiaison, Holder{CourtID: 8, Roles: group.Roles}, false},
		"a disabled member":            {PostDisciplineLiaison, Holder{CourtID: 7, Roles: group.Roles, Disabled: true}, false},
		"an unknown post":              {"chief", group, false},
	} {
		if err := CheckHolder(tt.p, tt.h, 7); (err == nil) != tt.want {
			t.Errorf("%s: %v", name, err)
		}
	}
	admin := domain.Viewer{Roles: []domain.Role{domain.RoleAdmin}, CourtPath: "/鲁/鲁01/"}
	bureau := domain.Viewer{Roles: []domain.Role{domain.RoleBureau}, CourtPath: "/鲁/鲁01/"}
	officer := domain.Viewer{Roles: []domain.Role{domain.RoleOfficer}, CourtPath: "/鲁/鲁01/"}
	if !CanAppoint(admin, "/鲁/鲁01/鲁0102/") || CanAppoint(admin, "/鲁/") || CanAppoint(bureau, "/鲁/鲁01/") {
		t.Error("CanAppoint")
	}
	if !CanSeePosts(bureau, "/鲁/鲁01/鲁0102/") || CanSeePosts(bureau, "/鲁/鲁02/") || CanSeePosts(officer, "/鲁/鲁01/") {
		t.Error("CanSeePosts")
	}
}
