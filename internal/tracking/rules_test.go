package tracking

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

func TestParseFactors(t *testing.T) {
	fs, err := ParseFactors(strings.NewReader("key,label,weight\namount,标的金额,30\n# 注释\nmedia,媒体关注,70\n"))
	if err != nil || len(fs) != 2 || fs[1] != (Factor{"media", "媒体关注", 70}) {
		t.Fatalf("%+v %v", fs, err)
	}
	_, err = ParseFactors(strings.NewReader("amount,标的金额,0\namount,重复,5\nx,y\n"))
	if !errors.Is(err, domain.ErrInvalid) || !strings.Contains(err.Error(), "第1行") || !strings.Contains(err.Error(), "重复") || !strings.Contains(err.Error(), "第3行") {
		t.Fatalf("bad table: %v", err)
	}
}

func TestNewEvaluation(t *testing.T) {
	fs := DefaultFactors()
	all := map[string]string{"amount": "5", "parties": "5", "media": "5", "complaints": "5", "findings": "5"}
	e, err := NewEvaluation(fs, all, ResultTrack, "理由")
	if err != nil || e.Total() != 100 {
		t.Fatalf("%+v %v", e, err)
	}
	all["findings"] = "0"
	if e, _ := NewEvaluation(fs, all, ResultTrack, "理由"); e.Total() != 85 {
		t.Fatalf("total %d, want 85", e.Total())
	}
	all["media"] = "6"
	_, err = NewEvaluation(fs, all, "", " ")
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields["score_media"] == "" || ve.Fields["result"] == "" || ve.Fields["reasoning"] == "" {
		t.Fatalf("bad evaluation: %v", err)
	}
	if by := DefaultConfig().EvaluateBy(domain.MustDate("2026-03-01")); by != domain.MustDate("2026-03-08") {
		t.Fatalf("evaluate by %s", by)
	}
}

func TestStrongSinceAndMerge(t *testing.T) {
	r := oversight.DefaultStrongRule()
	ps := []oversight.Petition{{On: domain.MustDate("2026-03-01"), Level: oversight.LevelCourt}, {On: domain.MustDate("2025-01-01"), Level: oversight.LevelCourt},
		{On: domain.MustDate("2026-04-01"), Level: oversight.LevelCourt}}
	if on, ok := StrongSince(r, ps); !ok || on != domain.MustDate("2026-04-01") {
		t.Fatalf("strong since %s %v", on, ok)
	}
	if _, ok := StrongSince(r, ps[:2]); ok {
		t.Fatal("two petitions a year apart are strong")
	}
	up := append(ps[:1:1], oversight.Petition{On: domain.MustDate("2026-02-01"), Level: oversight.LevelProvince})
	if on, ok := StrongSince(r, up); !ok || on != domain.MustDate("2026-02-01") {
		t.Fatalf("above the court since %s %v", on, ok)
	}
	m := Merge([]Reason{{Scope: ScopeOther, Since: domain.MustDate("2026-02-02"), Note: "b"}, {Scope: ScopeSocialImpact, Since: domain.MustDate("2026-03-01")},
		{Scope: ScopeOther, Since: domain.MustDate("2026-01-01"), Note: "a"}})
	if len(m) != 2 || m[0].Label != "有较大社会影响" || m[1].Since != domain.MustDate("2026-01-01") || len(m[1].Notes) != 2 {
		t.Fatalf("merged %+v", m)
	}
	today := domain.MustDate("2026-06-01")
	for _, c := range []struct {
		typ    string
		closed string
		want   bool
	}{{"执", "", true}, {"执恢", "2026-03-10", true}, {"执", "2026-02-01", false}, {"执异", "", false}} {
		var d domain.Date
		if c.closed != "" {
			d = domain.MustDate(c.closed)
		}
		if got := Eligible(c.typ, d, today); got != c.want {
			t.Errorf("Eligible(%s, %s) = %v", c.typ, c.closed, got)
		}
	}
}

func TestGroupValidate(t *testing.T) {
	today := domain.MustDate("2026-03-02")
	users := map[int64]Candidate{
		1: {UserID: 1, Name: "甲", CourtID: 9, DepartmentID: 1, Roles: []domain.Role{domain.RoleBureau}},
		2: {UserID: 2, Name: "乙", CourtID: 9, DepartmentID: 2, Roles: []domain.Role{domain.RoleDisciplineGroup}},
		3: {UserID: 3, Name: "丙", CourtID: 9, DepartmentID: 3, Roles: []domain.Role{domain.RoleSupervisionOffice}},
		4: {UserID: 4, Name: "丁", CourtID: 9, DepartmentID: 5, Roles: []domain.Role{domain.RoleBureau}, Handles: true},
		5: {UserID: 5, Name: "戊", CourtID: 9, DepartmentID: 7, Roles: []domain.Role{domain.RoleBureau}},
	}
	k := CaseFacts{CourtID: 9, DepartmentID: 7}
	good := Group{From: today, To: today.AddDays(30), Plan: "方案",
		Members: []Member{{1, domain.RoleBureau, false}, {2, domain.RoleDisciplineGroup, true}, {3, domain.RoleSupervisionOffice, false}}}
	if err := good.Validate(users, k, today); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		members []Member
		field   string
		words   string
	}{
		"handler":      {[]Member{{4, domain.RoleBureau, false}, {2, domain.RoleDisciplineGroup, true}, {3, domain.RoleSupervisionOffice, false}}, "members", "承办"},
		"department":   {[]Member{{5, domain.RoleBureau, false}, {2, domain.RoleDisciplineGroup, true}, {3, domain.RoleSupervisionOffice, false}}, "members", "承办部门"},
		"a body short": {[]Member{{1, domain.RoleBureau, true}, {2, domain.RoleDisciplineGroup, false}}, "members_supervision_office", "监察室"},
		"two leaders":  {[]Member{{1, domain.RoleBureau, true}, {2, domain.RoleDisciplineGroup, true}, {3, domain.RoleSupervisionOffice, false}}, "leader", "一名组长"},
		"no leader":    {[]Member{{1, domain.RoleBureau, false}, {2, domain.RoleDisciplineGroup, false}, {3, domain.RoleSupervisionOffice, false}}, "leader", "组长"},
		"wrong body":   {[]Member{{1, domain.RoleDisciplineGroup, false}, {2, domain.RoleDisciplineGroup, true}, {3, domain.RoleSupervisionOffice, false}}, "members", "不是"},
	} {
		g := good
		g.Members = c.members
		var ve *domain.ValidationError
		if err := g.Validate(users, k, today); !errors.As(err, &ve) || !strings.Contains(ve.Fields[c.field], c.words) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestActions(t *testing.T) {
	court := "/鲁/鲁01/鲁0102/"
	subj := Subject{CourtPath: court, Officers: []int64{7}, DepartmentID: 3}
	v := func(id int64, path string, dept int64, roles ...domain.Role) domain.Viewer {
		return domain.Viewer{UserID: id, CourtPath: path, DepartmentID: dept, Roles: roles}
	}
	bureau := v(1, court, 1, domain.RoleBureau)
	group := v(2, court, 2, domain.RoleDisciplineGroup)
	above := v(3, "/鲁/鲁01/", 2, domain.RoleDisciplineGroup)
	officer := v(7, court, 3, domain.RoleOfficer, domain.RoleBureau)
	head := v(8, court, 3, domain.RoleDeptHead, domain.RoleBureau)
	kinds := func(as []Action) string {
		var s []string
		for _, a := range as {
			s = append(s, string(a.Kind)+":"+string(a.Role)+string(a.Post))
		}
		return strings.Join(s, ",")
	}
	cases := []struct {
		name  string
		st    State
		v     domain.Viewer
		posts []oversight.Post
		want  string
	}{
		{"bureau on a candidate", NewState(), bureau, nil, "evaluate:bureau"},
		{"group on a candidate", NewState(), group, nil, ""},
		{"group on a declined case", State{Step: StepDeclined}, group, nil, "open_consult:discipline_group"},
		{"bureau on a declined case", State{Step: StepDeclined}, bureau, nil, "evaluate:bureau"},
		{"group in consultation", State{Step: StepConsulting}, group, nil, "opinion:discipline_group"},
		{"group having spoken", State{Step: StepConsulting, Opinions: []Opinion{{Role: domain.RoleDisciplineGroup}}}, group, nil, ""},
		{"the group's head", State{Step: StepCoLeaders}, group, []oversight.Post{oversight.PostDisciplineLeader}, "leader_decision:discipline_leader"},
		{"a group member", State{Step: StepCoLeaders}, group, nil, ""},
		{"tracked", State{Step: StepTracked}, bureau, nil, "form_group:bureau"},
		{"above", State{Step: StepConsulting}, above, nil, ""},
		{"the case's officer", NewState(), officer, nil, ""},
		{"its department head", NewState(), head, nil, ""},
	}
	for _, c := range cases {
		if got := kinds(Actions(c.st, c.v, subj, c.posts)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if !CanSee(above, subj) || CanSee(officer, subj) || CanSee(head, subj) || CanSee(v(9, "/鲁/鲁01/", 1, domain.RoleBureau), subj) {
		t.Error("who sees a tracking")
	}
}
