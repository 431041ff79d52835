// Package oversight holds the rules of the seed's fifth part, 组织保障: the
// co-leaders and liaisons each court names, and (as they come) complaints,
// clues, dispositions and rectification. No I/O.
package oversight

import (
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Post is a standing appointment the seed asks each court to make: the two
// co-leaders of the four mechanisms (执行局局长, 纪检监察组组长) and one
// liaison (联络员) for each of the three bodies. The names are stored.
type Post string

// The posts, in the order pages show them.
const (
	PostBureauLeader       Post = "bureau_leader"       // 执行局局长
	PostDisciplineLeader   Post = "discipline_leader"   // 纪检监察组组长
	PostBureauLiaison      Post = "bureau_liaison"      // 执行局联络员
	PostDisciplineLiaison  Post = "discipline_liaison"  // 纪检监察组联络员
	PostSupervisionLiaison Post = "supervision_liaison" // 监察室联络员
)

// Posts lists every post in display order.
var Posts = []Post{PostBureauLeader, PostDisciplineLeader, PostBureauLiaison, PostDisciplineLiaison, PostSupervisionLiaison}

var postInfo = map[Post]struct {
	label string
	role  domain.Role
}{
	PostBureauLeader:       {"执行局局长", domain.RoleBureau},
	PostDisciplineLeader:   {"纪检监察组组长", domain.RoleDisciplineGroup},
	PostBureauLiaison:      {"执行局联络员", domain.RoleBureau},
	PostDisciplineLiaison:  {"纪检监察组联络员", domain.RoleDisciplineGroup},
	PostSupervisionLiaison: {"监察室联络员", domain.RoleSupervisionOffice},
}

// Valid reports whether p is a known post.
func (p Post) Valid() bool { _, ok := postInfo[p]; return ok }

// Label is the post's Chinese name.
func (p Post) Label() string {
	if i, ok := postInfo[p]; ok {
		return i.label
	}
	return string(p)
}

// Role is the role a holder of the post must have at the court.
func (p Post) Role() domain.Role { return postInfo[p].role }

// Liaisons are the liaison posts, one per body.
func Liaisons() []Post {
	return []Post{PostBureauLiaison, PostDisciplineLiaison, PostSupervisionLiaison}
}

// LiaisonOf is the liaison post of a body's role.
func LiaisonOf(r domain.Role) (Post, bool) {
	for _, p := range Liaisons() {
		if p.Role() == r {
			return p, true
		}
	}
	return "", false
}

// Holder is what the rules need of a user to say whether he may hold a post.
type Holder struct {
	CourtID  int64
	Roles    []domain.Role
	Disabled bool
}

// CheckHolder says whether h may hold p at the court courtID: an active
// member of that court who holds the post's role.
func CheckHolder(p Post, h Holder, courtID int64) error {
	switch {
	case !p.Valid():
		return domain.Invalid("post", "未知的职务")
	case h.CourtID != courtID:
		return domain.Invalid("post_"+string(p), p.Label()+"应为本院人员")
	case h.Disabled:
		return domain.Invalid("post_"+string(p), p.Label()+"不能由已停用的账户担任")
	case !slices.Contains(h.Roles, p.Role()):
		return domain.Invalid("post_"+string(p), p.Label()+"应由具有“"+p.Role().Label()+"”角色的人员担任")
	}
	return nil
}

// CanAppoint reports whether v records a court's posts: its administrator,
// for the courts he administers.
func CanAppoint(v domain.Viewer, courtPath string) bool {
	return v.CanAdminister() && strings.HasPrefix(courtPath, v.AdminScope())
}

// CanSeePosts reports whether v sees a court's posts: its administrator,
// and the three bodies of the court or a court above it.
func CanSeePosts(v domain.Viewer, courtPath string) bool {
	if CanAppoint(v, courtPath) {
		return true
	}
	return v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) && v.CanSeeCourt(courtPath)
}
